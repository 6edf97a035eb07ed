"""PracticeItem in JupyterLab (headless Chromium): a wrong try, a right try, a fresh variant, and
the counts back after a kernel restart."""

from __future__ import annotations

import os

import nbformat
import pytest
from playwright.sync_api import expect

from course.itembank.practice import practice_variant

from .conftest import (
    bring_into_view,
    cell_errors,
    click,
    open_notebook,
    run_all_cells,
    type_into,
    wait_idle,
)

pytestmark = pytest.mark.browser

REF = "ch1.q1_bill_tier3"
NOTEBOOK = "notebooks/练习题测试.ipynb"


def _write_notebook(lab) -> None:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}})
    nb.cells = [nbformat.v4.new_code_cell("import course.learner\nfrom course.widgets import PracticeItem\n"
                                          "course.learner.setup()"),
                nbformat.v4.new_code_cell(f'PracticeItem("{REF}")')]
    nbformat.write(nb, lab.root / NOTEBOOK)


def test_practice_item_checks_retries_and_keeps_the_count(page, lab) -> None:
    import getpass

    _write_notebook(lab)
    open_notebook(page, lab, NOTEBOOK)
    run_all_cells(page)
    assert cell_errors(page) == []
    widget = page.locator(".course-practice").first
    bring_into_view(widget)
    first = practice_variant(REF, 0, getpass.getuser())
    expect(widget.locator(".course-practice-question")).to_contain_text(f"{first.params['usage']} 立方米")
    field = widget.locator(".course-practice-answer input")
    type_into(field, "１２", enter=False)
    click(widget.locator(".course-practice-check"))
    expect(widget.locator(".course-practice-feedback [data-correct]")).to_have_attribute("data-correct", "0")
    expect(widget.locator(".course-practice-feedback")).to_contain_text("还不对")
    typed = f"{first.answer:g}".translate({ord(str(d)): chr(0xFF10 + d) for d in range(10)})
    type_into(field, typed, enter=False)
    click(widget.locator(".course-practice-check"))
    expect(widget.locator(".course-practice-feedback [data-correct]")).to_have_attribute("data-correct", "1")
    expect(widget.locator(".course-practice-count")).to_contain_text("已检查 2 次，答对 1 次")
    if os.environ.get("COURSE_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["COURSE_SCREENSHOTS"], "practice.png"))
    click(widget.locator(".course-practice-next"))
    second = practice_variant(REF, 1, getpass.getuser())
    expect(widget.locator(".course-practice-question")).to_contain_text("第 2 题")
    expect(widget.locator(".course-practice-question")).to_contain_text(f"{second.params['usage']} 立方米")

    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart()")
    wait_idle(page)
    run_all_cells(page)
    widget = page.locator(".course-practice").first
    bring_into_view(widget)
    expect(widget.locator(".course-practice-count")).to_contain_text("已检查 2 次，答对 1 次")
    expect(widget.locator(".course-practice-question")).to_contain_text("第 2 题")
