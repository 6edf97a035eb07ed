"""ObserverSheet in JupyterLab (headless Chromium): tick, name the group, submit to the board."""

from __future__ import annotations

import os

import nbformat
import pytest
from playwright.sync_api import expect

from course.board import Board

from .conftest import bring_into_view, cell_errors, click, open_notebook, run_all_cells, type_into

pytestmark = pytest.mark.browser

SCENARIO = "price_hike"
NOTEBOOK = "notebooks/观察表测试.ipynb"


def _write_notebook(lab) -> None:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}})
    nb.cells = [
        nbformat.v4.new_code_cell("import course.learner\n"
                                  "from course.widgets import ObserverSheet\n"
                                  "course.learner.setup()"),
        nbformat.v4.new_code_cell(f'ObserverSheet("{SCENARIO}")'),
    ]
    nbformat.write(nb, lab.root / NOTEBOOK)


def test_observer_ticks_three_boxes_and_submits_the_sheet_to_the_board(page, lab):
    _write_notebook(lab)
    page.set_viewport_size({"width": 820, "height": 1000})  # a tablet in landscape-ish width
    open_notebook(page, lab, NOTEBOOK)
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    run_all_cells(page)
    assert cell_errors(page) == []
    widget = page.locator(".course-observer").first
    bring_into_view(widget)
    for item in ("action", "step", "layer"):
        click(widget.locator(f".course-observer-{item} input[type=checkbox]").first)
    score = widget.locator(".course-observer-score [data-score]")
    expect(score).to_have_attribute("data-score", "3")
    type_into(widget.locator(".course-observer-pair input"), "第2组 张三", enter=False)
    click(widget.locator(".course-observer-submit"))
    status = widget.locator(".course-observer-status")
    expect(status).to_contain_text("已提交观察表")
    expect(status).to_contain_text("第2组 张三")

    board = Board(f"sqlite:///{lab.root / '.course' / 'board.sqlite'}")
    [post] = [p for p in board.rows("observer") if p.payload["pair"] == "第2组 张三"]
    assert post.payload["scenario"] == SCENARIO and post.payload["score"] == 3
    assert post.payload["ticks"]["action1"] and post.payload["ticks"]["step1"]
    assert post.payload["ticks"]["layer1"] and post.payload["observer"]
    box = widget.bounding_box()  # long items wrap: nothing sticks out to the right
    for cell in widget.locator(".course-observer-item").all()[:6]:
        part = cell.bounding_box()
        assert part["x"] + part["width"] <= box["x"] + box["width"] + 1
    if os.environ.get("COURSE_SCREENSHOTS"):  # for a human look: COURSE_SCREENSHOTS=/tmp/shots
        widget.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.screenshot(path=os.path.join(os.environ["COURSE_SCREENSHOTS"], "observer.png"))
        status.evaluate("e => e.scrollIntoView({block: 'end'})")
        page.screenshot(path=os.path.join(os.environ["COURSE_SCREENSHOTS"], "observer_end.png"))
