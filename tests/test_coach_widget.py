"""ResponseDrafter widget (without a browser): a thin view over course.coach."""

from __future__ import annotations

import pytest

from course import coach
from course.coach import CoachError
from course.widgets.response_drafter import ResponseDrafter

BAD = "公司的规定就是这样的，你爱交不交。"
GOOD = "非常理解您的心情。我马上帮您核对抄表读数，今天下午五点前给您回电话。祝您生活愉快！"


def test_feedback_follows_the_draft_and_marks_forbidden_spans():
    d = ResponseDrafter("refuse_to_pay", debounce=0)
    d.set_draft(BAD)
    assert d.review == coach.review(BAD, scenario="refuse_to_pay")
    assert d._highlight.value.count('class="course-coach-hit"') == len(d.review.forbidden) > 0
    assert f'data-score="{d.review.score}"' in d._score.value
    assert "禁语" in d._findings.value


def test_typing_refreshes_without_losing_the_text():
    d = ResponseDrafter(debounce=0)
    d._text.value = GOOD  # as the browser would
    assert d.draft == GOOD
    assert d.review.text == GOOD and d.review.sandwich
    d._picker.value = "estimated_reading"  # re-render on another complaint keeps the draft
    assert d.draft == GOOD and d.review.scenario == "estimated_reading"
    assert d.review.addresses_core is True
    assert "估" in d._complaint.value


def test_copy_gives_a_line_for_an_answer_cell():
    d = ResponseDrafter(text=GOOD, debounce=0, answer_name="reply_q1")
    d._on_copy()
    ns: dict = {}
    exec(d._export.value, ns)
    assert ns["reply_q1"] == GOOD


def test_empty_draft_shows_a_chinese_hint_not_an_error():
    d = ResponseDrafter(debounce=0)
    assert d.review.score == 0
    assert "还没有内容" in d._highlight.value


def test_unknown_scenario_is_a_chinese_coach_error():
    with pytest.raises(CoachError, match="场景"):
        ResponseDrafter("nope")


def test_debounced_refresh_runs_once_after_typing_stops():
    import asyncio

    async def scenario():
        d = ResponseDrafter(debounce=0.05)
        for k in range(1, len(GOOD) + 1, 7):
            d._text.value = GOOD[:k]
        d._text.value = GOOD
        assert d.review.text == ""  # not yet: waiting for the pause
        await asyncio.sleep(0.2)
        return d

    # A thread of its own: other tests (nbclient, Playwright) may leave an event loop running in
    # the main thread, where asyncio.run() refuses to start.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        d = pool.submit(asyncio.run, scenario()).result()
    assert d.review.text == GOOD and d.draft == GOOD
