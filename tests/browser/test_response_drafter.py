"""ResponseDrafter in the chapter 2 lesson, in JupyterLab in headless Chromium."""

from __future__ import annotations

import os

import pytest

from course.coach import review

from .conftest import click, run_lesson

pytestmark = pytest.mark.browser

LESSON = os.environ.get("COURSE_CH2_LESSON", "notebooks/02_巧妙应答.ipynb")
BAD = "您好，公司的规定就是这样的，"
GOOD_END = "不过我马上帮您核对读数，今天下午给您回电话。祝您生活愉快！"


def test_typing_a_draft_highlights_the_forbidden_phrase(page, lab):
    drafter = run_lesson(page, lab, LESSON, ".course-response-drafter")
    box = drafter.locator(".course-drafter-text textarea")
    click(box)
    box.press_sequentially(BAD, delay=20)  # typed key by key: feedback is debounced

    hit = drafter.locator(".course-drafter-highlight .course-coach-hit")
    hit.first.wait_for()
    assert hit.first.inner_text() == review(BAD).forbidden[0].excerpt
    assert "禁语" in (hit.first.get_attribute("title") or "")
    expected = review(BAD, scenario="estimated_reading")
    score = drafter.locator(".course-drafter-score [data-score]")
    page.wait_for_function(
        "([sel, s]) => document.querySelector(sel)?.dataset.score === s",
        arg=[".course-drafter-score [data-score]", str(expected.score)],
    )
    assert score.get_attribute("data-forbidden") == str(len(expected.forbidden))

    # typing on after a re-render: nothing typed is lost
    box.press_sequentially(GOOD_END, delay=10)
    full = BAD + GOOD_END
    page.wait_for_function(
        "([sel, s]) => document.querySelector(sel)?.dataset.score === s",
        arg=[".course-drafter-score [data-score]",
             str(review(full, scenario="estimated_reading").score)],
    )
    assert box.input_value() == full
    assert drafter.locator(".course-drafter-finding-bad").count() >= 1
    if os.environ.get("COURSE_SCREENSHOTS"):  # for a human look: COURSE_SCREENSHOTS=/tmp/shots
        drafter.screenshot(path=os.path.join(os.environ["COURSE_SCREENSHOTS"], "drafter.png"))

    # the draft can be copied into an answer cell
    click(drafter.locator(".course-drafter-copy"))
    export = drafter.locator(".course-drafter-export textarea")
    export.wait_for()
    assert export.input_value() == f"我的回复 = {full!r}"
