"""Role-play engine: scenarios as data, transitions, endings, determinism, strategies, errors."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course import roleplay as rp
from course._data import load_yaml
from course.coach import review
from course.roleplay.catalog import rules

SCENARIOS = rp.scenarios()
SAFETY = [sid for sid in SCENARIOS if rp.scenario(sid).safety_protocol]

# The eight hard cases of seed 000 第三章 四 and the five difficult types of seed 003.
SEED_CASES = range(1, 9)
SEED_TYPES = {"感情用事者", "以正义感表达者", "固执己见者", "有备而来者", "有社会背景、宣传能力者"}
# The 22 names exactly as seed 000 第三章 二 lists them, in order.
SEED_STRATEGIES = [
    "资源整合策略", "同一战线策略", "攻心为上策略", "巧妙诉苦策略", "限时谈判策略", "丢车保帅策略",
    "上级权利策略", "利弊分析策略", "黑白脸配合策略", "威逼利诱策略", "瓦解对方同盟军策略",
    "替代方案策略", "欲擒故纵策略", "团队配合策略", "情感拉拢策略", "步步为营策略", "先发制人策略",
    "虚实结合策略", "迂回曲折策略", "疲惫战术策略", "最后通牒策略", "以柔克刚策略",
]


# --------------------------------------------------------------------------- helpers


def _good_index(session: rp.Session) -> int:
    """First shown option that completes the step without any harmful signal (from the data)."""
    blocking = rules().blocking
    return next(i for i, o in enumerate(session.option_details)
                if set(o.signals) & set(session.current_goal) and not set(o.signals) & blocking)


def _bad_index(session: rp.Session) -> int:
    """First shown option with a harmful signal."""
    blocking = rules().blocking
    return next(i for i, o in enumerate(session.option_details) if set(o.signals) & blocking)


def _at_step(sid: str, beat_no: int) -> rp.Session:
    """A session that has completed ``beat_no`` steps along the good path."""
    s = rp.start(sid)
    for _ in range(beat_no):
        s.choose(_good_index(s))
    return s


def _play(sid: str, pick, seed: int = 0) -> rp.Session:
    s = rp.start(sid, seed=seed)
    while not s.state.ended:
        s.choose(pick(s))
    return s


def _expected_change(scen, before: rp.State, signals: tuple[str, ...]) -> tuple[int, int]:
    """Anger and trust after one turn, computed straight from _rules.yaml (no engine code)."""
    raw = load_yaml("scenarios/_rules.yaml")
    sig = set(signals)
    if "handover" in sig and before.level < scen.handover_from_level:
        sig = (sig - {"handover"}) | {"shirk"}
    blocked = bool(sig & set(raw["blocking"]))
    up = sum(max(raw["signals"][s]["anger"], 0) for s in sig)
    down = sum(min(raw["signals"][s]["anger"], 0) for s in sig)
    trust = sum(raw["signals"][s]["trust"] for s in sig)
    need = raw["needs"][scen.need]
    if not blocked and sig & set(need["met_by"]):
        down += need["bonus"]["anger"]
        trust += need["bonus"]["trust"]
    beats = scen.beats
    advanced = (before.step < len(beats) and not blocked
                and bool(sig & set(beats[before.step].goal)))
    if before.step < len(beats) and not advanced:
        down = max(down, -raw["stall"]["max_anger_drop"])
        trust = min(trust, raw["stall"]["max_trust_gain"])
    factor = raw["customer_types"][scen.customer_type]["anger_up_factor"]
    anger = min(100, max(0, before.anger + round(up * factor) + down))
    return anger, min(100, max(0, before.trust + trust))


# --------------------------------------------------------------------------- coverage of the seeds


def test_every_hard_case_of_seed_000_is_a_scenario():
    assert sorted(rp.scenario(s).case for s in SCENARIOS if rp.scenario(s).case) == list(SEED_CASES)


def test_all_five_difficult_customer_types_appear():
    assert {rp.scenario(s).customer_type for s in SCENARIOS} == SEED_TYPES


def test_both_compensation_and_non_compensation_customers_appear():
    assert {rp.scenario(s).compensation_type for s in SCENARIOS} == {True, False}


def test_threat_and_obstruction_cases_are_safety_scenarios():
    # other safety drills (e.g. a meter reader threatened at the door) are not seed cases
    cases = {rp.scenario(s).case for s in SAFETY if rp.scenario(s).case}
    assert cases == {7, 8}


@pytest.mark.parametrize("sid", SCENARIOS)
def test_every_scenario_has_a_source_and_fitting_strategies(sid):
    scen = rp.scenario(sid)
    assert "seed" in scen.source
    assert scen.strategies
    assert all(rp.strategy(k).id == k for k in scen.strategies)


# --------------------------------------------------------------------------- paths


@pytest.mark.parametrize("sid", SCENARIOS)
def test_good_path_ends_well(sid):
    s = _play(sid, _good_index)
    scen = rp.scenario(sid)
    assert s.state.ending.kind == "success"
    assert s.state.ending.good
    assert s.state.outcome == scen.endings["success"].outcome
    assert s.state.resolved == tuple(b.id for b in scen.beats)
    assert s.state.turn == len(scen.beats) <= scen.turn_limit
    assert not any(m.harmful for m in s.moves)


@pytest.mark.parametrize("sid", [s for s in SCENARIOS if s not in SAFETY])
def test_good_path_of_ordinary_scenarios_resolves_on_the_spot(sid):
    s = _play(sid, _good_index)
    assert s.state.outcome == "resolved"
    assert s.state.anger <= rp.scenario(sid).max_anger
    assert s.state.trust >= rp.scenario(sid).min_trust


@pytest.mark.parametrize("sid", SCENARIOS)
def test_bad_path_escalates(sid):
    s = _play(sid, _bad_index)
    assert s.state.outcome == "escalated"
    assert not s.state.ending.good
    assert s.state.ending.to == rp.scenario(sid).endings[s.state.ending.kind].to
    assert s.state.resolved == ()


@pytest.mark.parametrize("sid", SCENARIOS)
def test_every_option_moves_the_state_as_the_data_says(sid):
    scen = rp.scenario(sid)
    for beat_no, beat in enumerate(scen.beats):
        for i in range(len(beat.options)):
            s = _at_step(sid, beat_no)
            opt = s.option_details[i]
            assert opt in beat.options
            before = s.state
            turn = s.choose(i)
            assert (turn.state.anger, turn.state.trust) == _expected_change(
                scen, before, opt.signals), (sid, beat_no, i)
            goal_met = bool(set(opt.signals) & set(beat.goal))
            harmful = bool(set(opt.signals) & rules().blocking)
            assert turn.move.advanced == (goal_met and not harmful)
            assert turn.move.why == opt.why


@pytest.mark.parametrize("sid", SCENARIOS)
def test_forbidden_phrase_option_raises_anger_and_draws_a_reaction(sid):
    scen = rp.scenario(sid)
    beat_no = next(b for b, beat in enumerate(scen.beats)
                   if any("forbidden" in o.signals for o in beat.options))
    s = _at_step(sid, beat_no)
    i = next(k for k, o in enumerate(s.option_details) if "forbidden" in o.signals)
    before = s.state.anger
    turn = s.choose(i)
    assert turn.state.anger >= min(100, before + rules().signals["forbidden"].anger)
    if not turn.ended:
        assert turn.text not in scen.beats[beat_no].customer
        assert turn.text not in scen.beats[beat_no].pushback


def test_options_are_shuffled_by_seed_but_hold_the_same_choices():
    beat = rp.scenario("refuse_to_pay").beats[0]
    orders = {rp.start("refuse_to_pay", seed=k).options for k in range(20)}
    assert len(orders) > 1
    assert all(sorted(o) == sorted(x.text for x in beat.options) for o in orders)


def test_scripted_paths_follow_the_data():
    for sid in SCENARIOS:
        good = rp.play(sid, rp.scripted_path(sid, "good"))
        assert good.state.ending.good
        bad = rp.play(sid, rp.scripted_path(sid, "bad"))
        assert not bad.state.ending.good


def test_next_customer_line_comes_from_the_next_step():
    s = rp.start("refuse_to_pay")
    turn = s.choose(_good_index(s))
    assert turn.text in rp.scenario("refuse_to_pay").beats[1].customer


def test_step_not_completed_draws_the_pushback_line():
    s = rp.start("price_hike")
    s.choose(_good_index(s))
    turn = s.reply("感谢您的意见。")
    assert not turn.move.advanced
    assert turn.text in rp.scenario("price_hike").beats[1].pushback


def test_handing_over_too_early_counts_as_passing_the_buck():
    s = rp.start("price_hike")
    assert s.state.level < rp.scenario("price_hike").handover_from_level
    turn = s.reply("这个问题我请我们值班主管来处理。")
    assert not turn.ended
    assert "shirk" in turn.move.signals and "handover" not in turn.move.signals


def test_handing_over_at_the_right_level_is_a_correct_ending():
    s = rp.start("rude_customer")
    assert s.state.level >= rp.scenario("rude_customer").handover_from_level
    turn = s.reply("您别着急，我理解您的心情，我现在就请我们值班主管过来当面听您说。")
    assert turn.ended
    assert turn.state.outcome == "handed_over" and turn.state.ending.good


def test_kind_words_without_substance_run_out_the_clock():
    s = rp.start("price_hike")
    s.choose(_good_index(s))
    while not s.state.ended:
        s.reply("感谢您的意见。")
    assert s.state.ending.kind == "timeout"
    assert s.state.turn == rp.scenario("price_hike").turn_limit
    assert s.state.outcome == "escalated" and not s.state.ending.good


@pytest.mark.parametrize("sid", SAFETY)
def test_safety_scenarios_require_the_safety_protocol(sid):
    s = _play(sid, _good_index)
    signals = {x for m in s.moves for x in m.signals}
    assert {"safety", "records", "handover"} <= signals


@pytest.mark.parametrize("sid", SAFETY)
def test_retaliation_never_moves_a_safety_scenario_on(sid):
    scen = rp.scenario(sid)
    for beat_no in range(len(scen.beats)):
        probe = _at_step(sid, beat_no)
        for i, opt in enumerate(probe.option_details):
            if "retaliate" not in opt.signals:
                continue
            turn = _at_step(sid, beat_no).choose(i)
            assert not turn.move.advanced
            assert turn.move.anger_change > 0
            assert not (turn.ended and turn.state.ending.good)


def test_threat_good_path_escalates_correctly_to_the_police():
    s = _play("threat", _good_index)
    assert s.state.outcome == "escalated" and s.state.ending.good
    assert "110" in s.state.ending.to


# --------------------------------------------------------------------------- free text


def test_free_text_replies_judged_good_by_the_coach_resolve_refusal_to_pay():
    replies = [
        "王先生，账单突然翻了一倍，换作是我也会着急，我非常理解您的心情。"
        "我现在就帮您调出近六个月的读数核对，今天下午五点前给您回电话。祝您生活愉快！",
        "我现在就帮您申请验表，如果误差超出规定范围，我们按规定重新计算水费。感谢您的耐心！",
        "理解您的顾虑。核查期间您可以先办理缓缴登记，不会产生违约金，结果出来多退少补。"
        "谢谢您的配合，祝您生活愉快！",
    ]
    s = rp.start("refuse_to_pay")
    for text in replies:
        assert not review(text).forbidden
        s.reply(text)
    assert s.state.outcome == "resolved"


def test_free_text_with_a_forbidden_phrase_is_harmful():
    text = "公司的规定就是这样的，你爱交不交。"
    assert review(text).forbidden  # the coach judges it as intended
    s = rp.start("refuse_to_pay")
    turn = s.reply(text)
    assert "forbidden" in turn.move.signals
    assert turn.move.anger_change >= rules().signals["forbidden"].anger
    assert not turn.move.advanced


def test_signals_from_review_uses_coach_fields_and_keywords():
    text = "请同事通知保安，我们保留监控录像。"
    sig = rp.signals_from_review(review(text), text)
    assert {"safety", "records"} <= set(sig)
    rude = "公司的规定就是这样的。"
    assert "forbidden" in rp.signals_from_review(review(rude), rude)


def test_reply_keeps_the_coach_review_for_the_debrief():
    s = rp.start("price_hike")
    turn = s.reply("您这是不懂政策。")
    assert turn.move.review is not None
    assert turn.move.review.text == "您这是不懂政策。"


# --------------------------------------------------------------------------- determinism, ranges


@given(sid=st.sampled_from(SCENARIOS), seed=st.integers(0, 10_000),
       picks=st.lists(st.integers(0, 3), min_size=1, max_size=10))
@settings(max_examples=150, deadline=None)
def test_state_stays_in_range_and_levels_never_fall(sid, seed, picks):
    s = rp.start(sid, seed=seed)
    for p in picks:
        if s.state.ended:
            break
        s.choose(p % len(s.options))
    hist = s.history
    assert all(0 <= h.anger <= 100 and 0 <= h.trust <= 100 for h in hist)
    assert all(1 <= h.level <= 5 for h in hist)
    assert all(a.level <= b.level for a, b in itertools.pairwise(hist))
    assert s.state.turn <= rp.scenario(sid).turn_limit
    assert len(s.transcript) == 1 + 2 * s.state.turn


@given(sid=st.sampled_from(SCENARIOS), seed=st.integers(0, 10_000),
       picks=st.lists(st.integers(0, 3), min_size=1, max_size=8))
@settings(max_examples=80, deadline=None)
def test_same_inputs_give_the_same_transcript(sid, seed, picks):
    def run():
        s = rp.start(sid, seed=seed)
        for p in picks:
            if s.state.ended:
                break
            s.choose(p % len(s.options))
        return s.transcript, s.history

    assert run() == run()


def test_same_free_text_gives_the_same_transcript():
    texts = ["您别着急，我理解您的心情。", "公司的规定就是这样的。"]

    def run():
        s = rp.start("price_hike", seed=3)
        for t in texts:
            s.reply(t)
        return s.transcript

    assert run() == run()


def test_seed_picks_among_the_variants_of_a_line():
    variants = set(rp.scenario("price_hike").beats[0].customer)
    assert len(variants) > 1
    openings = {rp.start("price_hike", seed=k).transcript[0].text for k in range(30)}
    assert openings == variants


# --------------------------------------------------------------------------- debrief and export


def test_debrief_sorts_turns_into_helped_and_hurt():
    s = rp.start("rude_customer")
    s.choose(_bad_index(s) if not s.state.ended else 0)
    while not s.state.ended:
        s.choose(_good_index(s))
    d = s.debrief()
    assert d.hurt and d.hurt[0].turn == 1
    assert all(m.turn > 1 for m in d.helped)
    assert [x.id for x in d.strategies] == list(rp.scenario("rude_customer").strategies)
    text = str(d)
    assert d.ending.explanation in text and d.hurt[0].why in text


def test_markdown_export_holds_every_line_and_the_debrief():
    s = _play("cannot_afford", _good_index)
    md = s.to_markdown()
    for line in s.transcript:
        assert line.text in md
    assert "## 复盘" in md and s.state.ending.explanation in md
    assert "<" not in s.debrief().to_markdown().replace("<br>", "")


def test_debrief_html_escapes_learner_text():
    s = rp.start("price_hike")
    s.reply("<script>alert(1)</script>您好")
    html = s.debrief()._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


# --------------------------------------------------------------------------- strategies and levels


def test_the_22_strategies_follow_seed_000():
    assert [s.name for s in rp.strategies()] == SEED_STRATEGIES
    assert [s.number for s in rp.strategies()] == list(range(1, 23))


@pytest.mark.parametrize("strat", rp.strategies(), ids=lambda s: s.id)
def test_every_strategy_has_what_when_example_and_boundary(strat):
    assert all(len(x) >= 8 for x in (strat.what, strat.when, strat.example, strat.boundary))


@pytest.mark.parametrize("name", ["威逼利诱策略", "疲惫战术策略"])
def test_pressure_strategies_are_taught_as_honest_options_only(name):
    s = rp.strategy(name)
    assert "严禁" in s.boundary
    assert "如实" in s.what


def test_legal_strategies_name_the_rules_in_general_terms():
    legal = [s for s in rp.strategies() + rp.escalation_strategies() if s.legal]
    assert any("民法典" in s.legal for s in legal)
    assert any("治安管理处罚法" in s.legal for s in legal)


def test_strategy_lookup_by_number_id_and_name():
    assert rp.strategy(12) == rp.strategy("alternative") == rp.strategy("替代方案策略")
    with pytest.raises(rp.RoleplayError, match="策略"):
        rp.strategy("不存在的策略")


def test_escalation_levels_mark_level_4_as_the_course_interpolation_for_maintainers_only():
    levels = rp.escalation_levels()
    assert [lv.level for lv in levels] == [1, 2, 3, 4, 5]
    assert [lv.level for lv in levels if not lv.interpolated] == [1, 2, 3, 5]
    # learners see five levels; that level 4 was added by the course is a note for maintainers
    assert str(levels[3]).startswith("第四级：主管介入") and "插补" not in str(levels[3])


def test_five_escalation_strategies_of_seed_000():
    names = [s.name for s in rp.escalation_strategies()]
    assert names == ["解决核心难题", "替代性解决策略", "此消彼长利弊分析", "运用法律知识",
                     "借用人性感情"]


# --------------------------------------------------------------------------- bad input


def test_unknown_scenario_lists_the_known_ones():
    with pytest.raises(rp.RoleplayError, match="price_hike"):
        rp.start("nope")


@pytest.mark.parametrize("seed", ["1", 1.5, True, None])
def test_seed_must_be_an_integer(seed):
    with pytest.raises(rp.RoleplayError, match="版本号"):
        rp.start("threat", seed=seed)


@pytest.mark.parametrize("bad", [-1, 4, 99, True, "1", 1.0, None])
def test_option_index_out_of_range_names_the_allowed_values(bad):
    s = rp.start("threat")
    with pytest.raises(rp.RoleplayError, match="0 到 3"):
        s.choose(bad)
    assert s.state.turn == 0


@pytest.mark.parametrize("bad", [None, 42, ["你好"], "", "   ", "好" * 1001])
def test_bad_reply_text_is_rejected_in_chinese(bad):
    s = rp.start("threat")
    with pytest.raises(rp.RoleplayError, match="回复内容"):
        s.reply(bad)
    assert len(s.transcript) == 1


def test_no_turn_after_the_end():
    s = _play("threat", _good_index)
    with pytest.raises(rp.RoleplayError, match="已经结束"):
        s.choose(0)
    with pytest.raises(rp.RoleplayError, match="已经结束"):
        s.reply("您好")
    assert s.options == ()


def test_errors_are_value_errors():
    assert issubclass(rp.RoleplayError, ValueError)


def test_play_mixes_options_and_free_replies_and_stops_at_the_end():
    path = rp.scripted_path("refuse_to_pay", "good")
    mixed = [path[0], "我现在就帮您申请验表，如果误差超出规定范围，我们按规定重新计算水费。感谢您的耐心！",
             path[2], 0, 0]
    s = rp.play("refuse_to_pay", mixed)
    assert [m.mode for m in s.moves] == ["choice", "reply", "choice"]
    assert s.state.ended


@pytest.mark.parametrize("bad", ["0,1,2", 3, None])
def test_play_needs_a_list_of_moves(bad):
    with pytest.raises(rp.RoleplayError, match="回合列表"):
        rp.play("threat", bad)


def test_scripted_path_kind_is_checked():
    with pytest.raises(rp.RoleplayError, match="good 或 bad"):
        rp.scripted_path("threat", "best")


def test_safety_protocol_puts_safety_first_and_never_lists_retaliation():
    steps = [s.id for s in rp.safety_protocol()]
    assert steps[0] == "stay_calm" and steps.index("call_team") < steps.index("call_police")
    assert any("以牙还牙" in x for x in rp.safety_never())


def test_customer_types_give_trait_and_advice_for_all_five():
    assert set(rp.customer_types()) == SEED_TYPES
    assert all(trait and advice for trait, advice in rp.customer_types().values())


@pytest.mark.parametrize("sid", SCENARIOS)
def test_harmful_turns_draw_the_reaction_the_data_gives(sid):
    scen, rs = rp.scenario(sid), rules()
    for beat_no, beat in enumerate(scen.beats):
        for i in range(len(beat.options)):
            s = _at_step(sid, beat_no)
            opt = s.option_details[i]
            harmful = [x for x in rs.reaction_priority if x in opt.signals]
            turn = s.choose(i)
            if not harmful or turn.ended:
                continue
            expected = scen.reactions.get(harmful[0]) or rs.default_reactions[harmful[0]]
            assert turn.text in expected, (sid, beat_no, opt.text)


# Free-text model paths: replies the real coach accepts (no forbidden phrase), one per step.
FREE_TEXT_PATHS = {
    "price_hike": [
        "刘老师，谢谢您替邻居们反映问题，您的意见我们非常重视，我一条条记下来。",
        "您问得很好。实话实说，这次实行阶梯水价时水价也做了调整，很多家庭确实多交了。"
        "分档是按国家指导意见，第一档覆盖大约八成家庭的基本用水，价格最低，"
        "用得多的部分价格高，是为了鼓励节约。感谢您的理解！",
        "水价调整要经过成本监审和价格听证，您和邻居的意见可以通过听证反映，"
        "我把价格主管部门的电话写给您，也可以帮您家分析用水。谢谢您替大家操心，祝您生活愉快！",
    ],
    "obstruction": [
        "吴先生，您的诉求我听清楚了，也记下来了，我理解您的心情。"
        "咱们到接待室谈，让后面的老人家先办业务，好吗？",
        "请同事引导其他客户到二号窗口，通知保安维持秩序，我保持距离，现场情况如实记录。",
        "保安只是来维持秩序，保证大家的安全。值班主管马上到，"
        "滞纳金能不能减免由他按规定当面答复您，感谢您的配合。",
    ],
    "threat": [
        "先生，我听出来您非常生气，停水的事我们可以好好核实，请您先冷静一下，我们坐下来谈。",
        "请同事通知保安到场，我先后退到安全区域，同时保留监控录像和记录。",
        "涉及人身安全的事交给保安和警方依法处理，停水的问题请值班主管另外跟您核实答复。",
    ],
}


@pytest.mark.parametrize("sid", sorted(FREE_TEXT_PATHS))
def test_free_text_model_path_ends_well(sid):
    replies = FREE_TEXT_PATHS[sid]
    assert not any(review(t).forbidden for t in replies)
    s = rp.play(sid, replies)
    assert all(m.advanced for m in s.moves)
    assert s.state.ending.kind == "success" and s.state.ending.good


def test_a_price_authority_is_not_a_hand_over_to_a_supervisor():
    text = "您可以向价格主管部门反映意见。"
    assert "handover" not in rp.signals_from_review(review(text), text)


def test_safety_reply_is_not_judged_cold_for_lacking_warm_words():
    text = "请同事通知保安到场，我先后退到安全区域，同时保留监控录像和记录。"
    r = review(text)
    assert "cold_tone" in {f.rule for f in r.findings}  # the coach finds it cold; the customer does not
    assert "cold" not in rp.signals_from_review(r, text)


@given(sid=st.sampled_from(SCENARIOS),
       texts=st.lists(st.text(min_size=0, max_size=60), min_size=1, max_size=4))
@settings(max_examples=60, deadline=None)
def test_any_free_text_keeps_the_state_in_range_or_is_rejected_in_chinese(sid, texts):
    s = rp.start(sid)
    for t in texts:
        if s.state.ended:
            break
        try:
            s.reply(t)
        except rp.RoleplayError as exc:
            assert not t.strip() and "回复内容" in str(exc)
    assert all(0 <= h.anger <= 100 and 0 <= h.trust <= 100 for h in s.history)


# --------------------------------------------------------------------------- natural replies


NATURAL_REFUSAL = [
    "您先别急，水费一下子翻了一倍，换谁都窝火，我特别能理解。",
    "我今天下午就安排师傅上门验表，验完当场把结果告诉您。",
    "这期水费可以先缓一缓，等验表结果出来再交，这段时间不收违约金，有事您直接打我电话。",
]


def test_three_natural_good_replies_without_stock_formulas_resolve_refusal_to_pay():
    s = rp.start("refuse_to_pay")
    for text in NATURAL_REFUSAL:
        assert not review(text).forbidden
        if not s.state.ended:
            s.reply(text)
    assert all(m.advanced for m in s.moves)
    assert s.state.outcome == "resolved"


def test_saying_the_same_good_line_twice_earns_credit_once():
    from course.roleplay.session import similarity

    s = rp.start("refuse_to_pay")
    first = s.reply(NATURAL_REFUSAL[0])
    again = s.reply(NATURAL_REFUSAL[0] + "！")
    assert first.move.advanced
    assert "repeat" in again.move.signals and not again.move.advanced
    assert similarity(NATURAL_REFUSAL[0], NATURAL_REFUSAL[0] + "！") >= rules().repeat_similarity
    assert similarity(NATURAL_REFUSAL[0], NATURAL_REFUSAL[1]) < rules().repeat_similarity
