"""Charts of a role-play session: the customer's anger and trust over the turns (matplotlib)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from course.roleplay.session import Session

__all__ = ["plot_session"]


def plot_session(session: Session, width: float = 6.0, height: float = 3.0) -> Figure:
    """Anger and trust after every turn, with the escalation level written on each point."""
    from course.plotting import new_figure

    fig, ax = new_figure(width, height)
    hist = session.history
    turns = [h.turn for h in hist]
    ax.plot(turns, [h.anger for h in hist], marker="o", color="#c62828", label="愤怒")
    ax.plot(turns, [h.trust for h in hist], marker="s", color="#1565c0", label="信任")
    for h in hist:
        ax.annotate(f"{h.level}级", (h.turn, h.anger), textcoords="offset points", xytext=(0, 7),
                    ha="center", fontsize=8, color="#555")
    if session.scenario.max_anger < 100:
        ax.axhline(session.scenario.max_anger, color="#c62828", linestyle=":", linewidth=1,
                   label=f"可化解线（愤怒≤{session.scenario.max_anger}）")
    ax.set_ylim(0, 110)
    ax.set_xlim(-0.3, max(session.scenario.turn_limit, len(hist) - 1) + 0.3)
    ax.set_xticks(range(session.scenario.turn_limit + 1))
    ax.set_xlabel("回合")
    ax.set_ylabel("数值（0–100）")
    ax.set_title(f"客户情绪与信任：{session.scenario.customer_name}")
    ax.legend(loc="upper right", fontsize=8)
    return fig


