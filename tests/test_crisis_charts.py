"""The drill chart renders Chinese text without missing glyphs."""

from __future__ import annotations

import warnings

from course import crisis
from course.crisis.charts import drill_png, plot_drill


def test_chart_has_both_series_and_marks_each_escalation():
    d = crisis.start("meter_replacement")
    d.decide("deny_in_group")
    d.decide("clear_hall")
    fig = plot_drill(d)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["舆情指数", "媒体关注度"]
    marks = [t.get_text() for t in ax.texts]
    assert len(marks) == sum(e.kind == "escalation" for e in d.timeline) == len(d.state.escalations)


def test_chart_renders_chinese_without_missing_glyph_warnings():
    d = crisis.start("outage_media")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = drill_png(d)
    assert png[:4] == b"\x89PNG"
