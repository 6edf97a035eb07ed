"""Text, Markdown and HTML views of role-play sessions and debriefs (Chinese, no logic)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from course.roleplay import Debrief, Move, Session

__all__ = ["debrief_html", "debrief_markdown", "debrief_text", "move_notes", "session_markdown"]


def _labels(signals: tuple[str, ...]) -> str:
    from course.roleplay import signal_label

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
    parts.append("</ul></div>")
    return "".join(parts)


def session_markdown(session: Session) -> str:
    """The whole conversation as Markdown, with the debrief once it has ended."""
    scen = session.scenario
    out = [f"# 角色扮演记录：{scen.title}", "",
           f"- 客户：{scen.customer_name}（{scen.profile}）",
           f"- 类型：{scen.customer_type}；{scen.compensation_label}；深层需要：{scen.need}",
           f"- 随机种子：{session.seed}", "", "## 对话", ""]
    states = session.history
    for line in session.transcript:
        out.append(f"**{line.speaker}**：{line.text}")
        out.append("")
        if line.speaker == "客户" and line.turn < len(states):
            st = states[line.turn]
            out.append(f"> 第{st.turn}轮后：愤怒 {st.anger}，信任 {st.trust}，第{st.level}级")
            out.append("")
    if session.state.ended:
        out.append(session.debrief().to_markdown())
    return "\n".join(out).rstrip("\n") + "\n"
