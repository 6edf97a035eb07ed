"""Plots show Chinese: no "Glyph … missing" warning on this machine's fonts or the bundled one."""

from __future__ import annotations

import warnings

import pytest

from course import plotting, tariff
from course.tariff import charts as tariff_charts


def _render_without_glyph_warnings(fig) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = plotting.figure_png(fig)
    glyph = [str(w.message) for w in caught if "Glyph" in str(w.message)]
    assert not glyph, glyph
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_cjk_font_is_chosen():
    name = plotting.use_chinese_fonts()
    assert name
    import matplotlib

    assert matplotlib.rcParams["font.sans-serif"][0] == name


def test_chinese_labels_render_without_missing_glyphs():
    fig, ax = plotting.new_figure()
    ax.plot([0, 1], [0, 1], label="阶梯水价")
    ax.set_title("居民用水量与水费（元）")
    ax.set_xlabel("每月用水量（立方米）")
    ax.legend()
    _render_without_glyph_warnings(fig)


@pytest.mark.parametrize("city", tariff.cities())
def test_bill_charts_render_without_missing_glyphs(city):
    t = tariff.load(city)
    bill = t.bill(t.bounds(3)[-1] + 5)
    _render_without_glyph_warnings(tariff_charts.plot_bill(bill))
    _render_without_glyph_warnings(tariff_charts.plot_staircase(t, usage=bill.usage))


def test_bundled_font_works_when_no_system_cjk_font_is_installed(monkeypatch):
    """A fresh machine without system CJK fonts still gets Chinese glyphs from mplfonts."""
    from matplotlib import font_manager

    bundled = plotting._bundled_font_file()
    assert bundled is not None and bundled.is_file()
    without_cjk = [f for f in font_manager.fontManager.ttflist
                   if f.name not in plotting.PREFERRED_FONTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", without_cjk)
    plotting.chinese_font.cache_clear()
    try:
        name = plotting.use_chinese_fonts()
        fig, ax = plotting.new_figure()
        ax.set_title("水费账单：第一档、第二档、第三档")
        _render_without_glyph_warnings(fig)
        assert name in plotting.PREFERRED_FONTS or "CJK" in name or "Hei" in name
    finally:
        plotting.chinese_font.cache_clear()


def test_design_charts_render_without_missing_glyphs():
    from course.tariff import design as tariff_design

    t = tariff.load("beijing")
    sample = tariff_design.sample_households(t, n=2000, seed=0)
    _render_without_glyph_warnings(tariff_charts.plot_usage_distribution(sample, t))
    _render_without_glyph_warnings(tariff_charts.plot_flat_vs_tiered(t, {"原单一价": 4.0}))
