"""Model dialogues: one per customer FAQ and hard case of seed 000, 8–12 turns, every annotation
a thing the course teaches, every good staff reply passing the reply coach, every marked mistake
flagged by it (or documented as a coach miss), numbers computed from the local data."""

from __future__ import annotations

import itertools
import json
import re
from html import escape
from pathlib import Path

import pytest

from course import dialogues, local, roleplay
from course._data import list_yaml, load_yaml
from course.coach import review
from course.dialogues import catalog
from course.dialogues.model import DialogueError

REPO = Path(__file__).resolve().parents[1]
SEED = next((REPO.parent / "shared" / "seeds").glob("000_*.txt"), None)
IDS = list_yaml("dialogues")
RAW = {i: load_yaml(f"dialogues/{i}.yaml") for i in IDS}
_ITEM = re.compile(r"[（(]([一二三四五六七八九十]+)[）)]")


def _staff_turns(kind: str):
    for did, raw in RAW.items():
        for n, turn in enumerate(raw[kind]["turns"], 1):
            if "staff" in turn and (kind == "good" or turn.get("mistakes")):
                yield pytest.param(did, n, id=f"{did}-{kind}-{n}")


def _seed_items(start: str, end: str) -> int:
    """How many numbered items （一）（二）… the seed lists between two headings."""
    text = SEED.read_text(encoding="utf-8")
    part = text[text.index(start):]
    part = part[:part.index(end)]
    return len(set(_ITEM.findall(part)))


# --------------------------------------------------------------------------- coverage


def test_there_is_one_dialogue_for_each_faq_and_each_hard_case():
    faq = sorted(RAW[i]["number"] for i in IDS if RAW[i]["group"] == "faq")
    case = sorted(RAW[i]["number"] for i in IDS if RAW[i]["group"] == "case")
    assert faq == list(range(1, 10)) and case == list(range(1, 9))
    if SEED is not None:  # the seed's own lists: 第二章 十 and 第三章 四
        assert len(faq) == _seed_items("十、客户常见问题委婉解释技巧", "案例分析或短片观看")
        assert len(case) == _seed_items("四、恶意投诉/补偿型投诉难题分析与解决", "第四章")


def test_each_hard_case_dialogue_uses_the_facts_of_its_role_play_scenario():
    for did in dialogues.dialogue_ids("case"):
        d = dialogues.load(did)
        assert d.roleplay is not None, did
        assert roleplay.scenario(d.roleplay).case == d.number, did


def test_the_dialogue_ids_come_in_the_order_of_the_seed():
    numbers = [dialogues.load(i).number for i in dialogues.dialogue_ids("faq")]
    assert numbers == sorted(numbers) and len(dialogues.dialogue_ids()) == len(IDS)


@pytest.mark.parametrize("did", IDS)
def test_every_version_has_8_to_12_turns_and_staff_and_customer_alternate(did):
    for kind in ("good", "bad"):
        turns = RAW[did][kind]["turns"]
        assert 8 <= len(turns) <= 12, f"{did} {kind}: {len(turns)} turns"
        speakers = ["staff" if "staff" in t else "customer" for t in turns]
        assert speakers[0] == "customer" and all(
            a != b for a, b in itertools.pairwise(speakers)), (did, kind, speakers)
        assert RAW[did]["source"].strip()


# --------------------------------------------------------------------------- annotations


def _known_ids() -> dict[str, set[str]]:
    lists = load_yaml("coach/process.yaml")["lists"]
    strategies = load_yaml("strategies.yaml")
    acts = load_yaml("coach/acts.yaml")["acts"]
    return {
        "techniques": {t["name"] for t in load_yaml("coach/techniques.yaml")["techniques"]},
        "strategies": {s["id"] for s in strategies["strategies"] + strategies["escalation_strategies"]},
        "steps": {f"{k}:{n}" for k, v in lists.items() for n in range(1, len(v["items"]) + 1)},
        "mistakes": {k for k, v in acts.items() if v["kind"] == "forbidden"}
        | {f"wrong_ways:{n}" for n in range(1, len(lists["wrong_ways"]["items"]) + 1)},
    }


@pytest.mark.parametrize("did", IDS)
def test_every_annotation_names_something_the_course_teaches(did):
    known = _known_ids()
    for kind in ("good", "bad"):
        for n, turn in enumerate(RAW[did][kind]["turns"], 1):
            for field, ids in known.items():
                for x in turn.get(field) or ():
                    assert x in ids, f"{did} {kind} 第{n}句 {field}: {x}"
            assert set(turn.get("layers") or ()) <= {1, 2, 3}
            if kind == "good" and "staff" in turn:
                assert any(turn.get(f) for f in ("layers", "techniques", "strategies", "steps"))
                assert turn.get("note")


def test_the_dialogues_use_much_of_what_the_course_teaches():
    used = {f: set() for f in ("techniques", "strategies", "mistakes")}
    for raw in RAW.values():
        for kind in ("good", "bad"):
            for turn in raw[kind]["turns"]:
                for f in used:
                    used[f] |= set(turn.get(f) or ())
    known = _known_ids()
    assert len(used["techniques"]) >= 0.8 * len(known["techniques"]), known["techniques"] - used["techniques"]
    assert len({m for m in used["mistakes"] if m.startswith("wrong_ways:")}) >= 15
    assert len(used["strategies"] & {s["id"] for s in load_yaml("strategies.yaml")["strategies"]}) >= 15


def test_every_wrong_way_maps_to_coach_findings_that_exist():
    findings = set(load_yaml("coach/checks.yaml")["findings"]) | set(load_yaml("coach/acts.yaml")["acts"])
    table = load_yaml("dialogues/_mistakes.yaml")["wrong_ways"]
    assert set(table) == set(range(1, 21))
    for n, rules in table.items():
        assert set(rules or ()) <= findings, (n, rules)


# --------------------------------------------------------------------------- the reply coach


@pytest.mark.parametrize(("did", "n"), list(_staff_turns("good")))
def test_every_good_staff_reply_passes_the_reply_coach(did, n):
    d = dialogues.load(did)
    text = d.good.turns[n - 1].text
    r = review(text, d.scenario)
    problems = [f"{f.name}：{f.excerpt or f.message}" for f in r.findings if f.level == "bad"]
    assert not r.forbidden and r.sandwich and r.passed and r.addresses_core is not False, (
        f"{did} 第{n}句（{r.score} 分）：{problems}")


@pytest.mark.parametrize(("did", "n"), list(_staff_turns("bad")))
def test_every_marked_mistake_is_flagged_by_the_coach_unless_documented_as_missed(did, n):
    d = dialogues.load(did)
    turn = d.bad.turns[n - 1]
    r = review(turn.text, d.scenario)
    wanted = set().union(*(catalog.mistake_rules(m.id) for m in turn.mistakes))
    raised = {f.rule for f in r.findings if f.level != "good"}
    if turn.coach_misses:
        assert not raised & wanted, f"{did} 第{n}句：教练查出了 {raised & wanted}，去掉 coach_misses"
    else:
        assert raised & wanted, f"{did} 第{n}句：教练没查出 {wanted}（查出的是 {raised}）"
    assert not r.passed or r.forbidden  # a bad reply never passes as a model answer


def test_the_coach_misses_stay_few():
    missed = [(did, n) for did, raw in RAW.items()
              for n, t in enumerate(raw["bad"]["turns"], 1) if t.get("coach_misses")]
    marked = list(_staff_turns("bad"))
    assert len(missed) <= len(marked) // 5, missed


def test_check_with_coach_agrees_with_the_data():
    for did in IDS:
        assert all(c.as_expected for c in dialogues.check_with_coach(dialogues.load(did))), did


# --------------------------------------------------------------------------- numbers from the data

_ALLOWED_DIGITS = {"1024", "2046", "110", "12345"}  # staff numbers of the examples, 110, 12345


def _shown_texts(raw: dict) -> list[str]:
    """What a learner reads: the setting, every turn, note and stage direction, the outcomes."""
    out = [raw["setting"]]
    for kind in ("good", "bad"):
        out.append(raw[kind].get("outcome", ""))
        for t in raw[kind]["turns"]:
            out += [t.get(k, "") for k in ("customer", "staff", "action", "note")]
    return out


@pytest.mark.parametrize("did", IDS)
def test_numbers_are_placeholders_not_typed_by_hand(did):
    text = re.sub(r"\{[^{}]+\}", "", " ".join(_shown_texts(RAW[did])))
    digits = set(re.findall(r"\d+(?:\.\d+)?", text))
    assert digits <= _ALLOWED_DIGITS, f"{did}：手写的数字 {digits - _ALLOWED_DIGITS}"


def test_bill_placeholders_are_computed_by_the_tariff():
    t = local.current().tariff()
    checked = 0
    for did, raw in RAW.items():
        for name, spec in (raw.get("bills") or {}).items():
            bill = t.bill(spec["usage"], household_size=spec.get("persons", 3))
            d = dialogues.load(did)
            texts = " ".join(x.text + x.note for v in d.versions for x in v.turns) + d.setting
            if f"{{账单.{name}.total}}" in json.dumps(raw, ensure_ascii=False):
                assert f"{float(bill.total):.2f}" in texts, (did, name)
                checked += 1
    assert checked >= 10


def test_local_facts_come_from_the_profile():
    p = local.current()
    d = dialogues.load("case_refuse_to_pay")
    staff = " ".join(t.text for t in d.good.turns)
    assert f"{p.text('meter_test.fee')} 元" in staff and f"{p.text('deferral.max_days')} 天" in staff
    facts = catalog.tariff_facts(p)
    assert facts["tier1_price"] == f"{float(p.tariff().unit_prices()[0]):.2f}"


# --------------------------------------------------------------------------- errors in Chinese


def _broken(monkeypatch, change):
    raw = json.loads(json.dumps(RAW["faq_price_hike"], ensure_ascii=False))
    change(raw)
    real = catalog.load_yaml
    monkeypatch.setattr(catalog, "load_yaml", lambda p: raw if p == "dialogues/faq_price_hike.yaml" else real(p))
    catalog._load.cache_clear()
    with pytest.raises(DialogueError) as e:
        dialogues.load("faq_price_hike")
    catalog._load.cache_clear()
    return str(e.value)


def test_an_unknown_technique_is_named_with_its_file_and_field(monkeypatch):
    msg = _broken(monkeypatch, lambda r: r["good"]["turns"][1].update(techniques=["瞎编法"]))
    assert "dialogues/faq_price_hike.yaml" in msg and "techniques" in msg and "瞎编法" in msg


def test_too_few_turns_are_refused(monkeypatch):
    msg = _broken(monkeypatch, lambda r: r["bad"]["turns"].__delitem__(slice(2, None)))
    assert "bad" in msg and "8–12" in msg and "2 句" in msg


def test_an_unknown_placeholder_is_refused(monkeypatch):
    msg = _broken(monkeypatch, lambda r: r["good"]["turns"].__setitem__(
        1, {"staff": "您好，{账单.nope.total} 元。", "layers": [1]}))
    assert "{账单.nope.total}" in msg and "good 第 2 句" in msg


def test_a_mistake_in_a_good_dialogue_is_refused(monkeypatch):
    msg = _broken(monkeypatch, lambda r: r["good"]["turns"][1].update(mistakes=["shirk"]))
    assert "好的示范" in msg


def test_an_unknown_dialogue_lists_the_known_ones():
    with pytest.raises(DialogueError, match="faq_price_hike"):
        dialogues.load("没有这段")
    with pytest.raises(DialogueError, match="分组"):
        dialogues.dialogue_ids("vip")


# --------------------------------------------------------------------------- presentation


def test_the_html_shows_both_versions_and_every_annotation():
    view = dialogues.show_dialogue("case_obstruction")
    html = view._repr_html_()
    d = view.dialogue
    assert "course-dialogue-good" in html and "course-dialogue-bad" in html
    for v in d.versions:
        for t in v.staff_turns:
            assert escape(t.text) in html and escape(t.note) in html
            for tag in t.tags:
                shown = f"第{tag.id}" if tag.kind == "layer" else escape(tag.name)
                assert shown in html or (tag.kind == "layer" and f"、{tag.id}" in html), tag
    assert html.count("course-dialogue-coach") == len(view.checks)
    assert "没有查出" in html  # the documented coach miss is shown to the learner


def test_the_plain_text_fallback_reads_as_a_script():
    text = str(dialogues.show_dialogue("faq_quota_low"))
    assert "【好的示范】" in text and "【常见的错误】" in text and "员工：" in text
    assert "{" not in text and "True" not in text and "None" not in text


def test_the_strategy_cards_show_all_22_model_lines():
    cards = dialogues.strategy_cards()
    html, text = cards._repr_html_(), str(cards)
    strategies = load_yaml("strategies.yaml")["strategies"]
    assert len(strategies) == 22 and html.count('class="course-strategy-card"') == 22
    for s in strategies:
        assert s["example"] in text and s["name"] in html


# --------------------------------------------------------------------------- the lessons


def _cells(nb: str) -> list[str]:
    data = json.loads((REPO / "notebooks" / nb).read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in data["cells"]]


def _section(cells: list[str], start: str, stop: str) -> str:
    """The cells from the one holding heading ``start`` up to the one holding ``stop``."""
    def at(c: str, heading: str) -> bool:
        return re.search(rf"(?m)^{re.escape(heading)}", c) is not None

    i = next(k for k, c in enumerate(cells) if at(c, start))
    j = next(k for k in range(i + 1, len(cells)) if at(cells[k], stop))
    return "\n".join(cells[i:j])


def test_lesson_02_section_8_shows_the_nine_faq_dialogues():
    sec = _section(_cells("02_巧妙应答.ipynb"), "## 8.", "## 9.")
    for did in dialogues.dialogue_ids("faq"):
        assert f'show_dialogue("{did}")' in sec, did


def test_lesson_03_shows_each_case_dialogue_in_its_subsection_and_the_strategy_cards():
    cells = _cells("03_恶意投诉.ipynb")
    for did in dialogues.dialogue_ids("case"):
        n = dialogues.load(did).number
        stop = f"### 8.{n + 1}" if n < 8 else "## 9."
        assert f'show_dialogue("{did}")' in _section(cells, f"### 8.{n}", stop), did
    assert "strategy_cards()" in _section(cells, "## 5.", "## 6.")
