"""ScenarioPlayer in the chapter 3 lesson, played to an ending in JupyterLab (headless Chromium)."""

from __future__ import annotations

import os
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from course import roleplay

from .conftest import click, run_lesson, type_into

pytestmark = pytest.mark.browser

LESSON = os.environ.get("COURSE_CH3_LESSON", "notebooks/03_恶意投诉.ipynb")
SCENARIO = "refuse_to_pay"  # the lesson's player starts here, seed 0
expect.set_options(timeout=30_000)  # the machine may be busy: wait longer than the 5 s default


def _wait_for_text(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([sel, text]) => [...document.querySelectorAll(sel)].some(e => e.innerText.includes(text))",
        arg=[selector, text],
    )


def test_lesson_player_plays_a_scenario_to_a_resolved_ending(page, lab):
    player = run_lesson(page, lab, LESSON, ".course-scenario-player")
    player.locator(".course-roleplay-option").first.wait_for()

    # An empty free reply: a Chinese message next to the box, nothing played
    click(player.locator(".course-roleplay-send"))
    player.locator(".course-roleplay-reply-error").get_by_text("回复内容").wait_for()
    assert 'data-anger="' in player.locator(".course-roleplay-status").inner_html()

    # The engine, replayed in the test, says which shown option is the good one at each step
    session = roleplay.start(SCENARIO, seed=0)
    for index in roleplay.scripted_path(SCENARIO, "good"):
        expected_text = session.options[index]
        label = player.locator(".course-roleplay-option-text").nth(index)
        expect(label).to_have_text(expected_text)  # waits for the new step's options
        click(player.locator(".course-roleplay-option").nth(index))
        answer = session.choose(index).text
        _wait_for_text(page, ".course-scenario-player .course-roleplay-chat", answer)
        status = player.locator(".course-roleplay-status p")
        expect(status).to_have_attribute("data-anger", str(session.state.anger))
        expect(status).to_have_attribute("data-level", str(session.state.level))
        if os.environ.get("COURSE_SCREENSHOTS") and session.state.turn == 1:
            player.locator(".course-roleplay-chat").scroll_into_view_if_needed()
            page.screenshot(path=os.path.join(os.environ["COURSE_SCREENSHOTS"],
                                              "scenario_player_turn1.png"))

    assert session.state.outcome == "resolved"
    outcome = player.locator(".course-roleplay-outcome")
    expect(outcome).to_have_attribute("data-outcome", "resolved")
    debrief = player.locator(".course-roleplay-debrief")
    debrief.wait_for()
    assert "复盘" in debrief.inner_text()
    assert session.state.ending.explanation in debrief.inner_text()
    expect(player.locator(".course-roleplay-option")).to_have_count(0)
    expect(player.locator(".course-roleplay-chart img")).to_have_count(1)

    # Markdown export: a download link holding the whole transcript
    click(player.locator(".course-roleplay-export"))
    link = player.locator(".course-roleplay-download-link")
    link.wait_for()
    markdown = unquote(link.get_attribute("href").split(",", 1)[1])
    assert markdown == session.to_markdown()
    shots = os.environ.get("COURSE_SCREENSHOTS")  # optional: a folder for a visual check
    if shots:
        debrief.scroll_into_view_if_needed()
        page.screenshot(path=os.path.join(shots, "scenario_player_resolved.png"))


def test_free_reply_with_a_forbidden_phrase_angers_the_customer(page, lab):
    player = run_lesson(page, lab, LESSON, ".course-scenario-player")
    before = int(player.locator(".course-roleplay-status p").get_attribute("data-anger"))
    text = "公司的规定就是这样的，你爱交不交。"
    type_into(player.locator(".course-roleplay-reply textarea"), text, enter=False)
    click(player.locator(".course-roleplay-send"))
    _wait_for_text(page, ".course-scenario-player .course-roleplay-chat", text)
    session = roleplay.start(SCENARIO, seed=0)
    turn = session.reply(text)
    _wait_for_text(page, ".course-scenario-player .course-roleplay-chat", turn.text)
    assert turn.state.anger > before
    expect(player.locator(".course-roleplay-status p")).to_have_attribute(
        "data-anger", str(turn.state.anger))
    expect(player.locator(".course-roleplay-reply textarea")).to_have_value("")
