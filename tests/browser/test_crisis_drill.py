"""CrisisDrill in the chapter 4 lesson, played to its debrief in JupyterLab (headless Chromium)."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from course import crisis

from .conftest import click, run_lesson, type_into

pytestmark = pytest.mark.browser

LESSON = os.environ.get("COURSE_CH4_LESSON", "notebooks/04_危机公关.ipynb")


def test_a_drill_runs_to_its_debrief_in_the_lesson(page, lab):
    widget = run_lesson(page, lab, LESSON, ".course-crisis-drill")
    widget.locator(".course-crisis-timeline").wait_for()

    # The widget starts on the first incident in its dropdown; follow the same drill in-process.
    title = widget.locator(".course-crisis-incident select").input_value()
    incident = next(i for i in crisis.incidents() if i.id == title or i.title == title)
    mirror = crisis.start(incident.id)
    opening = mirror.timeline[0].text
    assert opening[:12] in widget.locator(".course-crisis-timeline").inner_text()

    # A bad statement first: the live review flags it, then the engine's own error for an empty one.
    while not mirror.state.ended:
        cp = mirror.state.checkpoint
        page.wait_for_function(
            "([sel, text]) => document.querySelector(sel)?.innerText.includes(text)",
            arg=[".course-crisis-drill .course-crisis-prompt", cp.skill],
        )
        if cp.kind == "statement":
            editor = widget.locator(".course-crisis-statement textarea")
            type_into(editor, mirror.example("defensive"), enter=False)
            widget.locator(".course-crisis-review-live").get_by_text("未通过").wait_for()
            type_into(editor, "", enter=False)
            # ipywidgets holds back a value update while an earlier one is in flight, but sends a
            # click at once: wait until the kernel has the empty text before publishing it.
            expect(widget.locator(".course-crisis-review-live")).to_have_text("", timeout=60_000)
            click(widget.locator(".course-crisis-publish"))
            widget.locator(".course-crisis-statement-error").get_by_text("不能为空").wait_for()
            text = mirror.example()
            type_into(editor, text, enter=False)
            widget.locator(".course-crisis-review-live").get_by_text("（通过）").wait_for()
            click(widget.locator(".course-crisis-publish"))
            mirror.statement(text)
        else:
            index = cp.options.index(cp.best)
            click(widget.locator(".course-crisis-option").nth(index))
            mirror.decide(cp.best.id)
        widget.locator(".course-crisis-feedback").get_by_text(cp.skill).wait_for()

    debrief = widget.locator(".course-crisis-debrief-view")
    debrief.get_by_text(crisis.OUTCOMES[mirror.state.outcome]).first.wait_for()
    assert mirror.state.outcome == dict(incident.expected)["best"]
    n = len(incident.checkpoints)
    assert f"最佳处置 {n}/{n}" in debrief.inner_text()
    assert widget.locator(".course-crisis-option").count() == 0
    clock = widget.locator(".course-crisis-clock").inner_text()
    assert f"舆情指数 {mirror.state.sentiment:.0f}" in clock
    assert widget.locator(".course-crisis-chart").count() == 1
