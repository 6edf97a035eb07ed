"""Service awareness and complaint prevention (seed 003): data, exercises, self-checks, lesson 02.

Every item of seed 003's service lists is explained with a service-hall example and practised by
a sorting exercise or a self-check; the lesson shows each topic next to its exercise.
"""

from __future__ import annotations

import copy
import re
from html import escape
from pathlib import Path

import nbformat
import pytest

from course import exercises, local, service
from course._data import list_yaml, load_yaml
from course.grading.selfcheck import check

REPO = Path(__file__).resolve().parents[1]
LESSON = REPO / "notebooks" / "02_巧妙应答.ipynb"
RAW = load_yaml("service.yaml")
TOPICS = service.topics()
IDS = [t.id for t in TOPICS]
CJK_GAP = re.compile(r"[\u4e00-\u9fff，。；：、“”] [\u4e00-\u9fff，。；：、“”]")

# The lists as seed 003 numbers them (大堂关键时刻 has nine, numbered with two "8").
SEED_COUNTS = {"levels": 3, "needs": 8, "counter_steps": 7, "hall_moments": 9,
               "prevention": 5, "principles": 3, "intake": 4}


def test_service_data_file_is_valid_and_sourced():
    assert service.validate(RAW) == []
    assert RAW["source"].startswith("seed 003")
    assert all(t.source.startswith("seed 003") for t in TOPICS)


def test_every_seed_003_service_list_is_there_with_all_its_items():
    assert {t.id: len(t.items) for t in TOPICS} == SEED_COUNTS


@pytest.mark.parametrize("tid", IDS)
def test_every_item_is_explained_with_an_example_in_chinese(tid):
    for item in service.topic(tid).items:
        for text in (item.explain, item.example):
            assert len(text) >= 15 and re.search(r"[\u4e00-\u9fff]", text), (item.name, text)
            assert "{本地." not in text and not CJK_GAP.search(text), (item.name, text)
        assert item.example != item.explain


@pytest.mark.parametrize("tid", IDS)
def test_every_item_is_practised_by_its_sorting_exercise_or_a_self_check(tid):
    topic = service.topic(tid)
    ex = exercises.load(topic.exercise)
    assert ex.source.startswith("seed 003")
    assert set(ex.categories) <= set(topic.names), "a category that is not an item of the topic"
    answered = {i.answer for i in ex.items}
    assert answered == set(ex.categories), "a category no exercise item belongs to"
    for item in topic.items:
        if item.selfcheck:
            set_name, _, question = item.selfcheck.partition(".")
            assert question in load_yaml(f"selfcheck/{set_name}.yaml"), item.selfcheck
        else:
            assert item.name in answered, f"{item.name} is not practised"


def test_service_exercises_are_all_used_by_a_topic():
    shipped = {e for e in list_yaml("exercises") if e.startswith("svc_")}
    assert shipped == {t.exercise for t in TOPICS}


def test_local_facts_in_the_examples_come_from_the_local_profile():
    raw = local.current().as_dict()
    raw["hotline"]["number"] = "12399"
    raw["meter_test"]["days"] = 7
    changed = service.topics(local.Profile(copy.deepcopy(raw)))
    texts = " ".join(i.example for t in changed for i in t.items)
    default = " ".join(i.example for t in TOPICS for i in t.items)
    used = sum("{本地.hotline.number}" in i["example"] for t in RAW["topics"] for i in t["items"])
    assert used >= 2
    assert texts.count("12399") == used and "12399" not in default
    assert "7 个工作日" in texts and f"{local.current().text('meter_test.days')} 个工作日" in default


@pytest.mark.parametrize(("question", "answer", "wrong"), [
    ("ch2_service.rethink", "B", ["A", "C", "D"]),
    ("ch2_service.assign_deadline", "C", ["A", "B", "D"]),
])
def test_service_self_checks_accept_the_key_and_reject_the_others(question, answer, wrong):
    assert check(question, answer).correct
    assert check(question, chr(ord(answer) + 0xFEE0)).correct  # full-width, typed with an IME
    for w in wrong:
        result = check(question, w)
        assert not result.correct and result.hint


def _broken(mutate) -> list[str]:
    raw = copy.deepcopy(RAW)
    mutate(raw)
    return service.validate(raw, "service.yaml")


@pytest.mark.parametrize(("mutate", "expected"), [
    (lambda r: r["topics"][0].pop("exercise"), "第 1 个专题 缺少 exercise"),
    (lambda r: r["topics"][1]["items"][2].update(example=""), "第 2 个专题 的 items 第 3 条 的 example"),
    (lambda r: r["topics"][0]["items"][0].update(tip="x"), "不认识的项 tip"),
    (lambda r: r["topics"][2]["items"].append(copy.deepcopy(r["topics"][2]["items"][0])),
     "name“热情迎”重复了"),
    (lambda r: r["topics"][3].update(id="levels"), "id“levels”和前面的专题重复了"),
    (lambda r: r["topics"][6]["items"][3].update(selfcheck="一小时"), "selfcheck 应写成“练习集.题目”"),
    (lambda r: r.pop("topics"), "应当有 topics"),
])
def test_a_broken_data_file_gets_a_chinese_message_naming_file_and_field(mutate, expected):
    problems = _broken(mutate)
    assert problems and any(expected in p for p in problems), problems
    assert all(p.startswith("数据文件 service.yaml") for p in problems)


def test_unknown_topic_or_item_is_named_in_chinese():
    with pytest.raises(service.ServiceError, match="没有名为“mood”的服务专题；有的是：levels"):
        service.topic("mood")
    with pytest.raises(service.ServiceError, match="没有“微笑”这一条；有的是：热情迎"):
        service.topic("counter_steps").item("微笑")


def test_topic_card_shows_every_item_its_example_and_the_drill():
    topic = service.topic("counter_steps")
    html = topic._repr_html_()
    for item in topic.items:
        assert escape(item.name) in html and escape(item.example) in html
    assert "小组演练" in html and topic.drill in str(topic)


# -- lesson 02 ------------------------------------------------------------------------------------

def _section() -> list[nbformat.NotebookNode]:
    nb = nbformat.read(LESSON, as_version=4)
    start = next(i for i, c in enumerate(nb.cells) if c.source.startswith("## 0.5 服务意识与投诉预防"))
    end = next(i for i in range(start + 1, len(nb.cells))
               if re.match(r"## (?!0\.5)", nb.cells[i].source))
    return nb.cells[start:end]


def test_lesson_shows_every_topic_next_to_its_exercise():
    code = [c.source for c in _section() if c.cell_type == "code"]
    for t in TOPICS:
        shown = next(i for i, s in enumerate(code) if f'service.topic("{t.id}")' in s)
        practised = next(i for i, s in enumerate(code) if f'SortingExercise("{t.exercise}")' in s)
        assert 0 < practised - shown <= 3, t.id
    selfchecks = {i.selfcheck for t in TOPICS for i in t.items if i.selfcheck}
    for q in selfchecks:
        assert any(f'check("{q}"' in s for s in code), q


def test_lesson_contents_list_the_section_headings_in_order():
    nb = nbformat.read(LESSON, as_version=4)
    toc = next(c.source for c in nb.cells if "<!-- toc -->" in c.source)
    listed = [t for t in re.findall(r"- \[(.+?)\]\(#", toc) if t.startswith("0.5")]
    heads = [m.group(1) for c in _section() if c.cell_type == "markdown"
             for m in re.finditer(r"(?m)^#{2,3} (.+)$", c.source)]
    assert listed == heads and len(heads) >= 7


@pytest.mark.notebooks
def test_lesson_section_runs_after_the_setup_cell():
    from nbclient import NotebookClient

    nb = nbformat.read(LESSON, as_version=4)
    setup = next(c for c in nb.cells if c.cell_type == "code" and "course.learner.setup()" in c.source)
    cells = [setup] + [c for c in _section() if c.cell_type == "code"]
    run = nbformat.v4.new_notebook(cells=[copy.deepcopy(c) for c in cells])
    NotebookClient(run, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(LESSON.parent)}}).execute()
    outputs = [o for c in run.cells for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
    html = " ".join("".join(o.get("data", {}).get("text/html", "")) for o in outputs)
    for t in TOPICS:
        assert t.title in html
    assert "还没有作答" in html  # the self-checks, still blank, say what to do
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(widgets) >= len(TOPICS)  # one per topic, plus the section's sorting exercises
