"""Staff well-being engine and data: breathing pacing, the debrief card, the after-care protocol,
and the reframing exercise of lesson 04 §8."""

from __future__ import annotations

import copy
import itertools
import re
import subprocess
import sys

import pytest

from course import exercises, local, wellbeing
from course._data import list_yaml, load_yaml
from course.wellbeing import WellbeingError

RAW_BREATHING = load_yaml("wellbeing/breathing.yaml")
RAW_AFTERCARE = load_yaml("wellbeing/aftercare.yaml")
RAW_DEBRIEF = load_yaml("wellbeing/debrief.yaml")
PATTERNS = wellbeing.breathing_patterns()


# --- breathing --------------------------------------------------------------------------------

def _walk(pattern, rate):
    """Every step from the first tick to the last, in order."""
    return [wellbeing.step_at(pattern, t, rate) for t in range(wellbeing.total_ticks(pattern, rate))]


def _runs(steps):
    """(round, kind, length) for each unbroken run of the same phase."""
    runs: list[list] = []
    for s in steps:
        if runs and runs[-1][0] == s.round and runs[-1][1] == s.kind:
            runs[-1][2] += 1
        else:
            runs.append([s.round, s.kind, 1])
    return [tuple(r) for r in runs]


@pytest.mark.parametrize("rate", [1, 4, 10])
@pytest.mark.parametrize("raw", RAW_BREATHING["patterns"], ids=lambda p: p["id"])
def test_the_pacer_follows_the_pattern_in_the_data_phase_by_phase(raw, rate):
    pattern = wellbeing.breathing_pattern(raw["id"])
    expected = [(r, ph["kind"], ph["seconds"] * rate)
                for r in range(1, raw["rounds"] + 1) for ph in raw["phases"]]
    assert _runs(_walk(pattern, rate)) == expected


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_each_phase_counts_its_seconds_down_and_shows_its_word(pattern):
    rate = 4
    steps = _walk(pattern, rate)
    labels = {k: v["label"] for k, v in RAW_BREATHING["kinds"].items()}
    start = 0
    for _round in range(pattern.rounds):
        for phase in pattern.phases:
            chunk = steps[start:start + phase.seconds * rate]
            start += phase.seconds * rate
            assert {s.label for s in chunk} == {labels[phase.kind]}
            shown = [s.seconds_left for s in chunk]
            assert shown == sorted(shown, reverse=True)
            assert shown[0] == phase.seconds and shown[-1] == 1


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_the_circle_grows_on_the_in_breath_holds_and_shrinks_on_the_out_breath(pattern):
    steps = _walk(pattern, 4)
    for prev, cur in itertools.pairwise(steps):
        if cur.kind == prev.kind == "inhale":
            assert cur.fill > prev.fill
        elif cur.kind == prev.kind == "exhale":
            assert cur.fill < prev.fill
        elif cur.kind == prev.kind == "hold":
            assert cur.fill == prev.fill
    ends = {}
    for prev, cur in itertools.pairwise(steps):
        if cur.kind != prev.kind:
            ends.setdefault(prev.kind, set()).add(prev.fill)
    assert ends["inhale"] == {1.0}
    assert steps[-1].kind == "exhale" and steps[-1].fill == 0.0
    assert all(0.0 <= s.fill <= 1.0 for s in steps)


def test_the_exercise_ends_with_a_finished_step_and_full_progress():
    pattern = wellbeing.breathing_pattern()
    total = wellbeing.total_ticks(pattern, 4)
    assert total == 4 * sum(p["seconds"] for p in RAW_BREATHING["patterns"][0]["phases"]) \
        * RAW_BREATHING["patterns"][0]["rounds"]
    for tick in (total, total + 7):
        done = wellbeing.step_at(pattern, tick, 4)
        assert done.done and done.label == "完成" and done.progress == 1.0
        assert done.round_text == f"完成 {pattern.rounds} 轮"
    progress = [s.progress for s in _walk(pattern, 4)]
    assert progress == sorted(progress) and progress[0] == 0.0 and progress[-1] < 1.0


def test_the_default_pattern_holds_and_breathes_out_longer_than_in():
    pattern = wellbeing.breathing_pattern()
    kinds = [p.kind for p in pattern.phases]
    assert kinds == ["inhale", "hold", "exhale"]
    seconds = {p.kind: p.seconds for p in pattern.phases}
    assert seconds["exhale"] > seconds["inhale"]
    assert {p.label for p in pattern.phases} == {"吸气", "屏住", "呼气"}
    assert pattern.rounds >= 3 and pattern.total_seconds <= 90


def test_breathing_data_says_it_is_no_treatment_and_names_its_sources():
    assert "不是治疗" in RAW_BREATHING["note"] and "头晕" in RAW_BREATHING["note"]
    urls = [re.search(r"https?://\S+", s) for s in RAW_BREATHING["sources"]]
    assert len(urls) >= 2 and all(urls)
    assert any("国家卫生健康委" in s for s in RAW_BREATHING["sources"])


@pytest.mark.parametrize("tick, rate, field", [(-1, 4, "节拍"), (1.5, 4, "节拍"), (True, 4, "节拍"),
                                                (0, 0, "每秒的节拍数"), (0, 50, "每秒的节拍数")])
def test_bad_ticks_or_rates_get_a_chinese_message(tick, rate, field):
    with pytest.raises(WellbeingError, match=field):
        wellbeing.step_at(wellbeing.breathing_pattern(), tick, rate)


def test_an_unknown_pattern_lists_the_ones_there_are():
    with pytest.raises(WellbeingError) as err:
        wellbeing.breathing_pattern("box")
    for p in PATTERNS:
        assert p.id in str(err.value)


def _broken(change):
    data = copy.deepcopy(RAW_BREATHING)
    change(data)
    return data


@pytest.mark.parametrize("change, field", [
    (lambda d: d["patterns"][0]["phases"][0].update(kind="sigh"), "kind“sigh”"),
    (lambda d: d["patterns"][0]["phases"][1].update(seconds=0), "seconds"),
    (lambda d: d["patterns"][0]["phases"][1].update(seconds="4秒"), "seconds"),
    (lambda d: d["patterns"][0].update(rounds=99), "rounds"),
    (lambda d: d["patterns"][1].update(id=d["patterns"][0]["id"]), "重复"),
    (lambda d: d["patterns"][0].update(phases=[{"kind": "inhale", "seconds": 4}]), "呼气"),
    (lambda d: d["kinds"]["hold"].update(label=""), "kinds.hold.label"),
    (lambda d: d.update(sources=[]), "sources"),
])
def test_a_broken_breathing_file_names_the_file_and_field(change, field):
    with pytest.raises(WellbeingError) as err:
        wellbeing.parse_breathing(_broken(change))
    assert "wellbeing/breathing.yaml" in str(err.value) and field in str(err.value)


def test_the_engine_imports_no_jupyter_or_heavy_library():
    code = ("import sys, course.wellbeing as w; w.aftercare(); w.debrief_card()\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'ipywidgets', 'IPython', "
            "'numpy', 'pandas', 'matplotlib', 'nbgrader', 'traitlets'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- after-care -------------------------------------------------------------------------------

def test_aftercare_has_the_four_stages_in_order_each_with_several_steps():
    protocol = wellbeing.aftercare()
    assert [s.id for s in protocol.stages] == ["report", "rest", "support", "follow_up"]
    assert all(len(s.steps) >= 3 for s in protocol.stages)
    assert protocol.utility == local.current().utility


@pytest.mark.parametrize("stage, words", [
    ("report", ["110", "主管", "记录", "录像", "监控", "证据"]),
    ("rest", ["离开柜台", "顶岗"]),
    ("support", ["12356", "EAP"]),
    ("follow_up", ["第二天", "一周后", "复盘", "不追责", "安保"]),
])
def test_aftercare_stages_cover_what_the_protocol_must(stage, words):
    text = " ".join(s.text for s in wellbeing.aftercare().stage(stage).steps)
    for word in words:
        assert word in text, (stage, word)


def test_the_helpline_step_cites_the_health_commission_sources():
    steps = [s for st in wellbeing.aftercare().stages for s in st.steps if "12356" in s.text]
    assert steps
    for step in steps:
        assert step.sources and all("国家卫生健康委" in src.text for src in step.sources)
        assert any("2025 年 5 月 1 日" in src.text for src in step.sources)
        assert all(src.url.startswith("http") for src in step.sources)


def test_contacts_are_filled_into_the_steps():
    protocol = wellbeing.aftercare()
    text = "".join(s.text for st in protocol.stages for s in st.steps)
    assert "{" not in text and "}" not in text
    assert RAW_AFTERCARE["contacts"]["eap"] in text


def _broken_aftercare(change):
    data = copy.deepcopy(RAW_AFTERCARE)
    change(data)
    return data


@pytest.mark.parametrize("change, field", [
    (lambda d: d["stages"][0]["steps"][0].update(text="打给{security}"), "{security}"),
    (lambda d: d["stages"][2]["steps"][2].update(source="nobody"), "nobody"),
    (lambda d: d["sources"].append({"id": "spare", "text": "没人引用"}), "spare"),
    (lambda d: d["sources"][0].update(url="gs.people.com.cn"), "url"),
    (lambda d: d["stages"][1].update(id="report"), "重复"),
    (lambda d: d["stages"][3]["steps"][0].update(who=""), "who"),
    (lambda d: d["stages"][0].update(steps="报警"), "steps"),
])
def test_a_broken_aftercare_file_names_the_file_and_field(change, field):
    with pytest.raises(WellbeingError) as err:
        wellbeing.parse_aftercare(_broken_aftercare(change))
    assert "wellbeing/aftercare.yaml" in str(err.value) and field in str(err.value)


def test_aftercare_renders_as_a_printable_checklist_with_numbered_sources():
    protocol = wellbeing.aftercare()
    html = protocol._repr_html_()
    n_steps = sum(len(s.steps) for s in protocol.stages)
    assert html.count("☐") == n_steps
    assert "@media print" in html
    for n, src in enumerate(protocol.sources, 1):
        assert src.url in html
        assert f"<sup>[{n}]</sup>" in html
    assert protocol.utility in html
    for stage in protocol.stages:
        assert stage.title in html
    assert str(protocol).count("□") == n_steps


# --- pair debrief -----------------------------------------------------------------------------

def test_the_debrief_card_asks_the_five_questions_and_guides_the_trainer():
    card = wellbeing.debrief_card()
    titles = " ".join(q.title for q in card.questions)
    for topic in ("发生了什么", "身体", "对自己说", "帮了我", "下次"):
        assert topic in titles
    rules = " ".join(card.rules)
    assert "保密" in rules and "评判" in rules
    assert re.search(r"\d+ 分钟", card.timing)


def test_the_debrief_card_prints_and_saves_as_a_page(tmp_path):
    card = wellbeing.debrief_card()
    html = card._repr_html_()
    assert "@media print" in html and "break-before:page" in html
    assert html.count('class="course-lines"') == 2 * len(card.questions)
    for q in card.questions:
        assert q.title in html
    saved = card.save(tmp_path / "复盘卡.html")
    page = saved.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "@page" in page and card.title in page
    with pytest.raises(WellbeingError, match=r"\.html"):
        card.save(tmp_path / "复盘卡.pdf")
    with pytest.raises(WellbeingError, match="没能保存"):
        card.save(tmp_path / "没有这个文件夹" / "卡.html")


@pytest.mark.parametrize("change, field", [
    (lambda d: d.update(questions=d["questions"][:2]), "questions"),
    (lambda d: d["questions"][1].update(prompt=None), "questions 第 2 题的 prompt"),
    (lambda d: d["trainer"].update(rules=[]), "trainer.rules"),
])
def test_a_broken_debrief_file_names_the_file_and_field(change, field):
    data = copy.deepcopy(RAW_DEBRIEF)
    change(data)
    with pytest.raises(WellbeingError) as err:
        wellbeing.parse_debrief(data)
    assert "wellbeing/debrief.yaml" in str(err.value) and field in str(err.value)


# --- the reframing exercise -------------------------------------------------------------------

EMO = [name for name in list_yaml("exercises") if name.startswith("emo_")]
HELPFUL = "有帮助的换个角度"
TRAPS = {"压抑情绪", "自责", "报复对抗", "过度概括"}


def test_there_is_a_reframing_exercise_and_every_emo_file_loads():
    assert "emo_reframe" in EMO
    for name in EMO:
        exercises.load(name)


def test_each_hot_thought_has_one_helpful_reframe_and_three_different_traps():
    ex = exercises.load("emo_reframe")
    assert set(ex.categories) == TRAPS | {HELPFUL}
    by_thought: dict[str, list[str]] = {}
    for item in ex.items:
        thought = re.match(r"【(.+?)】", item.text)
        assert thought, item.text
        by_thought.setdefault(thought.group(1), []).append(item.answer)
    for needed in ("他就是故意找茬", "我肯定要被投诉扣钱了", "我什么都做不好"):
        assert needed in by_thought
    for thought, answers in by_thought.items():
        assert answers.count(HELPFUL) == 1, thought
        traps = [a for a in answers if a != HELPFUL]
        assert len(traps) in (2, 3) and len(set(traps)) == len(traps), thought
    used = {i.answer for i in ex.items}
    assert used == TRAPS | {HELPFUL}


def test_the_exercise_rewards_telling_the_traps_apart_not_one_guess():
    ex = exercises.load("emo_reframe")
    assert exercises.check(ex, {i.number: i.answer for i in ex.items}).score == 100
    for category in ex.categories:  # the same answer everywhere scores little
        result = exercises.check(ex, {i.number: category for i in ex.items})
        assert result.score <= 30, category
    helpful_only = {i.number: HELPFUL if i.answer == HELPFUL else "压抑情绪" for i in ex.items}
    assert exercises.check(ex, helpful_only).score < 60


def test_every_reframing_item_explains_itself():
    for item in exercises.load("emo_reframe").items:
        assert len(item.why) >= 20, item.text
