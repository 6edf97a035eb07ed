"""Data model of crisis drills: incidents, checkpoints, options and the results of a drill.

Loaded from ``course/data/incidents/<id>.yaml``; :mod:`course.crisis.drill` runs the drills, and
:mod:`course.crisis` re-exports what lessons and assignments use.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from course._data import list_yaml, load_yaml
from course.crisis.rubric import CrisisError, StatementReview

__all__ = [
    "CHANNELS",
    "OUTCOMES",
    "QUALITY_NAMES",
    "Checkpoint",
    "Debrief",
    "Decision",
    "DrillState",
    "Incident",
    "Option",
    "TimelineEntry",
    "fmt_hour",
    "incident",
    "incident_ids",
    "incidents",
    "raw_incident",
]

CHANNELS: dict[str, str] = {
    "hotline_12345": "12345政务服务便民热线",
    "government": "政府主管部门",
    "media": "新闻媒体",
}
#: Drill outcomes, best first, with their Chinese names.
OUTCOMES: dict[str, str] = {
    "contained": "事态得到控制",
    "managed": "基本平息，但留下隐患",
    "escalated": "事态升级",
}
_QUALITIES = ("best", "ok", "slow", "defensive", "unsafe")
QUALITY_NAMES = {
    "best": "最佳",
    "ok": "可以更好",
    "slow": "反应太慢",
    "defensive": "防御推诿",
    "unsafe": "危及安全",
    "weak": "未达要求",  # a statement that did not pass the rubric
}


def fmt_hour(hour: float) -> str:
    """Chinese clock label: hours since the incident started."""
    if hour < 1:
        return f"第{round(hour * 60)}分钟"
    h = int(hour)
    m = round((hour - h) * 60)
    return f"第{h}小时" + (f"{m}分" if m else "")


@dataclass(frozen=True)
class Option:
    """One choice at a decision checkpoint."""

    id: str
    label: str
    hours: float
    quality: str
    feedback: str
    sentiment: float
    attention: float
    then: str = ""
    escalate: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Checkpoint:
    """A moment where the learner must act: choose an option or write a statement."""

    id: str
    at: float
    kind: str
    skill: str
    prompt: str
    events: tuple[str, ...]
    options: tuple[Option, ...] = ()
    window: float | None = None
    hours: float = 0.0
    keys: tuple[str, ...] | None = None
    model: str = ""
    defensive: str = ""
    effects: Any = field(default=None, compare=False)  # statement effects by pass/fail/late
    feedback: Any = field(default=None, compare=False)  # statement feedback by pass/fail

    @property
    def best(self) -> Option:
        """The best option (decision checkpoints only)."""
        for o in self.options:
            if o.quality == "best":
                return o
        raise CrisisError(f"环节 {self.id} 是写声明的环节，没有可选项。")

    def option(self, choice: int | str | Option) -> Option:
        """The option chosen by index (0-based), by id or as the Option itself."""
        if isinstance(choice, Option) and choice in self.options:
            return choice
        ids = [o.id for o in self.options]
        if isinstance(choice, bool) or not isinstance(choice, int | str):
            raise CrisisError(
                f"选项必须是 0–{len(ids) - 1} 的序号或以下编号之一：{'、'.join(ids)}；"
                f"收到的是 {type(choice).__name__} 类型。"
            )
        if isinstance(choice, int):
            if 0 <= choice < len(ids):
                return self.options[choice]
        elif choice in ids:
            return self.options[ids.index(choice)]
        raise CrisisError(
            f"选项必须是 0–{len(ids) - 1} 的序号或以下编号之一：{'、'.join(ids)}；"
            f"收到的是 {choice!r}。"
        )


@dataclass(frozen=True)
class Incident:
    """An incident's description (the full script stays in its data file)."""

    id: str
    title: str
    summary: str
    cluster: str
    chapter: str
    source: str
    checkpoints: tuple[Checkpoint, ...]
    lessons: tuple[str, ...]
    expected: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        return f"{self.title}（{self.id}）：{self.summary}"

    def _repr_html_(self) -> str:
        return (
            f"<div class='course-incident'><b>{html.escape(self.title)}</b>"
            f"<p>{html.escape(self.summary)}</p><small>{html.escape(self.chapter)}</small></div>"
        )


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the drill's timeline."""

    hour: float
    kind: str  # event | decision | statement | escalation | end
    text: str
    sentiment: float
    attention: float
    channel: str = ""  # for escalations: the key in CHANNELS

    def __str__(self) -> str:
        return f"[{fmt_hour(self.hour)}] {self.text}"


@dataclass(frozen=True)
class Decision:
    """What the learner did at one checkpoint and what followed."""

    checkpoint: str
    skill: str
    hour: float
    choice: str  # option id, or "statement"
    label: str
    quality: str
    feedback: str
    best_label: str
    review: StatementReview | None = None
    on_time: bool | None = None

    @property
    def is_best(self) -> bool:
        """True for the best option, or a statement that passed the rubric on time."""
        return self.quality == "best"

    def __str__(self) -> str:
        return f"{self.skill}：{self.label}（{QUALITY_NAMES[self.quality]}）—— {self.feedback}"


@dataclass(frozen=True)
class DrillState:
    """A snapshot of the drill."""

    incident: str
    hour: float
    sentiment: float
    attention: float
    escalations: tuple[str, ...]
    step: int
    steps: int
    checkpoint: Checkpoint | None
    ended: bool
    outcome: str | None

    @property
    def outcome_label(self) -> str:
        """The outcome in Chinese ('' while the drill runs)."""
        return OUTCOMES[self.outcome] if self.outcome else ""

    @property
    def clock(self) -> str:
        """The simulated clock as Chinese text."""
        return fmt_hour(self.hour)

    def __str__(self) -> str:
        esc = "、".join(CHANNELS[c] for c in self.escalations) or "无"
        s = (
            f"{self.clock}｜舆情指数 {self.sentiment:.0f}｜媒体关注度 {self.attention:.0f}"
            f"｜已升级到：{esc}"
        )
        return s + (f"｜结果：{self.outcome_label}" if self.ended else "")


@dataclass(frozen=True)
class Debrief:
    """The end-of-drill debrief: outcome, every decision with feedback, lessons."""

    incident: str
    title: str
    outcome: str
    state: DrillState
    decisions: tuple[Decision, ...]
    lessons: tuple[str, ...]

    @property
    def outcome_label(self) -> str:
        """The outcome in Chinese."""
        return OUTCOMES[self.outcome]

    @property
    def best_count(self) -> int:
        """How many checkpoints were handled the best way."""
        return sum(d.is_best for d in self.decisions)

    @property
    def unsafe(self) -> tuple[Decision, ...]:
        """Decisions that put people at risk (they escalate the drill whatever else happened)."""
        return tuple(d for d in self.decisions if d.quality == "unsafe")

    def _safety_note(self) -> str:
        if not self.unsafe:
            return ""
        return (f"有 {len(self.unsafe)} 个决定危及人身安全——在真实现场，这比舆情更严重："
                "保持距离、报警求助、保护他人、交给专业人员。")

    def __str__(self) -> str:
        lines = [
            f"复盘：{self.title} —— {self.outcome_label}",
            str(self.state),
            f"最佳处置 {self.best_count}/{len(self.decisions)} 个环节：",
        ]
        if self.unsafe:
            lines.insert(2, "！" + self._safety_note())
        for d in self.decisions:
            lines.append(f"· [{fmt_hour(d.hour)}] {d}")
            if not d.is_best:
                lines.append(f"  更好的做法：{d.best_label}")
        lines.append("要点：")
        lines += [f"· {t}" for t in self.lessons]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        color = {"contained": "#1a7f37", "managed": "#8a6d00", "escalated": "#b42318"}[self.outcome]
        items = ""
        for d in self.decisions:
            c = "#1a7f37" if d.is_best else "#b42318"
            better = (
                f"<br><i>更好的做法：{html.escape(d.best_label)}</i>"
                if not d.is_best
                else ""
            )
            items += (
                f"<li><span style='color:{c}'>[{fmt_hour(d.hour)}] "
                f"{html.escape(str(d))}</span>{better}</li>"
            )
        lessons = "".join(f"<li>{html.escape(t)}</li>" for t in self.lessons)
        return (
            f"<div class='course-crisis-debrief'><h4 style='color:{color}'>"
            f"复盘：{html.escape(self.title)} —— {self.outcome_label}</h4>"
            f"<p>{html.escape(str(self.state))}</p>"
            + (f"<p style='color:#b42318'><b>！{html.escape(self._safety_note())}</b></p>"
               if self.unsafe else "")
            + f"<p>最佳处置 {self.best_count}/{len(self.decisions)} 个环节</p><ol>{items}</ol>"
            f"<b>要点</b><ul>{lessons}</ul></div>"
        )


def _option(raw: dict[str, Any]) -> Option:
    eff = raw.get("effects", {}) or {}
    if raw["quality"] not in _QUALITIES:
        raise CrisisError(f"选项质量必须是 {'、'.join(_QUALITIES)} 之一：{raw['id']}")
    return Option(
        id=str(raw["id"]),
        label=raw["label"],
        hours=float(raw.get("hours", 0.5)),
        quality=raw["quality"],
        feedback=raw["feedback"],
        sentiment=float(eff.get("sentiment", 0)),
        attention=float(eff.get("attention", 0)),
        then=raw.get("then", ""),
        escalate=tuple(raw.get("escalate", ())),
    )


def _checkpoint(raw: dict[str, Any]) -> Checkpoint:
    kind = raw.get("kind", "decision")
    keys = raw.get("keys")
    return Checkpoint(
        id=raw["id"],
        at=float(raw["at"]),
        kind=kind,
        skill=raw["skill"],
        prompt=raw["prompt"],
        events=tuple(raw.get("events", ())),
        options=tuple(_option(o) for o in raw.get("options", ())),
        window=float(raw["window"]) if "window" in raw else None,
        hours=float(raw.get("hours", 0.0)),
        keys=tuple(keys) if keys else None,
        model=raw.get("model", ""),
        defensive=raw.get("defensive", ""),
        effects=raw.get("effects"),
        feedback=raw.get("feedback"),
    )


@cache
def raw_incident(incident_id: str) -> dict[str, Any]:
    return load_yaml(f"incidents/{incident_id}.yaml")


@cache
def _incident(incident_id: str) -> Incident:
    raw = raw_incident(incident_id)
    return Incident(
        id=raw["id"],
        title=raw["title"],
        summary=raw["summary"],
        cluster=raw["cluster"],
        chapter=raw["chapter"],
        source=raw["source"],
        checkpoints=tuple(_checkpoint(c) for c in raw["checkpoints"]),
        lessons=tuple(raw["lessons"]),
        expected=tuple((str(k), str(v)) for k, v in raw["expected"].items()),
    )


def incident_ids() -> list[str]:
    """Ids of the incident files, sorted by name."""
    return list_yaml("incidents")


def incidents() -> tuple[Incident, ...]:
    """All incidents shipped with the course, in teaching order (their ``order`` key)."""
    ids = sorted(incident_ids(), key=lambda i: (raw_incident(i).get("order", 999), i))
    return tuple(_incident(i) for i in ids)


def incident(incident_id: str) -> Incident:
    """One incident by id (``CrisisError`` naming the allowed ids otherwise)."""
    if not isinstance(incident_id, str) or incident_id not in incident_ids():
        raise CrisisError(
            f"事件编号必须是以下之一：{'、'.join(incident_ids())}；"
            f"收到的是 {incident_id!r}。"
        )
    return _incident(incident_id)


