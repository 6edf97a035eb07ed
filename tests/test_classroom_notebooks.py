"""The classroom in the lesson notebooks: 本班的难题 in lessons 01–04, day 3 and the action plan in
05, and the trainer's 讲师看板 notebook. Cells are run in-process against a temporary board."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NB = REPO / "notebooks"
LESSONS = {"01": "01_阶梯水价.ipynb", "02": "02_巧妙应答.ipynb", "03": "03_恶意投诉.ipynb",
           "04": "04_危机公关.ipynb"}
FINAL, TRAINER = "05_综合演练.ipynb", "讲师看板.ipynb"


def _nb(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NB / name, as_version=4)


def _headings(nb: nbformat.NotebookNode) -> list[str]:
    return [m.group(1) for c in nb.cells if c.cell_type == "markdown"
            for m in re.finditer(r"^#{1,3} (.+)$", c.source, flags=re.M)]


def _code_after(nb: nbformat.NotebookNode, needle: str) -> list[str]:
    """The code cells that mention ``needle``."""
    return [c.source for c in nb.cells if c.cell_type == "code" and needle in c.source]


def _run(source: str, scope: dict | None = None) -> object:
    """Execute a cell (in the notebook's shared ``scope``) and return its last line's value."""
    *body, last = source.strip().splitlines()
    scope = {} if scope is None else scope
    exec("\n".join(body), scope)
    return eval(last, scope)


def _html(value: object) -> str:
    return value.data if hasattr(value, "data") else str(value)


@pytest.fixture
def board(tmp_path, monkeypatch):
    from course.board import open_board

    monkeypatch.setenv("COURSE_BOARD_URL", f"sqlite:///{tmp_path / 'board.sqlite'}")
    monkeypatch.setenv("COURSE_ROOT", str(tmp_path))
    return open_board()


def test_ids_are_unique_and_notebooks_valid():
    for name in [*LESSONS.values(), FINAL, TRAINER]:
        nb = _nb(name)
        nbformat.validate(nb)
        ids = [c.id for c in nb.cells]
        assert len(ids) == len(set(ids)), name


@pytest.mark.parametrize("chapter", sorted(LESSONS))
def test_lessons_show_this_class_problems_near_the_start(chapter, board):
    nb = _nb(LESSONS[chapter])
    heads = _headings(nb)
    assert "本班的难题" in heads
    assert heads.index("本班的难题") < 6  # right after the introduction / 准备工作
    (cell,) = _code_after(nb, "cases_html")
    assert f'cases_html("{chapter}")' in cell
    empty = _html(_run(cell))
    assert "还没有归入" in empty and "Traceback" not in empty
    post = board.post("problem", {"text": "用户说新水表走得太快"}, learner="a")
    board.post("problem", {"text": "别的章节的难题"}, learner="b")
    board.tag(post.id, chapter)
    shown = _html(_run(cell))
    assert "用户说新水表走得太快" in shown and "别的章节的难题" not in shown


def test_cases_without_a_course_root_is_a_chinese_line(tmp_path, monkeypatch):
    from course.board import cases_html

    monkeypatch.delenv("COURSE_BOARD_URL", raising=False)
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    text = cases_html("01")
    assert "学员提出的难题" in text and "Traceback" not in text


def test_final_lesson_has_day3_observer_and_action_plan(board):
    nb = _nb(FINAL)
    heads = _headings(nb)
    assert "第三天：轮站模拟" in heads and "第五幕 学习总结与行动计划" in heads
    scope: dict = {}
    (day3,) = _code_after(nb, "day3_html")
    text = _html(_run(day3, scope))
    for part in ("柜台", "热线", "评分项", "怎样轮站", "分数去哪里"):
        assert part in text, part
    assert "refuse_to_pay" not in text  # scenario titles, not ids
    (rank,) = _code_after(nb, "ranking_html")
    assert "还没有" in _html(_run(rank, scope))
    board.post("station_score", {"station": "counter", "team": "第1队", "judge": "李老师",
                                 "scores": {"empathy": 4}, "total": 80})
    board.post("station_score", {"station": "热线", "team": "第2队", "judge": "李老师",
                                 "scores": {"empathy": 3}, "total": 60})
    ranked = _html(_run(rank, scope))
    assert "第1队" in ranked and "第 1 名" in ranked and "柜台" in ranked
    assert ranked.index("第1队") < ranked.index("第2队")
    observer = _code_after(nb, "ObserverSheet(")
    assert observer and type(_run(observer[0])).__name__ == "ObserverSheet"
    plan = _code_after(nb, "ActionPlan()")
    assert plan and type(_run(plan[0])).__name__ == "ActionPlan"
    cells = [c.source for c in nb.cells]
    assert cells.index(plan[0]) > cells.index(next(c for c in cells if "## 第五幕" in c))


def test_trainer_notebook_sections_and_cells(board):
    nb = _nb(TRAINER)
    heads = _headings(nb)
    for part in ("讲师看板", "1. 实时看板", "2. 把难题归入章节", "4. 第三天排名", "5. 结业证书"):
        assert part in heads, part
    text = "\n".join(c.source for c in nb.cells)
    for cmd in ("course board tag", "course certificates", "course certificates verify"):
        assert cmd in text, cmd
    post = board.post("problem", {"text": "客户要找媒体曝光"}, learner="a")
    scope: dict = {}
    (view,) = _code_after(nb, "BoardView()")
    widget = _run(view, scope)
    assert "客户要找媒体曝光" in widget.view.value
    widget.stop()
    board.tag(post.id, "02")
    (cases,) = _code_after(nb, "cases_html")
    assert "客户要找媒体曝光" in _html(_run(cases, scope))


def test_handbook_names_scenarios_by_title_not_by_code():
    from course import roleplay
    from course.handbook.render import _titled, handbook_html

    text = re.sub(r"<[^>]+>", "", handbook_html())
    codes = [s for s in roleplay.scenarios() if re.search(rf"\b{s}\b", text)]
    assert codes == []
    assert "粗蛮型客户在营业厅大吵大闹" in text
    assert _titled("以“停水没通知，居民上了本地新闻”（outage_media）为例") == "以“停水没通知，居民上了本地新闻”为例"
    assert _titled("柜台岗选 rude_customer，") == "柜台岗选「粗蛮型客户在营业厅大吵大闹」，"
    assert _titled("用 not_a_code 试试") == "用 not_a_code 试试"
