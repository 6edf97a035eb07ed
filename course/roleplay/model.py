"""What happens in a role-play: the customer's state, the turns, the ending and the debrief.

The dataclasses carry their own presentation (text, Markdown and HTML, in Chinese).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from course.roleplay.catalog import OUTCOMES, Scenario, Strategy, rules

if TYPE_CHECKING:
    from course.coach import Review
    from course.legal import Entry

__all__ = [
    "CUSTOMER",
    "STAFF",
    "CustomerTurn",
    "Debrief",
    "Ending",
    "Line",
    "Move",
    "State",
    "debrief_html",
    "debrief_markdown",
    "debrief_text",
    "move_notes",
    "signal_label",
]

CUSTOMER = "客户"
STAFF = "员工"


def signal_label(signal: str) -> str:
    """Chinese description of a signal id."""
    return rules().signals[signal].label


@dataclass(frozen=True)
class Ending:
    """How the conversation ended, and why."""

    kind: str  # success / handover / explode / timeout
    outcome: str  # resolved / handed_over / escalated
    to: str
    explanation: str
    good: bool

    @property
    def outcome_name(self) -> str:
        """Chinese name of the outcome."""
        return OUTCOMES[self.outcome]

    def __str__(self) -> str:
        verdict = "处理得当" if self.good else "处理不当"
        where = f"（{self.to}）" if self.to else ""
        return f"结局：{self.outcome_name}{where}，{verdict}。{self.explanation}"


@dataclass(frozen=True)
class State:
    """The customer's state after a turn."""

    anger: int
    trust: int
    level: int
    need: str
    customer_type: str
    step: int
    resolved: tuple[str, ...]
    turn: int
    ended: bool = False
    outcome: str | None = None
    ending: Ending | None = None

    def __str__(self) -> str:
        status = f"，已结束：{OUTCOMES[self.outcome]}" if self.outcome else ""
        return (f"第{self.turn}轮：情绪（愤怒）{self.anger}，信任 {self.trust}，"
                f"第{self.level}级{status}")


@dataclass(frozen=True)
class Line:
    """One line of the transcript."""

    speaker: str  # 客户 or 员工
    text: str
    turn: int


@dataclass(frozen=True)
class Move:
    """One learner turn with what it did to the customer (used by the debrief and the chart)."""

    turn: int
    text: str
    mode: str  # reply / choice
    signals: tuple[str, ...]
    anger_change: int
    trust_change: int
    advanced: bool
    why: str = ""
    review: Review | None = None

    @property
    def harmful(self) -> tuple[str, ...]:
        """The signals of this turn that hurt the conversation."""
        table = rules().signals
        return tuple(s for s in self.signals if not table[s].helps)

    @property
    def helped(self) -> bool:
        """No harmful signal, and the turn calmed the customer or moved the conversation on."""
        return not self.harmful and (self.advanced or self.anger_change < 0)


@dataclass(frozen=True)
class CustomerTurn:
    """What :meth:`Session.reply` and :meth:`Session.choose` return: the customer's answer."""

    text: str
    state: State
    move: Move

    @property
    def ended(self) -> bool:
        """Whether this answer ends the conversation."""
        return self.state.ended

    def __str__(self) -> str:
        out = f"{CUSTOMER}：{self.text}\n（{self.state}）"
        if self.state.ending is not None:
            out += f"\n{self.state.ending}"
        return out


@dataclass(frozen=True, repr=False)
class Debrief:
    """After-action review of a session."""

    scenario: Scenario
    ending: Ending | None
    moves: tuple[Move, ...]
    strategies: tuple[Strategy, ...]
    final: State
    legal: tuple[Entry, ...] = ()  # the scenario's entries of the legal card

    def legal_lines(self) -> list[str]:
        """One line per legal-card entry: the articles, the gist, what staff may say and refer."""
        return [f"{e.topic}：{e.cite()}。{e.gist} 可以这样说：“{e.may_say[0]}” "
                f"必须转交/上报：{e.refer[0]}" for e in self.legal]

    @property
    def helped(self) -> tuple[Move, ...]:
        """Turns that calmed the customer or moved the conversation on."""
        return tuple(m for m in self.moves if m.helped)

    @property
    def hurt(self) -> tuple[Move, ...]:
        """Turns with a harmful signal or that made the customer angrier."""
        return tuple(m for m in self.moves if m.harmful or m.anger_change > 0)

    def __str__(self) -> str:
        return debrief_text(self)

    def _repr_html_(self) -> str:
        return debrief_html(self)

    def __repr__(self) -> str:
        outcome = self.ending.outcome if self.ending else "open"
        return (f"<Debrief {self.scenario.id}: {outcome}, {len(self.helped)} helped, "
                f"{len(self.hurt)} hurt>")

    def to_markdown(self) -> str:
        """The debrief as Markdown."""
        return debrief_markdown(self)


# --------------------------------------------------------------------------- presentation


def _labels(signals: tuple[str, ...]) -> str:
    return "、".join(signal_label(s) for s in signals) or "无明显作用"


def move_notes(move: Move) -> list[str]:
    """Why a turn helped or hurt: the option's note, or the coach's findings on a free reply."""
    notes: list[str] = []
    if move.why:
        notes.append(move.why)
    if move.review is not None:
        notes.append(f"教练评分 {move.review.score} 分")
        for f in move.review.findings:
            if f.level in ("bad", "warn") or f.rule == "technique":
                notes.append(str(f))
    return notes


def _change(move: Move) -> str:
    return f"愤怒 {move.anger_change:+d}，信任 {move.trust_change:+d}"


def debrief_text(d: Debrief) -> str:
    """Plain-text debrief."""
    lines = [f"复盘：{d.scenario.title}"]
    lines.append(str(d.ending) if d.ending else "对话尚未结束。")
    for title, moves in (("有帮助的回合", d.helped), ("造成伤害的回合", d.hurt)):
        lines.append(f"{title}：" + ("无" if not moves else ""))
        for m in moves:
            lines.append(f"  第{m.turn}轮「{m.text}」——{_labels(m.signals)}（{_change(m)}）")
            lines.extend(f"    · {n}" for n in move_notes(m))
    lines.append("本场景适用的策略：" + "、".join(s.name for s in d.strategies))
    if d.legal:
        lines.append("本场景的法律依据（一般性说明，来自法律依据卡）：")
        lines.extend(f"  · {line}" for line in d.legal_lines())
    return "\n".join(lines)


def debrief_markdown(d: Debrief) -> str:
    """Markdown debrief (used in the transcript export)."""
    out = [f"## 复盘：{d.scenario.title}", ""]
    if d.ending:
        verdict = "处理得当" if d.ending.good else "处理不当"
        to = f"（{d.ending.to}）" if d.ending.to else ""
        out += [f"**结局：{d.ending.outcome_name}{to}，{verdict}。** {d.ending.explanation}", ""]
    else:
        out += ["对话尚未结束。", ""]
    for title, moves in (("有帮助的回合", d.helped), ("造成伤害的回合", d.hurt)):
        out.append(f"### {title}")
        if not moves:
            out.append("- 无")
        for m in moves:
            out.append(f"- 第{m.turn}轮「{m.text}」：{_labels(m.signals)}（{_change(m)}）")
            out.extend(f"  - {n}" for n in move_notes(m))
        out.append("")
    out.append("### 本场景适用的策略")
    for s in d.strategies:
        out.append(f"- **{s.name}**：{s.what} 边界：{s.boundary}")
    if d.legal:
        out += ["", "### 本场景的法律依据（一般性说明，来自法律依据卡）"]
        out.extend(f"- {line}" for line in d.legal_lines())
    return "\n".join(out) + "\n"


def debrief_html(d: Debrief) -> str:
    """HTML debrief for notebooks and the widget."""
    parts = [f'<div class="course-roleplay-debrief"><h4>复盘：{escape(d.scenario.title)}</h4>']
    if d.ending:
        colour = "#2e7d32" if d.ending.good else "#c62828"
        parts.append(f'<p style="color:{colour}"><b>{escape(str(d.ending))}</b></p>')
    groups = (("有帮助的回合", d.helped, "helped"), ("造成伤害的回合", d.hurt, "hurt"))
    for title, moves, cls in groups:
        parts.append(f'<p><b>{title}</b></p><ul class="course-roleplay-{cls}">')
        if not moves:
            parts.append("<li>无</li>")
        for m in moves:
            notes = "".join(f"<li>{escape(n)}</li>" for n in move_notes(m))
            parts.append(f"<li>第{m.turn}轮「{escape(m.text)}」：{escape(_labels(m.signals))}"
                         f"（{escape(_change(m))}）<ul>{notes}</ul></li>")
        parts.append("</ul>")
    parts.append("<p><b>本场景适用的策略</b></p><ul>")
    for s in d.strategies:
        parts.append(f"<li><b>{escape(s.name)}</b>：{escape(s.what)}"
                     f"<br><i>边界：{escape(s.boundary)}</i></li>")
    parts.append("</ul>")
    if d.legal:
        parts.append('<p><b>本场景的法律依据（一般性说明，来自法律依据卡）</b></p><ul class="course-roleplay-legal">')
        for e in d.legal:
            parts.append(f"<li><b>{escape(e.topic)}</b>：{escape(e.cite())}。{escape(e.gist)}"
                         f"<br>可以这样说：“{escape(e.may_say[0])}”"
                         f"<br>必须转交/上报：{escape(e.refer[0])}</li>")
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)
