"""Crisis drill engine: incidents as data, paths and their outcomes, determinism, bad input."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course import crisis
from course._data import list_yaml, load_yaml
from course.crisis import CHANNELS, OUTCOMES, CrisisError

IDS = [i.id for i in crisis.incidents()]
STYLES = ("best", "slowest", "defensive")


def _pick(cp: crisis.Checkpoint, style: str) -> crisis.Option:
    """The option a learner of the given style would take (from the data's quality tags)."""
    if style == "best":
        return cp.best
    if style == "slowest":
        return max(cp.options, key=lambda o: o.hours)
    for quality in ("defensive", "unsafe"):
        for o in cp.options:
            if o.quality == quality:
                return o
    return max((o for o in cp.options if o.quality != "best"), key=lambda o: o.sentiment)


def run(incident_id: str, style: str, seed: int = 0) -> crisis.Drill:
    d = crisis.start(incident_id, seed)
    while not d.state.ended:
        cp = d.state.checkpoint
        if cp.kind == "statement":
            d.statement(d.example("defensive" if style == "defensive" else "model"))
        else:
            d.decide(_pick(cp, style).id)
    return d


# -- the data ---------------------------------------------------------------------------
def test_at_least_the_four_required_incidents_are_shipped():
    assert {"meter_replacement", "viral_video", "outage_media", "extreme_act"} <= set(IDS)
    assert sorted(IDS) == list_yaml("incidents")
    orders = [load_yaml(f"incidents/{i}.yaml")["order"] for i in IDS]
    assert orders == sorted(orders)


@pytest.mark.parametrize("iid", IDS)
def test_incident_data_is_consistent(iid):
    raw = load_yaml(f"incidents/{iid}.yaml")
    inc = crisis.incident(iid)
    assert raw["source"].strip() and inc.title and inc.summary
    assert inc.cluster in {"victim", "accidental", "preventable", "safety"}  # SCCT + safety
    assert {r["channel"] for r in raw["escalation"]} <= set(CHANNELS)
    assert set(dict(inc.expected)) == set(STYLES)
    assert set(dict(inc.expected).values()) <= set(OUTCOMES)
    ats = [cp.at for cp in inc.checkpoints]
    assert ats == sorted(ats), "checkpoints must be in clock order"
    kinds = {cp.kind for cp in inc.checkpoints}
    assert "decision" in kinds
    for cp in inc.checkpoints:
        if cp.kind == "decision":
            assert sum(o.quality == "best" for o in cp.options) == 1, cp.id
            assert len({o.id for o in cp.options}) == len(cp.options) >= 3
            hours = sorted(o.hours for o in cp.options)
            assert hours[-1] > hours[-2], f"{cp.id}: the slowest option must be unique"
            for o in cp.options:
                assert set(o.escalate) <= set(CHANNELS)
        else:
            assert cp.kind == "statement"
            assert cp.model and cp.defensive
            assert {"pass", "fail"} <= set(cp.effects) and {"pass", "fail"} <= set(cp.feedback)


@pytest.mark.parametrize("iid", IDS)
def test_every_placeholder_in_an_incident_has_a_variable(iid):
    raw = load_yaml(f"incidents/{iid}.yaml")
    names = set((raw.get("variables") or {}).keys())

    def walk(node):
        if isinstance(node, str):
            yield from (f for _, f, _, _ in string.Formatter().parse(node) if f)
        elif isinstance(node, dict):
            for v in node.values():
                yield from walk(v)
        elif isinstance(node, list):
            for v in node:
                yield from walk(v)

    used = set(walk({k: v for k, v in raw.items() if k != "variables"}))
    assert used <= names


# -- paths and outcomes -----------------------------------------------------------------
@pytest.mark.parametrize("iid", IDS)
@pytest.mark.parametrize("style", STYLES)
def test_each_path_ends_as_the_incident_data_says(iid, style):
    d = run(iid, style)
    assert d.state.ended
    assert d.state.outcome == dict(d.incident.expected)[style]


@pytest.mark.parametrize("iid", IDS)
def test_good_path_contains_the_crisis_without_reaching_blocking_channels(iid):
    d = run(iid, "best")
    rules = load_yaml(f"incidents/{iid}.yaml")["outcome"]["contained"]
    assert d.state.outcome == "contained"
    assert not set(d.state.escalations) & set(rules["channels"])
    assert d.state.sentiment <= rules["sentiment_max"]
    assert d.debrief().best_count == len(d.incident.checkpoints)


@pytest.mark.parametrize("iid", IDS)
def test_slow_and_defensive_paths_end_worse_than_the_good_path(iid):
    good = run(iid, "best").state
    for style in ("slowest", "defensive"):
        bad = run(iid, style).state
        assert bad.sentiment > good.sentiment
        assert len(bad.escalations) > len(good.escalations)


def test_decision_moves_clock_and_indices_by_drift_and_effects():
    iid = "meter_replacement"
    raw = load_yaml(f"incidents/{iid}.yaml")
    d = crisis.start(iid)
    cp = d.state.checkpoint
    slow = max(cp.options, key=lambda o: o.hours)
    before = d.state
    d.decide(slow.id)
    expected = before.sentiment + raw["drift"]["sentiment"] * slow.hours + slow.sentiment
    threshold_bumps = sum(
        float((r.get("effects") or {}).get("sentiment", 0))
        for r in raw["escalation"]
        if r["channel"] in d.state.escalations
    )
    assert d.state.sentiment == pytest.approx(min(100, expected + threshold_bumps), abs=0.1)
    assert d.state.hour >= before.hour + slow.hours
    assert d.decisions[-1].quality == slow.quality


def test_late_statement_loses_speed_and_carries_the_late_effect():
    iid = "meter_replacement"
    first, second = crisis.incident(iid).checkpoints[:2]
    on_time = crisis.start(iid).decide(first.best.id).decide(second.best.id)
    late = crisis.start(iid).decide("wait_meeting").decide(second.best.id)
    cp = on_time.state.checkpoint
    assert cp.kind == "statement" and late.state.checkpoint is cp
    text = on_time.example()
    r1, r2 = on_time.statement(text), late.statement(text)
    assert r1.met("speed") and not r2.met("speed")
    assert on_time.decisions[-1].on_time and not late.decisions[-1].on_time
    assert late.decisions[-1].quality != "best"
    assert "时间窗口" in late.decisions[-1].feedback


def test_preview_reviews_like_publishing_but_changes_nothing():
    first, second = crisis.incident("meter_replacement").checkpoints[:2]
    d = crisis.start("meter_replacement").decide(first.best.id).decide(second.best.id)
    before, text = d.state, d.example()
    preview = d.preview(text)
    assert d.state == before and len(d.decisions) == 2
    assert d.statement(text) == preview
    with pytest.raises(CrisisError, match="选择题"):
        crisis.start("meter_replacement").preview(text)


def test_failed_journalist_reply_escalates_to_media_as_the_data_says():
    first, second = crisis.incident("meter_replacement").checkpoints[:2]
    d = crisis.start("meter_replacement").decide(first.best.id).decide(second.best.id)
    d.statement(d.example())
    assert d.state.checkpoint.id == "journalist"
    d.statement(d.example("defensive"))
    assert "media" in d.state.escalations
    assert any(e.kind == "escalation" for e in d.timeline)


def test_indices_stay_within_0_and_100():
    for iid in IDS:
        for style in STYLES:
            for e in run(iid, style).timeline:
                assert 0 <= e.sentiment <= 100 and 0 <= e.attention <= 100


# -- determinism and seeds --------------------------------------------------------------
@pytest.mark.parametrize("iid", IDS)
def test_same_inputs_give_the_same_drill(iid):
    a, b = run(iid, "slowest", seed=3), run(iid, "slowest", seed=3)
    assert a.timeline == b.timeline and a.state == b.state


def test_seed_changes_only_wording_variants():
    raw = load_yaml("incidents/meter_replacement.yaml")
    outlets = raw["variables"]["outlet"]
    seen = set()
    for seed in range(12):
        d = run("meter_replacement", "best", seed)
        assert d.state == run("meter_replacement", "best", 0).state
        text = "".join(e.text for e in d.timeline)
        seen |= {o for o in outlets if o in text}
        assert "{" not in text
    assert len(seen) >= 2


def test_timeline_is_in_clock_order_and_starts_with_the_opening():
    d = run("outage_media", "slowest")
    hours = [e.hour for e in d.timeline]
    assert hours == sorted(hours)
    assert d.timeline[0].kind == "event" and d.timeline[-1].kind == "end"


def test_replay_matches_step_by_step_play():
    d = crisis.start("viral_video")
    actions: list[int | str] = []
    while not d.state.ended:
        cp = d.state.checkpoint
        act = d.example() if cp.kind == "statement" else cp.best.id
        actions.append(act)
        if cp.kind == "statement":
            d.statement(act)
        else:
            d.decide(act)
    assert crisis.replay("viral_video", actions).timeline == d.timeline


@pytest.mark.parametrize("iid", IDS)
def test_briefing_letters_every_option_in_decide_order(iid):
    text = crisis.briefing(iid)
    assert "{" not in text
    for cp in crisis.incident(iid).checkpoints:
        assert cp.skill in text
        for letter, option in zip("ABCDEFGH", cp.options, strict=False):
            assert f"{letter}. {option.label}" in text


# -- the extreme-act incident teaches safety first ---------------------------------------
def test_extreme_act_best_first_step_is_safety_not_pr():
    cp = crisis.incident("extreme_act").checkpoints[0]
    assert "110" in cp.best.label and "120" in cp.best.label and "距离" in cp.best.label
    pr = [o for o in cp.options if "宣传" in o.label or "口径" in o.label]
    assert pr and all(o.quality == "unsafe" for o in pr)


def test_any_unsafe_choice_escalates_the_extreme_act_drill():
    inc = crisis.incident("extreme_act")
    for i, cp in enumerate(inc.checkpoints):
        for o in cp.options:
            if o.quality != "unsafe":
                continue
            d = crisis.start("extreme_act")
            for prior in inc.checkpoints[:i]:
                d.decide(prior.best.id)
            d.decide(o.id)
            while not d.state.ended:
                cur = d.state.checkpoint
                if cur.kind == "statement":
                    d.statement(d.example())
                else:
                    d.decide(cur.best.id)
            assert d.state.outcome == "escalated", o.id
            deb = d.debrief()
            assert deb.unsafe and "危及人身安全" in str(deb) and "危及人身安全" in deb._repr_html_()


def test_extreme_act_statement_protects_privacy_and_names_the_helpline():
    d = run("extreme_act", "defensive")
    review = d.decisions[-1].review
    assert {"naming", "harm_detail"} <= set(review.problem_rules)
    assert any("12356" in t for t in crisis.incident("extreme_act").lessons)


# -- debrief ----------------------------------------------------------------------------
def test_debrief_lists_every_decision_and_the_better_choice():
    d = run("outage_media", "defensive")
    deb = d.debrief()
    assert len(deb.decisions) == len(d.incident.checkpoints)
    assert deb.best_count == 0
    text = str(deb)
    assert OUTCOMES["escalated"] in text
    model = crisis.start("outage_media")
    for cp in d.incident.checkpoints:
        if cp.kind == "decision":
            assert cp.best.label in text
            model.decide(cp.best)
        else:
            assert model.example() in text  # the debrief shows a model statement
            model.statement(model.example())
    assert "course-crisis-debrief" in deb._repr_html_()


# -- bad input ---------------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["nope", "", None, 3])
def test_unknown_incident_is_a_chinese_error_naming_the_field(bad):
    with pytest.raises(CrisisError, match="事件编号"):
        crisis.start(bad)


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_bad_seed_is_refused(seed):
    with pytest.raises(CrisisError, match="版本号"):
        crisis.start("viral_video", seed)


@pytest.mark.parametrize("opt", [-1, 99, "x", None, 1.0, True])
def test_bad_option_is_refused_and_nothing_changes(opt):
    d = crisis.start("viral_video")
    before = d.state
    with pytest.raises(CrisisError, match="选项必须"):
        d.decide(opt)
    assert d.state == before


def test_an_option_can_be_given_by_index_id_or_itself():
    cp = crisis.incident("outage_media").checkpoints[0]
    i = cp.options.index(cp.best)
    states = [crisis.start("outage_media").decide(x).state for x in (i, cp.best.id, cp.best)]
    assert states[0] == states[1] == states[2]
    other = crisis.incident("viral_video").checkpoints[0].options[0]
    with pytest.raises(CrisisError, match="选项必须"):
        crisis.start("outage_media").decide(other)


def test_wrong_kind_of_answer_and_after_end_are_refused():
    d = crisis.start("viral_video")
    with pytest.raises(CrisisError, match=r"decide\(选项\)"):
        d.statement("我们深表歉意。")
    d.decide(0)
    with pytest.raises(CrisisError, match=r"statement\(\"声明文字\"\)"):
        d.decide(0)
    with pytest.raises(CrisisError, match="不能为空"):
        d.statement("   ")
    with pytest.raises(CrisisError, match="声明内容"):
        d.statement(123)
    with pytest.raises(CrisisError, match="还没有结束"):
        d.debrief()
    done = run("viral_video", "best")
    with pytest.raises(CrisisError, match="已经结束"):
        done.decide(0)
    with pytest.raises(CrisisError, match="不是写声明"):
        done.example()


def test_replay_refuses_malformed_action_lists():
    with pytest.raises(CrisisError, match="操作列表"):
        crisis.replay("viral_video", "abc")
    with pytest.raises(CrisisError, match="声明文字"):
        crisis.replay("viral_video", [0, 1])
    too_many = [0, crisis.start("viral_video").decide(0).example(), 0, 0, 0, 0]
    with pytest.raises(CrisisError, match="多出了"):
        crisis.replay("viral_video", too_many)


@settings(max_examples=60, deadline=None)
@given(
    iid=st.sampled_from(IDS),
    actions=st.lists(
        st.one_of(st.integers(-2, 6), st.text(max_size=30), st.sampled_from(["best", "x"])),
        max_size=8,
    ),
)
def test_arbitrary_input_only_ever_raises_crisis_error(iid, actions):
    d = crisis.start(iid)
    for act in actions:
        try:
            if isinstance(act, str):
                d.statement(act)
            else:
                d.decide(act)
        except CrisisError:
            pass
        st_ = d.state
        assert 0 <= st_.sentiment <= 100 and 0 <= st_.attention <= 100


def test_results_are_frozen_and_hashable():
    d = run("viral_video", "best")
    for obj in (d.state, d.timeline[0], d.decisions[0], d.debrief(), d.incident):
        hash(obj)
        with pytest.raises(AttributeError):
            obj.__setattr__(next(iter(obj.__dataclass_fields__)), None)
