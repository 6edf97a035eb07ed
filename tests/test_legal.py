"""The legal card: its data file is checked with Chinese messages, it renders as HTML and text,
keeps unconfirmed claims off, is shown in lessons 03 and 04, and the role-play cites it by id."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from pathlib import Path

import pytest

from course import legal
from course import roleplay as rp
from course._data import load_yaml
from course.legal.catalog import GIST_MAX, LegalError, parse
from course.local import TOPICS
from course.roleplay import catalog

REPO = Path(__file__).resolve().parents[1]
RAW = load_yaml("legal.yaml")
LOCAL = frozenset(TOPICS)


def _raw() -> dict:
    return copy.deepcopy(RAW)


# --------------------------------------------------------------------------- the data


def test_every_entry_names_law_issuer_version_and_a_checked_source():
    for e in legal.entries():
        assert e.basis and e.may_say and e.refer and e.sources, e.id
        for b in e.basis:
            assert b.law.startswith("《") and b.law.endswith("》"), e.id
            assert re.search(r"\d{4}年\d{1,2}月", b.version), (e.id, b.version)
            assert b.articles == "" or re.fullmatch(r"(第[零一二三四五六七八九十百千]+条、?)+", b.articles)
        assert all(s.url.startswith(("http://", "https://")) for s in e.sources)


def test_the_card_was_checked_on_a_real_day_not_in_the_future():
    assert legal.card().checked <= date.today()
    assert legal.card().checked.year >= 2026  # the 2026 供水条例 and the revised 治安管理处罚法


def test_ids_are_unique_and_in_card_order():
    ids = legal.ids()
    assert len(ids) == len(set(ids)) == len(RAW["entries"])
    assert ids == tuple(e["id"] for e in RAW["entries"])


def test_the_brief_topics_are_all_on_the_card():
    laws = {b.law for e in legal.entries() for b in e.basis}
    for law in ("《中华人民共和国民法典》", "《供水条例》", "《中华人民共和国价格法》", "《政府制定价格听证办法》",
                "《政府制定价格成本监审办法》", "《信访工作条例》", "《中华人民共和国个人信息保护法》",
                "《中华人民共和国治安管理处罚法》"):
        assert law in laws, law
    civil = " ".join(e.cite() for e in legal.entries())
    for article in ("第六百五十二条", "第六百五十三条", "第六百五十四条", "第六百五十六条"):
        assert article in civil


def test_unconfirmed_claims_are_kept_off_the_card():
    text = legal.card().text() + legal.card().html()
    assert legal.unconfirmed()
    for u in legal.unconfirmed():
        assert u.claim and u.reason
        for words in u.off_card:
            assert words not in text, (u.claim, words)
    # the 2021 water-price rules: no date of entry into force was confirmed
    version = next(b.version for e in legal.entries() for b in e.basis if b.law == "《城镇供水价格管理办法》")
    assert "施行" not in version


def test_local_rules_named_by_an_entry_exist_in_the_local_profile():
    for e in legal.entries():
        assert set(e.local) <= LOCAL


# --------------------------------------------------------------------------- bad data


@pytest.mark.parametrize(("change", "words"), [
    (lambda r: r["entries"][0].pop("gist"), ["legal.yaml", "supply_notice", "gist"]),
    (lambda r: r["entries"][1].__setitem__("gist", "很长" * (GIST_MAX // 2 + 1)), ["gist", str(GIST_MAX)]),
    (lambda r: r["entries"][2].__setitem__("id", r["entries"][0]["id"]), ["supply_notice", "不止一次"]),
    (lambda r: r["entries"][0]["basis"][0].__setitem__("law", "民法典"), ["basis[0].law", "书名号"]),
    (lambda r: r["entries"][0]["basis"][0].pop("version"), ["basis[0]", "version"]),
    (lambda r: r["entries"][0]["sources"][0].__setitem__("url", "www.example.cn"), ["sources[0].url", "http"]),
    (lambda r: r["entries"][0].__setitem__("local", ["停水"]), ["local", "停水", "interruption"]),
    (lambda r: r["entries"][0].__setitem__("may_say", []), ["may_say", "列表"]),
    (lambda r: r["entries"][0].__setitem__("id", "Supply-Notice"), ["id", "小写"]),
    (lambda r: r.__setitem__("checked", "上周"), ["checked", "2026-12-02"]),
])
def test_bad_data_gets_a_chinese_message_naming_the_field(change, words):
    raw = _raw()
    change(raw)
    with pytest.raises(LegalError) as err:
        parse(raw, LOCAL)
    for w in words:
        assert w in str(err.value), (w, str(err.value))


def test_unknown_entry_lists_the_known_ones():
    with pytest.raises(LegalError, match="没有条目") as err:
        legal.card("public_order", "no_such_entry")
    assert all(i in str(err.value) for i in legal.ids())


# --------------------------------------------------------------------------- rendering


def test_a_chosen_card_keeps_card_order_whatever_the_order_asked():
    picked = legal.card("public_order", "arrears_suspension")
    assert [e.id for e in picked.entries] == ["arrears_suspension", "public_order"]
    assert len(legal.card().entries) == len(legal.ids())


def test_html_has_one_row_per_entry_with_its_articles_and_what_to_say():
    card = legal.card()
    html = card._repr_html_()
    assert re.findall(r'data-entry="([a-z_]+)"', html) == list(legal.ids())
    for e in card.entries:
        row = html.split(f'data-entry="{e.id}"')[1].split("</tr>")[0]
        for b in e.basis:
            assert b.cite() in row and b.version in row
        assert e.may_say[0] in row and e.refer[-1] in row
    assert "“不交就停水”" in html  # quotes survive; nothing is double-escaped
    assert "&amp;quot;" not in html


def test_html_prints_on_a4_and_its_styles_stay_inside_the_card():
    page = legal.card().page()
    assert "@page{size:A4" in page and "@media print" in page
    css = page.split("<style>", 2)[2].split("</style>")[0]
    selectors = [s.strip() for rule in re.findall(r"([^{}]+)\{[^{}]*\}", css) for s in rule.split(",")]
    assert all(s.startswith((".course-legal-card", "@")) for s in selectors if s), selectors


def test_text_card_names_every_entry_and_the_local_rules():
    text = str(legal.card())
    for e in legal.entries():
        assert f"【{e.topic}】" in text and e.gist in text
        for topic in e.local:
            assert f"「{TOPICS[topic]}」" in text
    assert "核对日期：" in text and "<" not in text


# --------------------------------------------------------------------------- the role-play


def test_every_scenario_cites_only_entries_of_the_card():
    for sid in rp.scenarios():
        assert set(rp.scenario(sid).legal) <= set(legal.ids()), sid


def test_safety_scenarios_that_cite_the_card_cite_the_public_order_entry():
    cited = [rp.scenario(sid) for sid in rp.scenarios() if rp.scenario(sid).legal]
    assert any(s.safety_protocol for s in cited)
    for s in cited:
        if s.safety_protocol:
            assert "public_order" in s.legal, s.id


def test_a_scenario_citing_a_missing_entry_fails_to_load(monkeypatch):
    from course import local

    real = catalog.load_yaml

    def fake(rel: str):
        raw = copy.deepcopy(real(rel))
        if rel == "scenarios/threat.yaml":
            raw["legal"] = ["public_order", "criminal_law_article_293"]
        return raw

    monkeypatch.setattr(catalog, "load_yaml", fake)
    with pytest.raises(rp.RoleplayError) as err:
        catalog._load_scenario.__wrapped__("threat", local.current().key)
    assert "scenarios/threat.yaml" in str(err.value)
    assert "criminal_law_article_293" in str(err.value) and "public_order" in str(err.value)


@pytest.mark.parametrize("value", ["《民法典》关于供用水合同的规定", ["no_such_entry"], [1]])
def test_a_strategy_legal_field_must_be_entry_ids(value):
    with pytest.raises(rp.RoleplayError, match="legal"):
        catalog.legal_refs(value, "strategies.yaml 的策略 x")


def test_the_legal_knowledge_strategy_shows_the_articles_from_the_card():
    s = rp.strategy("运用法律知识")
    assert s.legal_entries and [e.id for e in s.legal_entries] == list(s.legal_refs)
    html = s._repr_html_()
    for e in s.legal_entries:
        assert e.cite() in s.legal and e.cite() in str(s)
        assert e.cite() in html and e.gist in html


@pytest.mark.parametrize("sid", ["refuse_to_pay", "threat"])
def test_the_debrief_shows_the_scenarios_articles_and_what_to_say(sid):
    d = rp.play(sid, rp.scripted_path(sid)).debrief()
    scen = rp.scenario(sid)
    assert [e.id for e in d.legal] == list(scen.legal) and d.legal
    text, md, html = str(d), d.to_markdown(), d._repr_html_()
    for e in d.legal:
        for shown in (text, md, html):
            assert e.cite() in shown and e.gist in shown and e.may_say[0] in shown


# --------------------------------------------------------------------------- the lessons

LESSONS = {"03_恶意投诉.ipynb": "6.1", "04_危机公关.ipynb": "（六）"}


def _cells(name: str) -> list[dict]:
    return json.loads((REPO / "notebooks" / name).read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("name", LESSONS)
def test_the_lesson_shows_the_card_once_after_its_teaching_paragraph(name):
    cells = _cells(name)
    calls = [i for i, c in enumerate(cells)
             if c["cell_type"] == "code" and "legal.card(" in "".join(c["source"])]
    assert len(calls) == 1
    before = "".join(cells[calls[0] - 1]["source"])
    assert before.startswith(f"### {LESSONS[name]}")
    assert "法律是说明依据，不是吓唬客户" in before


@pytest.mark.parametrize("name", LESSONS)
def test_the_lesson_card_cell_runs_and_shows_entries_of_the_card(name):
    cell = next("".join(c["source"]) for c in _cells(name)
                if c["cell_type"] == "code" and "legal.card(" in "".join(c["source"]))
    *body, last = [line for line in cell.splitlines() if line.strip()]
    scope: dict = {}
    exec("\n".join(body), scope)
    shown = eval(last, scope)
    assert isinstance(shown, legal.Card) and shown.entries
    assert all(e.id in legal.ids() for e in shown.entries)
    assert "<table>" in shown._repr_html_()
