"""The item bank: each learner's own variant, the same one when graded, and the answer for it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from course import itembank, tariff
from course.itembank import ItemBankError, answer, letter, letters, sequence, variant
from course.itembank.bank import _item
from course.itembank.learner import learner_id

LEARNERS = [f"learner{i:03d}" for i in range(40)]
REFS = [f"ch1.{k}" for k in itembank.items("ch1")]


def test_a_learner_always_gets_the_same_variant_and_a_retry_gets_another() -> None:
    for ref in REFS:
        first = variant(ref, "wang")
        assert variant(ref, "wang") == first
        assert any(variant(ref, "wang", attempt=n).text + str(variant(ref, "wang", attempt=n).options)
                   != first.text + str(first.options) for n in range(1, 6)), ref


def test_two_learners_almost_never_share_a_paper() -> None:
    papers = {tuple((variant(r, who).answer, variant(r, who).options) for r in REFS)
              for who in LEARNERS}
    assert len(papers) == len(LEARNERS)
    # one item alone has as many answers as its tier has whole m³ (tier 2 of 示例市: 6)
    spread = {"ch1.q1_bill_tier2": 6, "ch1.q1_bill_large_household": 10, "ch1.q1_bill_annual": 10}
    for ref, least in spread.items():
        assert len({answer(ref, who) for who in LEARNERS}) >= least, ref


def test_bill_answers_are_the_tariff_engine_on_the_variants_numbers() -> None:
    for who in LEARNERS[:10]:
        for ref in REFS:
            v = variant(ref, who)
            if v.kind != "bill":
                continue
            city = next(c for c in tariff.cities() if tariff.load(c).name == v.params["city_name"])
            bill = tariff.load(city).bill(v.params["usage"], household_size=v.params["household"])
            assert v.answer == pytest.approx(float(bill.total)), (ref, who)
            assert f"{v.params['usage']} 立方米" in v.text and f"{v.params['household']} 口" in v.text


def test_the_usage_falls_inside_the_tier_the_item_is_about() -> None:
    spec = {"ch1.q1_bill_tier1": 1, "ch1.q1_bill_tier2": 2, "ch1.q1_bill_tier3": 3}
    for ref, tier in spec.items():
        for who in LEARNERS:
            v = variant(ref, who)
            bill = tariff.load("shili").bill(v.params["usage"], household_size=v.params["household"])
            assert max(bill.by_tier()) == tier, (ref, who)


def test_rollover_answer_crosses_the_top_of_the_dial() -> None:
    for who in LEARNERS[:10]:
        v = variant("ch1.q1_meter_rollover", who)
        expected = 10_000 - v.params["previous"] + v.params["current"]
        assert v.answer == expected and str(v.params["previous"]) in v.text


def test_choice_letters_follow_the_shown_order() -> None:
    orders = set()
    for who in LEARNERS:
        v = variant("ch1.q2_purpose", who)
        shown = {oid: let for let, oid, _ in v.options}
        assert letter("ch1.q2_purpose", "save", who) == shown["save"]
        assert [o[0] for o in v.options] == ["A", "B", "C", "D"]
        orders.add(tuple(o[1] for o in v.options))
    assert len(orders) >= 10
    seq = sequence("ch1.q2_process_order", ["read", "compute", "bill", "pay"], "wang")
    shown = {oid: let for let, oid, _ in variant("ch1.q2_process_order", "wang").options}
    assert seq == [shown[s] for s in ("read", "compute", "bill", "pay")]
    assert letters("ch1.q2_strategies", ["survey", "inspect"], "wang") == {shown2 for shown2 in (
        variant("ch1.q2_strategies", "wang").letter_of("survey"),
        variant("ch1.q2_strategies", "wang").letter_of("inspect"))}


def test_what_the_learner_sees_has_no_ids_or_programmer_words() -> None:
    for ref in REFS:
        v = variant(ref, "wang")
        for text in (str(v), v._repr_markdown_(), v._repr_html_()):
            assert "{" not in text and "None" not in text and "True" not in text
            for _, oid, _ in v.options:
                assert f" {oid}" not in text.replace(f"{oid}（", "")
        assert "<b>" in v._repr_html_() or v.options


def test_bad_items_and_references_explain_themselves_in_chinese() -> None:
    with pytest.raises(ItemBankError, match="题库“nope”"):
        variant("nope.q1")
    with pytest.raises(ItemBankError, match=r"应写成“题库\.题目”"):
        variant("ch1")
    with pytest.raises(ItemBankError, match="没有题目“q99”"):
        variant("ch1.q99")
    with pytest.raises(ItemBankError, match="kind 只能是"):
        _item("t", "x", {"kind": "essay"})
    with pytest.raises(ItemBankError, match="缺少字段 tier、text"):
        _item("t", "x", {"kind": "bill", "tariff": "shili", "household": [3]})
    with pytest.raises(ItemBankError, match="不是课程里的城市"):
        _item("t", "x", {"kind": "bill", "tariff": "atlantis", "household": [3], "tier": 1,
                         "text": "x"})
    with pytest.raises(ItemBankError, match="id 有重复"):
        _item("t", "x", {"kind": "choice", "stem": "?", "options": [{"id": "a", "text": "1"},
                                                                  {"id": "a", "text": "2"}]})
    with pytest.raises(ItemBankError, match="没有选项“zzz”"):
        letter("ch1.q2_purpose", "zzz", "wang")
    with pytest.raises(ItemBankError, match="选择或排序题"):
        answer("ch1.q2_purpose", "wang")


def test_the_learner_id_comes_from_the_grader_then_the_folder_then_the_login(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(itembank.ENV, raising=False)
    folder = tmp_path / "submitted" / "li_na" / "ch1_tiered_pricing"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    assert learner_id() == "li_na"
    monkeypatch.setenv(itembank.ENV, "zhang")
    assert learner_id() == "zhang"
    monkeypatch.delenv(itembank.ENV)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("getpass.getuser", lambda: "jovyan")
    monkeypatch.setenv("JUPYTERHUB_USER", "hub_user")
    assert learner_id() == "hub_user"
    monkeypatch.setattr("getpass.getuser", lambda: "wang")
    assert learner_id() == "wang"
    assert variant("ch1.q1_bill_tier1") == variant("ch1.q1_bill_tier1", "wang")
    assert os.environ.get(itembank.ENV) is None


def test_practice_variants_never_give_away_the_graded_one() -> None:
    from course.itembank.practice import FIRST, practice_variant

    for ref in REFS:
        shown = {(p.text, p.options) for p in (practice_variant(ref, n, "wang") for n in range(5))}
        assert all(practice_variant(ref, n, "wang").attempt >= FIRST for n in range(5))
        assert len(shown) > 1, ref  # each retry can bring a new question


def test_practice_checks_typed_answers_as_a_learner_types_them() -> None:
    from course.itembank.practice import check_practice, practice_variant

    v = practice_variant("ch1.q1_bill_tier3", 0, "wang")
    typed = "".join(chr(0xFF10 + int(c)) if c.isdigit() else "．" for c in f"{v.answer:.2f}")
    assert check_practice(v, typed).correct
    assert check_practice(v, f"{v.answer:g}元").correct
    wrong = check_practice(v, str(v.answer + 5))
    assert not wrong.correct and wrong.valid and v.params["v3"] in wrong.message
    for bad, says in (("", "还没有填答案"), ("七十", "不是一个数")):
        r = check_practice(v, bad)
        assert not r.valid and says in r.message
    c = practice_variant("ch1.q2_purpose", 0, "wang")
    right = c.letter_of("save")
    assert check_practice(c, f"“{right}”", "save").correct
    assert not check_practice(c, "Z", "save").valid
    assert "单选" in check_practice(c, "A,B", "save").message
    o = practice_variant("ch1.q2_process_order", 0, "wang")
    seq = [o.letter_of(s) for s in ("read", "compute", "bill", "pay")]
    assert check_practice(o, "［" + "，".join(seq) + "］", ["read", "compute", "bill", "pay"]).correct
    assert "各写一次" in check_practice(o, "A,B", ["read", "compute", "bill", "pay"]).message
    m = practice_variant("ch1.q2_strategies", 0, "wang")
    good = {m.letter_of(x) for x in ("publicise", "survey", "inspect", "government")}
    assert check_practice(m, "｛" + "、".join(sorted(good)) + "｝",
                          ["publicise", "survey", "inspect", "government"]).correct


def test_practice_widget_counts_tries_and_keeps_them_across_a_restart(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from course.widgets.practice import PracticeItem

    monkeypatch.setenv("COURSE_DRAFTS_DIR", str(tmp_path))
    item = PracticeItem("ch1.q1_bill_tier2")
    item.answer.value = "1"
    assert not item.check()
    item.answer.value = f"{item.variant.answer:g}"
    assert item.check()
    first = item.variant
    item.next()
    assert item.variant != first and item.answer.value == ""
    again = PracticeItem("ch1.q1_bill_tier2")  # the kernel restarted: the same state comes back
    assert (again.attempt, again.tries, again.solved) == (1, 2, 1)
    assert "已检查 2 次，答对 1 次" in again._count.value
    item.answer.value = "十"
    item.check()
    assert item.tries == 2 and "不是一个数" in item._feedback.value  # an invalid entry is no try


CHARTS = ("ch1.q3_tier2_start", "ch1.q3_marginal_price")


def test_chart_items_ask_about_the_learners_own_household_on_the_local_tariff() -> None:
    local = tariff.load("shili")
    households = set()
    for who in LEARNERS:
        start, price = (variant(r, who) for r in CHARTS)
        size = start.params["household"]
        households.add(size)
        assert start.answer == pytest.approx(float(local.bounds(size)[0]))
        assert f"{size} 口之家" in start.text
        usage, size = price.params["usage"], price.params["household"]
        assert price.answer == pytest.approx(float(local.marginal_price(usage, household_size=size)))
        assert local.marginal_price(usage, household_size=size) > local.unit_prices()[0]  # tier 2 or 3
        assert f"{usage} 立方米" in price.text
    assert len(households) >= 4
    assert len({answer(CHARTS[1], who) for who in LEARNERS}) == 2  # both tiers are drawn
    papers = {tuple(variant(r, who).params["household"] for r in CHARTS) for who in LEARNERS}
    assert len(papers) >= 12


def test_a_chart_item_shows_the_chart_of_that_household(monkeypatch: pytest.MonkeyPatch) -> None:
    import base64
    import re

    v = variant(CHARTS[0], "wang")
    page = v._repr_html_()
    assert f"alt='{v.params['household']} 人户的阶梯价格图'" in page
    png = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", page).group(1))
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    other = next(w for w in LEARNERS if variant(CHARTS[0], w).params["household"] != v.params["household"])
    assert variant(CHARTS[0], other)._repr_html_() != page
    assert "tariff_id" not in page and "local" not in str(v)


def test_chart_items_follow_the_utilitys_own_tariff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from course._data import data_dir

    text = (data_dir() / "local" / "shili.yaml").read_text(encoding="utf-8")
    profile = tmp_path / "shili.yaml"
    profile.write_text(re.sub(r"(?m)^tariff: shili", "tariff: beijing", text), encoding="utf-8")
    monkeypatch.delenv("COURSE_PROFILE_JSON", raising=False)
    monkeypatch.setenv("COURSE_PROFILE", str(profile))
    beijing = tariff.load("beijing")
    v = variant(CHARTS[1], "wang")
    assert beijing.name in v.text
    assert v.answer == pytest.approx(float(beijing.marginal_price(v.params["usage"],
                                                                  household_size=v.params["household"])))


def test_a_bad_chart_item_explains_itself_in_chinese() -> None:
    base = {"kind": "chart", "tariff": "local", "household": [3], "text": "x"}
    with pytest.raises(ItemBankError, match="ask 只能是"):
        _item("t", "c", {**base, "ask": "slope"})
    with pytest.raises(ItemBankError, match="要写 tier"):
        _item("t", "c", {**base, "ask": "marginal"})
    with pytest.raises(ItemBankError, match="不是课程里的城市"):
        _item("t", "c", {**base, "ask": "tier2_start", "tariff": ["atlantis"]})
