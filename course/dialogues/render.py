"""HTML and plain text of a model dialogue (good and bad side by side) and of the 22 strategies'
model lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from course.dialogues.model import TAG_KINDS, CoachCheck, Dialogue, Turn, Version

__all__ = ["DialogueView", "StrategyCards", "dialogue_html", "dialogue_text", "strategy_cards"]

_TAG_COLOURS = {"layer": "#e3f2fd", "technique": "#e8f5e9", "strategy": "#fff3e0",
                "step": "#f3e5f5", "mistake": "#ffcdd2"}
_SIDE = {"good": ("#2e7d32", "#e8f5e9"), "bad": ("#c62828", "#fdecea")}


def _tag(kind: str, name: str) -> str:
    return (f'<span class="course-dialogue-tag course-dialogue-tag-{kind}" '
            f'style="background:{_TAG_COLOURS[kind]};border-radius:3px;padding:0 4px;'
            f'margin:1px 3px 1px 0;display:inline-block;font-size:85%">'
            f"{TAG_KINDS[kind]}·{escape(name)}</span>")


def _layers_chip(turn: Turn) -> str:
    """The three-layer tags of a turn as one chip: 三层结构·第1、2、3层（积极情感→核心问题→积极情感）."""
    layers = [t for t in turn.tags if t.kind == "layer"]
    if not layers:
        return ""
    parts = "→".join(t.name.split(" ")[1] for t in layers)
    return _tag("layer", f"第{'、'.join(t.id for t in layers)}层（{parts}）")


def _coach_line(check: CoachCheck | None) -> str:
    if check is None:
        return ""
    if check.version == "good":
        mark = f"回复教练：{'通过 √' if check.passed else '未通过 ×'}（{check.score} 分）"
    elif check.flagged:
        mark = f"回复教练查出了：{'、'.join(check.flagged_names)} √"
    else:
        mark = "回复教练没有查出这处错误——要靠你自己的判断"
    return f'<div class="course-dialogue-coach" style="font-size:80%;color:#555">{mark}</div>'


def _turn_html(turn: Turn, side: str, check: CoachCheck | None) -> str:
    action = (f'<div style="color:#666;font-style:italic">（{escape(turn.action)}）</div>'
              if turn.action else "")
    if not turn.is_staff:
        return ('<div class="course-dialogue-customer" style="margin:6px 30px 6px 0">'
                '<div style="font-size:80%;color:#777">客户</div>'
                f'<div style="background:#f1f1f1;border-radius:8px;padding:6px 8px">{action}'
                f"{escape(turn.text)}</div></div>")
    colour, fill = _SIDE[side]
    tags = _layers_chip(turn) + "".join(_tag(t.kind, t.name) for t in turn.tags
                                         if t.kind != "layer")
    note = (f'<div style="font-size:85%;color:#333;margin-top:2px">{escape(turn.note)}</div>'
            if turn.note else "")
    return (f'<div class="course-dialogue-staff" style="margin:6px 0 6px 30px">'
            f'<div style="font-size:80%;color:{colour};text-align:right">员工</div>'
            f'<div style="background:{fill};border:1px solid {colour};border-radius:8px;'
            f'padding:6px 8px">{action}{escape(turn.text)}</div>'
            f'<div class="course-dialogue-note" style="margin:2px 0 0 4px">{tags}{note}'
            f"{_coach_line(check)}</div></div>")


def _version_html(v: Version, checks: dict[int, CoachCheck]) -> str:
    colour, _ = _SIDE[v.kind]
    turns = "".join(_turn_html(t, v.kind, checks.get(n)) for n, t in enumerate(v.turns, 1))
    outcome = (f'<div style="margin-top:6px;padding:4px 6px;border-left:3px solid {colour}">'
               f"<b>结果：</b>{escape(v.outcome)}</div>" if v.outcome else "")
    return (f'<div class="course-dialogue-{v.kind}" style="flex:1 1 340px;min-width:300px;'
            f'border-top:4px solid {colour};padding:4px 8px">'
            f'<div style="font-weight:bold;color:{colour}">{v.title}</div>{turns}{outcome}</div>')


def dialogue_html(d: Dialogue, checks: Sequence[CoachCheck] = ()) -> str:
    """The dialogue as HTML: the setting, then good and bad side by side (they wrap on a narrow
    screen), each staff turn with its annotation and, if given, the coach's verdict."""
    by = {k: {c.number: c for c in checks if c.version == k} for k in ("good", "bad")}
    return (f'<div class="course-dialogue" data-dialogue="{escape(d.id)}" style="line-height:1.6">'
            f"<div><b>{escape(d.heading)}</b></div>"
            f'<div style="color:#444;font-size:90%">{escape(d.channel)}｜员工：{escape(d.staff)}'
            f"｜客户：{escape(d.customer)}<br>{escape(d.setting)}</div>"
            '<div style="display:flex;flex-wrap:wrap;gap:12px;margin-top:6px">'
            f"{_version_html(d.good, by['good'])}{_version_html(d.bad, by['bad'])}</div></div>")


def _turn_text(turn: Turn, check: CoachCheck | None) -> list[str]:
    who = "员工" if turn.is_staff else "客户"
    action = f"（{turn.action}）" if turn.action else ""
    lines = [f"{who}：{action}{turn.text}"]
    if turn.tags:
        lines.append("    〔" + "；".join(str(t) for t in turn.tags) + "〕")
    if turn.note:
        lines.append(f"    {turn.note}")
    if check is not None:
        lines.append(f"    回复教练：{check}")
    return lines


def dialogue_text(d: Dialogue, checks: Sequence[CoachCheck] = ()) -> str:
    """The dialogue as plain text: the good version, then the bad one."""
    out = [d.heading, f"{d.channel}｜员工：{d.staff}｜客户：{d.customer}", d.setting]
    for v in d.versions:
        by = {c.number: c for c in checks if c.version == v.kind}
        out += ["", f"【{v.title}】"]
        for n, t in enumerate(v.turns, 1):
            out += _turn_text(t, by.get(n))
        if v.outcome:
            out.append(f"结果：{v.outcome}")
    return "\n".join(out)


@dataclass(frozen=True)
class DialogueView:
    """What a lesson shows: a dialogue with the coach's verdict on each staff turn."""

    dialogue: Dialogue
    checks: tuple[CoachCheck, ...] = ()

    def __str__(self) -> str:
        return dialogue_text(self.dialogue, self.checks)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        return dialogue_html(self.dialogue, self.checks)


@dataclass(frozen=True)
class StrategyCards:
    """The 22 strategies as cards: what, when, the model line (示范话术) and the boundary."""

    strategies: tuple

    def __str__(self) -> str:
        out = []
        for s in self.strategies:
            out += [f"{s.number}. {s.name}：{s.what}", f"    什么时候用：{s.when}",
                    f"    示范话术：“{s.example}”", f"    边界：{s.boundary}"]
            if s.legal:
                out.append(f"    法律依据（一般性说明）：{s.legal}")
        return "\n".join(out)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        cards = []
        for s in self.strategies:
            legal = (f'<div style="font-size:85%;color:#555"><b>法律依据：</b>{escape(s.legal)}</div>'
                     if s.legal else "")
            cards.append(
                f'<div class="course-strategy-card" style="flex:1 1 300px;border:1px solid #ddd;'
                f'border-radius:6px;padding:6px 8px">'
                f'<div style="font-weight:bold">{s.number}. {escape(s.name)}</div>'
                f'<div style="font-size:90%">{escape(s.what)}</div>'
                f'<div style="font-size:85%;color:#555"><b>什么时候用：</b>{escape(s.when)}</div>'
                f'<div class="course-strategy-example" style="background:#e8f5e9;border-radius:6px;'
                f'padding:4px 6px;margin:4px 0">“{escape(s.example)}”</div>'
                f'<div style="font-size:85%;color:#8a1c1c"><b>边界：</b>{escape(s.boundary)}</div>'
                f"{legal}</div>")
        return ('<div class="course-strategy-cards" style="display:flex;flex-wrap:wrap;gap:8px;'
                f'line-height:1.5">{"".join(cards)}</div>')


def strategy_cards() -> StrategyCards:
    """The 22 strategies of ``course/data/strategies.yaml`` with their model lines, as cards."""
    from course.roleplay import strategies

    return StrategyCards(strategies())
