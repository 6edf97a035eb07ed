"""CrisisDrill widget (in-process): it drives the engine and renders its results."""

from __future__ import annotations

import pytest

from course import crisis
from course.widgets.crisis_drill import CrisisDrill


def _play_best(widget: CrisisDrill) -> None:
    while not widget.drill.state.ended:
        cp = widget.drill.state.checkpoint
        if cp.kind == "statement":
            widget._editor.value = widget.drill.example()
            assert "course-crisis-review" in widget._review.value
            widget.publish()
        else:
            widget.choose(cp.options.index(cp.best))


def test_best_path_in_the_widget_ends_with_the_engine_debrief():
    wdg = CrisisDrill("outage_media", chart=False)
    _play_best(wdg)
    assert wdg.drill.state.outcome == "contained"
    assert crisis.OUTCOMES["contained"] in wdg._debrief.value
    assert wdg._statement_box.layout.display == "none"
    assert not wdg._options.children
    n_entries = wdg._timeline.value.count("course-crisis-entry")
    assert n_entries == len(wdg.drill.timeline)


def test_option_buttons_match_the_checkpoint_and_clicking_one_decides():
    wdg = CrisisDrill("viral_video", chart=False)
    cp = wdg.drill.state.checkpoint
    assert len(wdg._options.children) == len(cp.options)
    button = wdg._options.children[0].children[0]
    button.click()
    assert wdg.drill.decisions[0].choice == cp.options[0].id
    assert cp.options[0].feedback[:10] in wdg._feedback.value


def test_empty_statement_shows_a_chinese_error_and_keeps_the_drill():
    wdg = CrisisDrill("viral_video", chart=False)
    wdg.choose(0)
    step = wdg.drill.state.step
    wdg._editor.value = "   "
    wdg.publish()
    assert "不能为空" in wdg._editor_error.value
    assert wdg.drill.state.step == step


def test_switching_incident_restarts_at_hour_zero_with_a_chart():
    wdg = CrisisDrill("viral_video")
    wdg.choose(0)
    wdg._incident.value = "extreme_act"
    assert wdg.drill.incident.id == "extreme_act" and wdg.drill.state.step == 0
    assert wdg._chart.value[:4] == b"\x89PNG"
    assert "时间窗口" in wdg._countdown.description


def test_bad_arguments_are_the_engines_chinese_errors():
    with pytest.raises(crisis.CrisisError, match="事件编号"):
        CrisisDrill("nope", chart=False)
    with pytest.raises(crisis.CrisisError, match="版本号"):
        CrisisDrill("viral_video", seed=-1, chart=False)
