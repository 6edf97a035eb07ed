"""The tariff engine: worked examples from each city's regulation, properties, bad input."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course import tariff
from course.tariff import TariffInputError
from course.tariff.catalog import _from_dict

# ---------------------------------------------------------------------------------------------
# Worked examples, computed by hand from the published tariffs (see course/data/tariffs/*.yaml)
# ---------------------------------------------------------------------------------------------

BEIJING = [  # (usage m³/year, persons, expected yuan) — tiers 180/260, totals 5/7/9
    (0, 3, 0.0),
    (18, 3, 18 * 5),  # the 2025 bill quoted in FACTS: 90 元
    (180, 3, 180 * 5),
    (181, 3, 180 * 5 + 1 * 7),
    (260, 3, 180 * 5 + 80 * 7),
    (300, 3, 180 * 5 + 80 * 7 + 40 * 9),
    # Beijing's large-household rule is not verified from a Chinese original: no extra volume
    (200, 6, 180 * 5 + 20 * 7),
]

WUHAN = [  # (usage m³/month, persons, expected yuan) — 25/33 m³ for up to 4 persons, 2.47/3.15/3.84;
    # 5 persons and more: 6.25 / 8.25 m³ a person (武发改价格〔2016〕29号 price table)
    (30, 4, 25 * 2.47 + 5 * 3.15),
    (40, 4, 25 * 2.47 + 8 * 3.15 + 7 * 3.84),
    (40, 5, 31.25 * 2.47 + 8.75 * 3.15),
    (45, 6, 37.5 * 2.47 + 7.5 * 3.15),
    (60, 6, 37.5 * 2.47 + 12 * 3.15 + 10.5 * 3.84),
]


@pytest.mark.parametrize(("usage", "persons", "expected"), BEIJING)
def test_beijing_bills_match_the_published_tiers(usage, persons, expected):
    assert tariff.load("beijing").bill(usage, household_size=persons).total == pytest.approx(expected)


@pytest.mark.parametrize(("usage", "persons", "expected"), WUHAN)
def test_wuhan_bills_follow_the_per_person_volumes_of_each_tier(usage, persons, expected):
    t = tariff.load("wuhan")
    assert t.bill(usage, household_size=persons).total == pytest.approx(round(expected, 2))
    many = t.bills([usage], [persons])  # the vectorised path agrees
    assert float(many[0]) == pytest.approx(round(expected, 2), abs=0.006)


def test_a_per_tier_household_volume_needs_one_amount_per_raised_tier():
    with pytest.raises(ValueError, match="one amount per raised tier"):
        _tariff(household={"rule": "per_person", "base_persons": 4, "volume": [1, 2, 3],
                           "tiers": [1, 2]})


def test_beijing_18_cubic_metres_splits_into_the_three_published_components():
    parts = tariff.load("beijing").bill(18).by_component()
    assert parts == {"水费": 37.26, "水资源税": 28.26, "污水处理费": 24.48}


def test_beijing_only_the_water_fee_rises_between_tiers():
    t = tariff.load("beijing")
    tiered = [c.name for c in t.components if c.tiered]
    assert tiered == ["水费"]
    assert t.unit_prices() == (5.0, 7.0, 9.0)


def test_shanghai_annual_tiers():
    t = tariff.load("shanghai")
    assert t.period == "annual"
    assert t.bill(250).total == pytest.approx(220 * 3.45 + 30 * 4.83)
    assert t.bill(350).total == pytest.approx(220 * 3.45 + 80 * 4.83 + 50 * 5.83)


def test_guangzhou_panyu_monthly_tiers_with_tiered_sewage():
    t = tariff.load("guangzhou_panyu")
    assert t.period == "monthly"
    assert sum(c.tiered for c in t.components) == 2  # water and sewage both tiered
    water, sewage = (1.75, 2.63, 5.25), (0.95, 1.43, 2.85)
    expected = 26 * (water[0] + sewage[0]) + 8 * (water[1] + sewage[1]) + 6 * (water[2] + sewage[2])
    assert t.bill(40).total == pytest.approx(round(expected, 2))


def test_fictional_city_follows_the_national_guideline_ratio():
    t = tariff.load("shili")
    assert t.fictional
    water = next(c for c in t.components if c.tiered).prices
    assert water[1] / water[0] >= 1.5 and water[2] / water[0] >= 3
    assert t.bill(18).total == pytest.approx(15 * 3.4 + 3 * 4.4)


@pytest.mark.parametrize("city", tariff.cities())
def test_every_city_has_a_source_and_consistent_structure(city):
    t = tariff.load(city)
    assert t.source.issuer
    assert t.fictional or t.source.url
    assert t.period in tariff.PERIODS
    bounds = t.bounds(3)
    assert list(bounds) == sorted(bounds) and len(bounds) == t.n_tiers - 1
    prices = t.unit_prices()
    assert list(prices) == sorted(prices), "tier prices never fall"


# ---------------------------------------------------------------------------------------------
# Model features on small tariffs written here
# ---------------------------------------------------------------------------------------------


def _tariff(**overrides):
    raw = {
        "id": "test",
        "name": "测试市",
        "period": "bimonthly",
        "effective": "2020-01-01",
        "source": {"title": "t", "issuer": "测试"},
        "tiers": [20, 40, None],
        "components": [
            {"name": "水费", "tiered": True, "prices": [1, 2, 4]},
            {"name": "污水处理费", "tiered": False, "prices": [1]},
        ],
    }
    raw.update(overrides)
    return _from_dict(raw)


def test_step_household_rule_adds_volume_once_from_min_persons():
    t = _tariff(household={"rule": "step", "min_persons": 5, "volume": 10, "tiers": [1]})
    assert t.bounds(4) == (20, 40)
    assert t.bounds(5) == (30, 40)
    assert t.bounds(9) == (30, 40)


def test_raised_lower_tier_never_passes_the_next_bound():
    t = _tariff(household={"rule": "step", "min_persons": 5, "volume": 50, "tiers": [1]})
    assert t.bounds(5) == (70, 70)
    assert t.bill(80, household_size=5).total == pytest.approx(70 * 2 + 10 * 5)


def test_proration_scales_the_tier_volumes():
    t = _tariff()
    half = t.bill(30, fraction=0.5)  # bounds 10 / 20
    assert half.bounds == (10, 20)
    assert half.total == pytest.approx(10 * 2 + 10 * 3 + 10 * 5)


def test_period_fraction_counts_calendar_days():
    assert tariff.period_fraction(date(2025, 2, 1), date(2025, 2, 15), "monthly") == pytest.approx(
        14 / 28
    )
    assert tariff.period_fraction(date(2025, 1, 1), date(2025, 3, 1), "bimonthly") == pytest.approx(
        1.0
    )
    assert tariff.period_fraction(date(2024, 1, 1), date(2025, 1, 1), "annual") == pytest.approx(1)
    with pytest.raises(TariffInputError, match="晚于"):
        tariff.period_fraction(date(2025, 3, 1), date(2025, 1, 1), "annual")


def test_usage_from_readings_handles_roll_over():
    assert tariff.usage_from_readings(1234, 1276) == 42
    assert tariff.usage_from_readings(99_990, 15, meter_digits=5) == 25
    with pytest.raises(TariffInputError, match="本次读数"):
        tariff.usage_from_readings(1276, 1234)
    with pytest.raises(TariffInputError, match="量程"):
        tariff.usage_from_readings(123_456, 5, meter_digits=5)


def test_bill_lines_cover_the_usage_once_per_component():
    bill = tariff.load("beijing").bill(300)
    per_component = {}
    for line in bill.lines:
        per_component[line.component] = per_component.get(line.component, 0) + line.volume
        assert line.amount == pytest.approx(line.volume * line.unit_price, abs=0.005)
    assert set(per_component.values()) == {300}
    assert sum(line.amount for line in bill.lines) == pytest.approx(bill.total, abs=0.01)


def test_bill_renders_as_a_chinese_table():
    bill = tariff.load("beijing").bill(200)
    html = bill._repr_html_()
    assert "<table" in html and "第2档" in html and "合计" in html and "1040.00 元" in html
    assert "合计：1040.00 元" in str(bill)


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

usages = st.floats(min_value=0, max_value=5000, allow_nan=False, allow_infinity=False)
sizes = st.integers(min_value=1, max_value=20)
cities = st.sampled_from(tariff.cities())


@settings(max_examples=150, deadline=None)
@given(city=cities, a=usages, b=usages, persons=sizes)
def test_total_never_decreases_with_usage(city, a, b, persons):
    t = tariff.load(city)
    lo, hi = sorted((a, b))
    assert t.bill(lo, household_size=persons).total <= t.bill(hi, household_size=persons).total


@settings(max_examples=100, deadline=None)
@given(city=cities, persons=sizes, eps=st.floats(min_value=1e-6, max_value=1e-3))
def test_total_is_continuous_at_tier_bounds(city, persons, eps):
    t = tariff.load(city)
    top = max(t.unit_prices())
    for bound in t.bounds(persons):
        below = t.bill(bound - eps, household_size=persons).total
        above = t.bill(bound + eps, household_size=persons).total
        assert abs(above - below) <= 2 * eps * top + 0.011


@settings(max_examples=60, deadline=None)
@given(
    city=cities,
    data=st.lists(st.tuples(usages, sizes), min_size=1, max_size=40),
    fraction=st.sampled_from([1.0, 0.5, 0.25, 1 / 3]),
)
def test_vectorised_bills_equal_scalar_bills(city, data, fraction):
    t = tariff.load(city)
    use = [u for u, _ in data]
    persons = [p for _, p in data]
    vector = t.bills(use, persons, fraction=fraction)
    scalar = [t.bill(u, household_size=p, fraction=fraction).total for u, p in data]
    np.testing.assert_allclose(vector, scalar, atol=0.005, rtol=0)


# ---------------------------------------------------------------------------------------------
# Bad input: TariffInputError with a Chinese message naming the field
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"usage_m3": -1}, "用水量"),
        ({"usage_m3": "abc"}, "用水量"),
        ({"usage_m3": ""}, "用水量"),
        ({"usage_m3": None}, "用水量"),
        ({"usage_m3": True}, "用水量"),
        ({"usage_m3": math.nan}, "用水量"),
        ({"usage_m3": math.inf}, "用水量"),
        ({"usage_m3": 10, "household_size": 0}, "家庭人口"),
        ({"usage_m3": 10, "household_size": 2.5}, "家庭人口"),
        ({"usage_m3": 10, "household_size": "三"}, "家庭人口"),
        ({"usage_m3": 10, "fraction": 0}, "计费周期比例"),
        ({"usage_m3": 10, "fraction": 1.5}, "计费周期比例"),
    ],
)
def test_bad_input_raises_a_chinese_error_naming_the_field(kwargs, field):
    with pytest.raises(TariffInputError) as info:
        tariff.load("beijing").bill(**kwargs)
    assert field in str(info.value)
    assert isinstance(info.value, ValueError)


def test_vectorised_bad_input_names_the_position():
    t = tariff.load("beijing")
    with pytest.raises(TariffInputError, match="第 2 个"):
        t.bills([1, -5, 3])
    with pytest.raises(TariffInputError, match="第 3 个"):
        t.bills([1, 2, np.nan])
    with pytest.raises(TariffInputError, match="家庭人口"):
        t.bills([1, 2], [3, 0])
    with pytest.raises(TariffInputError, match="个数"):
        t.bills([1, 2], [3, 3, 3])


def test_unknown_city_lists_the_available_ones():
    with pytest.raises(TariffInputError) as info:
        tariff.load("atlantis")
    assert "beijing" in str(info.value) and "北京" in str(info.value) and "可以选" in str(info.value)


def test_full_width_digits_and_spaces_are_accepted():
    assert tariff.load("beijing").bill(" １８０ ").total == 900


def test_import_is_cheap_and_does_not_load_numpy():
    import subprocess
    import sys

    code = "import sys, course, course.tariff; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_remaining_in_tier_counts_down_to_the_next_bound():
    t = tariff.load("beijing")
    assert t.remaining_in_tier(150) == (1, 30)
    assert t.remaining_in_tier(180) == (2, 80)
    w = tariff.load("wuhan")
    assert w.remaining_in_tier(30, household_size=6) == (1, 7.5)
    assert t.remaining_in_tier(500) == (3, None)


def test_summary_table_has_a_row_per_city():
    table = tariff.summary_table()
    assert len(table.rows) == len(tariff.cities())
    col = table.columns.index("各档合计单价（元/立方米）")
    beijing = next(row for row in table.rows if row[0] == "北京市")
    assert beijing[col] == "5.00 / 7.00 / 9.00"
    html = table._repr_html_()
    assert "text-align:left" in html and "<th>0</th>" not in html
