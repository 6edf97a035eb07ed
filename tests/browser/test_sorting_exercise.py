"""SortingExercise in JupyterLab (headless Chromium), on a narrow window with long Chinese texts."""

from __future__ import annotations

import os

import nbformat
import pytest
from playwright.sync_api import expect

from course import exercises

from .conftest import (
    bring_into_view,
    cell_errors,
    choose,
    click,
    open_notebook,
    run_all_cells,
    wait_idle,
)

pytestmark = pytest.mark.browser

EX = "chk_true_purpose"
NOTEBOOK = "notebooks/分类练习测试.ipynb"


def _write_notebook(lab) -> None:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}})
    nb.cells = [
        nbformat.v4.new_code_cell("import course.learner\n"
                                  "from course.widgets.sorting import SortingExercise\n"
                                  "course.learner.setup()"),
        nbformat.v4.new_code_cell(f'SortingExercise("{EX}")'),
    ]
    nbformat.write(nb, lab.root / NOTEBOOK)


def test_sorting_checks_each_item_and_keeps_the_choices_after_a_restart(page, lab):
    _write_notebook(lab)
    page.set_viewport_size({"width": 720, "height": 900})  # a narrow window: texts must wrap
    open_notebook(page, lab, NOTEBOOK)
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    run_all_cells(page)
    assert cell_errors(page) == []
    widget = page.locator(".course-sorting").first
    bring_into_view(widget)
    ex = exercises.load(EX)
    first, second = ex.items[:2]
    wrong = next(c for c in ex.categories if c != second.answer)
    selects = widget.locator(".course-sorting-choice select")
    expect(selects).to_have_count(len(ex.items))
    choose(selects.nth(0), first.answer)
    choose(selects.nth(1), wrong)
    click(widget.locator(".course-sorting-check"))

    score = widget.locator(".course-sorting-score [data-right]")
    expect(score).to_have_attribute("data-right", "1")
    expected = exercises.check(EX, {1: first.answer, 2: wrong})
    expect(score).to_contain_text(expected.summary)
    items = widget.locator(".course-sorting-item")
    expect(items.nth(0).locator(".course-sorting-verdict")).to_have_attribute("data-status", "right")
    expect(items.nth(1).locator(".course-sorting-verdict")).to_have_attribute("data-status", "wrong")
    expect(items.nth(1).locator(".course-sorting-why")).to_contain_text(second.why)

    # long texts wrap inside the narrow window: nothing sticks out to the right
    box = widget.bounding_box()
    for i in range(len(ex.items)):
        part = items.nth(i).locator(".course-sorting-text").bounding_box()
        assert part["x"] + part["width"] <= box["x"] + box["width"] + 1
    if os.environ.get("COURSE_SCREENSHOTS"):  # for a human look: COURSE_SCREENSHOTS=/tmp/shots
        items.nth(1).evaluate("e => e.scrollIntoView({block: 'start'})")
        page.screenshot(path=os.path.join(os.environ["COURSE_SCREENSHOTS"], "sorting.png"))

    # a kernel restart and a rerun bring the choices and the checked verdicts back
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session"
                  ".kernel.restart()")
    wait_idle(page)
    run_all_cells(page)
    widget = page.locator(".course-sorting").first
    bring_into_view(widget)
    selects = widget.locator(".course-sorting-choice select")
    expect(selects.nth(0)).to_have_value(first.answer)
    expect(selects.nth(1)).to_have_value(wrong)
    expect(widget.locator(".course-sorting-score [data-right]")).to_have_attribute("data-right", "1")
