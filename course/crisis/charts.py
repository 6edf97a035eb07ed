"""Charts for crisis drills: public sentiment and media attention on the simulated clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from course.crisis.drill import CHANNELS, Drill

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["drill_png", "plot_drill"]

_SHORT = {"hotline_12345": "12345热线", "government": "政府", "media": "媒体"}
assert set(_SHORT) == set(CHANNELS)


def plot_drill(drill: Drill, width: float = 7.0, height: float = 3.2) -> Figure:
    """Sentiment and attention over the drill's timeline, with escalations marked."""
    from course.plotting import new_figure

    fig, ax = new_figure(width, height)
    entries = drill.timeline
    hours = [e.hour for e in entries]
    ax.step(hours, [e.sentiment for e in entries], where="post", color="#c62828",
            label="舆情指数")
    ax.step(hours, [e.attention for e in entries], where="post", color="#1565c0",
            label="媒体关注度")
    stacked: dict[float, int] = {}
    for e in entries:
        if e.kind == "escalation":
            ax.axvline(e.hour, color="#888", linestyle=":", linewidth=1)
            n = stacked.get(e.hour, 0)
            stacked[e.hour] = n + 1
            ax.annotate(f"升级：{_SHORT.get(e.channel, '')}", (e.hour, 95 - 8 * n), fontsize=8,
                        color="#555", va="top", ha="left", xytext=(3, 0),
                        textcoords="offset points",
                        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
    ax.set_ylim(0, 100)
    ax.set_xlabel("事件发生后的小时数（模拟时钟）")
    ax.set_ylabel("指数（0–100）")
    ax.set_title(f"{drill.incident.title}：舆情与媒体关注")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return fig


def drill_png(drill: Drill, dpi: int = 90) -> bytes:
    """The :func:`plot_drill` chart as PNG bytes."""
    from course.plotting import figure_png

    return figure_png(plot_drill(drill), dpi)
