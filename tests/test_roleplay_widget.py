"""ScenarioPlayer without a browser: buttons drive the engine, errors show in Chinese."""

from __future__ import annotations

from urllib.parse import unquote

from course import roleplay as rp
from course.roleplay.catalog import rules
from course.widgets.scenario_player import ScenarioPlayer


def _good(player: ScenarioPlayer) -> int:
    s = player.session
    return next(i for i, o in enumerate(s.option_details)
                if set(o.signals) & set(s.current_goal) and not set(o.signals) & rules().blocking)


def _buttons(player: ScenarioPlayer) -> list:
    return [row.children[0] for row in player._options.children]


def test_option_rows_match_the_engine_options():
    p = ScenarioPlayer("price_hike", chart=False)
    texts = [row.children[1].value for row in p._options.children]
    assert texts == list(p.session.options)
    assert [b.description for b in _buttons(p)] == list("ABCD")


def test_clicking_good_buttons_plays_to_the_success_ending_with_a_debrief():
    p = ScenarioPlayer("obstruction", chart=False)
    while not p.session.state.ended:
        _buttons(p)[_good(p)].click()
    assert p.session.state.ending.kind == "success"
    assert "复盘" in p._debrief.value
    assert p._options.children == ()
    assert p._reply.disabled and p._send_btn.disabled
    assert f'data-outcome="{p.session.state.outcome}"' in p._status.value


def test_empty_reply_shows_a_chinese_error_and_keeps_the_turn():
    p = ScenarioPlayer("threat", chart=False)
    p._reply.value = "   "
    p._send_btn.click()
    assert "course-error" in p._error.value and "回复内容" in p._error.value
    assert p.session.state.turn == 0
    assert p._reply.value == "   "


def test_free_reply_goes_through_the_coach_and_clears_the_box():
    p = ScenarioPlayer("price_hike", chart=False)
    p._reply.value = "公司的规定就是这样的。"
    p._send_btn.click()
    assert p.session.state.turn == 1
    assert "forbidden" in p.session.moves[0].signals
    assert p._reply.value == ""
    assert "公司的规定就是这样的。" in p._chat.value


def test_status_shows_anger_trust_and_level_from_the_state():
    p = ScenarioPlayer("rude_customer", chart=False)
    p.choose(0)
    st = p.session.state
    assert f'data-anger="{st.anger}"' in p._status.value
    assert f'data-level="{st.level}"' in p._status.value
    assert rp.escalation_levels()[st.level - 1].name in p._status.value


def test_chart_is_drawn_after_every_turn():
    p = ScenarioPlayer("threat")
    first = p._chart.children[0].value
    p.choose(0)
    assert p._chart.children[0].value != first
    assert p._chart.children[0].value[:4] == b"\x89PNG"


def test_export_link_holds_the_markdown_transcript():
    p = ScenarioPlayer("cannot_afford", chart=False)
    p.choose(_good(p))
    p._export_btn.click()
    href = p._export.value.split('href="', 1)[1].split('"', 1)[0]
    md = unquote(href.split(",", 1)[1])
    assert md == p.markdown
    assert all(line.text in md for line in p.session.transcript)


def test_strategy_lookup_shows_the_boundary():
    p = ScenarioPlayer(chart=False)
    p._strategy.value = "consequences_and_options"
    assert rp.strategy("consequences_and_options").boundary in p._strategy_card.value


def test_picking_another_scenario_restarts():
    p = ScenarioPlayer("price_hike", chart=False)
    p.choose(0)
    p._picker.value = "threat"
    assert p.session.scenario.id == "threat" and p.session.state.turn == 0
    assert rp.scenario("threat").beats[0].customer[0] in p._chat.value


def test_learner_text_is_escaped_in_the_chat():
    p = ScenarioPlayer("price_hike", chart=False)
    p.reply("<b>您好</b>，我理解您的心情。")
    assert "&lt;b&gt;" in p._chat.value


def test_last_turn_feedback_names_what_the_turn_did():
    p = ScenarioPlayer("rude_customer", chart=False)
    assert p._feedback.value == ""
    p.choose(_good(p))
    move = p.session.moves[-1]
    assert rp.signal_label(move.signals[0]) in p._feedback.value
    assert f"{move.anger_change:+d}" in p._feedback.value
