"""Tier-design analysis: the synthetic sample, coverage thresholds, flat vs tiered."""

from __future__ import annotations

import numpy as np
import pytest

from course import tariff
from course._data import load_yaml
from course.tariff import TariffInputError
from course.tariff import design as tariff_design


@pytest.fixture(scope="module")
def beijing_sample():
    return tariff_design.sample_households("beijing", n=50_000, seed=3)


def test_sample_is_seeded_and_reproducible():
    a = tariff_design.sample_households("shili", n=1000, seed=7)
    b = tariff_design.sample_households("shili", n=1000, seed=7)
    c = tariff_design.sample_households("shili", n=1000, seed=8)
    assert np.array_equal(a.usage, b.usage) and np.array_equal(a.size, b.size)
    assert not np.array_equal(a.usage, c.usage)


def test_sample_hits_the_reported_tier1_coverage(beijing_sample):
    t = tariff.load("beijing")
    assert beijing_sample.coverage == load_yaml("sample_model.yaml")["coverage"]["beijing"]["value"]
    assert beijing_sample.coverage_of_tier1(t) == pytest.approx(beijing_sample.coverage, abs=0.005)


def test_beijing_sample_reproduces_the_hearing_anchors(beijing_sample):
    anchors = [a for a in load_yaml("households.yaml")["anchors"]
               if a["city"] == "beijing" and a["share_at_or_below"]]
    assert len(anchors) >= 3
    for anchor in anchors:
        share = float((beijing_sample.usage <= anchor["volume"]).mean())
        assert share == pytest.approx(anchor["share_at_or_below"], abs=0.03), anchor["text"]


def test_household_sizes_follow_the_sourced_distribution(beijing_sample):
    sizes, counts = np.unique(beijing_sample.size, return_counts=True)
    assert sizes.min() == 1 and sizes.max() == 6
    shares, source = tariff_design._size_shares()
    for size, count in zip(sizes, counts, strict=True):
        assert count / len(beijing_sample) == pytest.approx(shares[int(size)] / sum(shares.values()),
                                                            abs=0.01)
    assert source


def test_tier_shares_sum_to_one_and_match_tier1_coverage(beijing_sample):
    t = tariff.load("beijing")
    shares = beijing_sample.tier_shares(t)
    assert sum(shares) == pytest.approx(1)
    assert shares[0] == pytest.approx(beijing_sample.coverage_of_tier1(t))


def test_coverage_thresholds_are_quantiles():
    usage = np.arange(1, 101, dtype=float)
    lo, hi = tariff_design.coverage_thresholds(usage, (0.8, 0.95))
    assert (usage <= lo).mean() == pytest.approx(0.8, abs=0.01)
    assert (usage <= hi).mean() == pytest.approx(0.95, abs=0.01)
    with pytest.raises(TariffInputError, match="覆盖比例"):
        tariff_design.coverage_thresholds(usage, (1.2,))


def test_revenue_neutral_flat_price_keeps_revenue_and_most_households_pay_less(beijing_sample):
    comparison = tariff_design.compare_flat("beijing", beijing_sample)
    assert comparison.revenue_change == pytest.approx(0, abs=1e-3)
    assert comparison.share_less > 0.5 > comparison.share_more > 0
    assert comparison.share_less + comparison.share_more + comparison.share_same == pytest.approx(1)
    assert "少交" in str(comparison)


def test_against_the_old_beijing_flat_price_everyone_pays_more(beijing_sample):
    comparison = tariff_design.compare_flat("beijing", beijing_sample, flat_price=4.0)
    nonzero = float((beijing_sample.usage > 0).mean())
    assert comparison.share_more == pytest.approx(nonzero)
    assert comparison.revenue_change > 0.2


def test_bad_sample_arguments_get_chinese_messages():
    with pytest.raises(TariffInputError, match="样本户数"):
        tariff_design.sample_households("beijing", n=-5)
    with pytest.raises(TariffInputError, match="覆盖率"):
        tariff_design.sample_households("beijing", n=100, coverage=1.5)
    with pytest.raises(TariffInputError, match="单一水价"):
        tariff_design.compare_flat("beijing", tariff_design.sample_households("beijing", n=100), -1)


def test_by_size_table_matches_the_sample(beijing_sample):
    t = tariff.load("beijing")
    table = beijing_sample.by_size(t)
    assert int(table["户数"].sum()) == len(beijing_sample)
    assert table.loc[6, "第一档上限（立方米）"] == t.bounds(6)[0]
    three = beijing_sample.usage[beijing_sample.size == 3]
    assert table.loc[3, "超出第一档的比例"] == pytest.approx((three > t.bounds(3)[0]).mean(), abs=1e-3)
