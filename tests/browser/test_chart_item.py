"""A tier-chart item in JupyterLab (headless Chromium): the learner's own household's chart shows
as a picture under the question, and the practice widget takes an answer typed with a Chinese
input method (full-width digits, a unit) and shows the next household's chart."""

from __future__ import annotations

import getpass
import os

import nbformat
import pytest
from playwright.sync_api import expect

from course.itembank import variant
from course.itembank.practice import practice_variant

from .conftest import bring_into_view, cell_errors, click, open_notebook, run_all_cells, type_into

pytestmark = pytest.mark.browser

REF = "ch1.q3_marginal_price"
NOTEBOOK = "notebooks/读图题测试.ipynb"


def _full_width(text: str) -> str:
    return text.translate({ord(str(d)): chr(0xFF10 + d) for d in range(10)} | {ord("."): "．"})


def _write_notebook(lab) -> None:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}})
    nb.cells = [nbformat.v4.new_code_cell("import course.learner\nfrom course.itembank import show\n"
                                          "from course.widgets import PracticeItem\ncourse.learner.setup()"),
                nbformat.v4.new_code_cell(f'show("{REF}")'),
                nbformat.v4.new_code_cell(f'PracticeItem("{REF}")')]
    nbformat.write(nb, lab.root / NOTEBOOK)


def _chart_drawn(img) -> bool:
    return img.evaluate("el => el.complete && el.naturalWidth > 300 && el.naturalHeight > 150")


def test_a_chart_item_shows_the_learners_chart_and_takes_a_full_width_answer(page, lab) -> None:
    who = getpass.getuser()
    _write_notebook(lab)
    open_notebook(page, lab, NOTEBOOK)
    run_all_cells(page)
    assert cell_errors(page) == []
    mine = variant(REF, who)
    shown = page.locator(".jp-OutputArea-output .course-item").first
    bring_into_view(shown)
    expect(shown).to_contain_text(f"{mine.params['usage']} 立方米")
    chart = shown.locator(f"img[alt='{mine.params['household']} 人户的阶梯价格图']")
    expect(chart).to_be_visible()
    assert _chart_drawn(chart)

    widget = page.locator(".course-practice").first
    bring_into_view(widget)
    first = practice_variant(REF, 0, who)
    question = widget.locator(".course-practice-question")
    expect(question.locator(f"img[alt='{first.params['household']} 人户的阶梯价格图']")).to_be_visible()
    field = widget.locator(".course-practice-answer input")
    type_into(field, _full_width(f"{first.answer:.2f}") + "元", enter=False)
    click(widget.locator(".course-practice-check"))
    expect(widget.locator(".course-practice-feedback")).to_contain_text("元/立方米")
    expect(widget.locator(".course-practice-feedback [data-correct]")).to_have_attribute("data-correct", "1")
    if os.environ.get("COURSE_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["COURSE_SCREENSHOTS"], "chart_item.png"), full_page=True)
    click(widget.locator(".course-practice-next"))
    second = practice_variant(REF, 1, who)
    expect(question).to_contain_text(f"{second.params['usage']} 立方米")
    assert _chart_drawn(question.locator("img").first)
