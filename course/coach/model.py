"""What the reply coach says about a reply: findings, clauses and the review, in Chinese.

The dataclasses carry their own presentation (``__str__`` and ``_repr_html_``), so the same
object serves the notebook, the widget, the autograder and the unit tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

__all__ = [
    "KIND_NAMES",
    "LAYER_NAMES",
    "LEVELS",
    "CoachError",
    "Finding",
    "Review",
    "Sentence",
    "SpeechAct",
    "highlighted_html",
    "review_html",
    "review_text",
]

LEVELS = ("good", "warn", "bad")
KIND_NAMES = {"emotion": "积极情感", "core": "核心问题", "care": "关怀祝福", "neutral": "其他"}
LAYER_NAMES = {0: "未分层", 1: "第1层 积极情感", 2: "第2层 核心问题", 3: "第3层 积极情感"}


class CoachError(ValueError):
    """Bad argument to the coach (the message is Chinese and names the field)."""


@dataclass(frozen=True)
class Finding:
    """One observation about a reply.

    ``level`` is ``good``, ``warn`` or ``bad``; ``span`` is ``(start, end)`` into the reviewed
    text for findings tied to a passage (always set for forbidden phrases), else ``None``.
    """

    level: str
    rule: str
    name: str
    message: str
    suggestion: str = ""
    span: tuple[int, int] | None = None
    excerpt: str = ""

    def __str__(self) -> str:
        mark = {"good": "√", "warn": "！", "bad": "×"}[self.level]
        where = f"「{self.excerpt}」" if self.excerpt else ""
        tip = f" 建议：{self.suggestion}" if self.suggestion else ""
        return f"{mark} {self.name}{where}：{self.message}{tip}"


@dataclass(frozen=True)
class Sentence:
    """A clause of the reply with its kind (emotion/core/care/neutral) and layer (0–3)."""

    span: tuple[int, int]
    text: str
    kind: str
    layer: int
    roles: tuple[str, ...] = ()  # e.g. 理解共情, 道歉, 询问核实, 时间安排, 祝福

    @property
    def kind_name(self) -> str:
        """Chinese name of the clause kind."""
        return KIND_NAMES[self.kind]

    @property
    def layer_name(self) -> str:
        """Chinese name of the layer."""
        return LAYER_NAMES[self.layer]


@dataclass(frozen=True)
class SpeechAct:
    """What one passage of the reply does: ``act`` id (``shirk``, ``empathy`` …), its ``kind``
    (``forbidden``, ``emotion``, ``care``, ``core`` or ``signal``) and Chinese ``name``."""

    act: str
    kind: str
    name: str
    span: tuple[int, int]
    excerpt: str


@dataclass(frozen=True)
class Review:
    """The coach's verdict on one reply (see :func:`review`)."""

    text: str
    score: int
    forbidden: tuple[Finding, ...]
    sandwich: bool
    techniques: tuple[str, ...]
    findings: tuple[Finding, ...]
    sentences: tuple[Sentence, ...] = ()
    breakdown: tuple[tuple[str, int, int], ...] = ()
    scenario: str | None = None
    addresses_core: bool | None = None
    next_step: bool = False  # who does what (and when), or exactly what the customer should do
    gaming: tuple[str, ...] = ()  # why the reply looks like gaming (repetition, salad), Chinese
    speech_acts: tuple[SpeechAct, ...] = ()
    passed: bool = False  # score at least the pass line, no forbidden act, no gaming

    @property
    def acts(self) -> frozenset[str]:
        """Ids of every speech act the reply performs."""
        return frozenset(a.act for a in self.speech_acts)

    @property
    def ok(self) -> bool:
        """No forbidden phrase, three-layer order holds, and the core issue (if known) addressed."""
        return not self.forbidden and self.sandwich and self.addresses_core is not False

    def by_level(self, level: str) -> tuple[Finding, ...]:
        """Findings of one level (``good``, ``warn`` or ``bad``)."""
        if level not in LEVELS:
            raise CoachError(f"级别只能是 good、warn 或 bad，收到的是 {level!r}。")
        return tuple(f for f in self.findings if f.level == level)

    def __str__(self) -> str:
        return review_text(self)

    def _repr_html_(self) -> str:
        return review_html(self)


# --------------------------------------------------------------------------- presentation

LAYER_COLOURS = {0: "#f5f5f5", 1: "#e3f2fd", 2: "#fff8e1", 3: "#e8f5e9"}
LEVEL_COLOURS = {"good": "#2e7d32", "warn": "#ef6c00", "bad": "#c62828"}
LEVEL_MARKS = {"good": "√", "warn": "！", "bad": "×"}


def review_text(r: Review) -> str:
    """Plain-text summary: score, structure, techniques, findings."""
    lines = [f"得分：{r.score}/100", f"三层结构（三明治法则）：{'成立' if r.sandwich else '不成立'}"]
    if r.sentences:
        lines.append("分层：")
        lines.extend(
            f"  {s.layer_name}｜{s.text.strip()}" + (f"（{'、'.join(s.roles)}）" if s.roles else "")
            for s in r.sentences
        )
    lines.append("识别到的技巧：" + ("、".join(r.techniques) if r.techniques else "无"))
    lines.append(f"禁语与语言地雷：{len(r.forbidden)} 处")
    if r.gaming:
        lines.append("疑似凑字数：" + "；".join(r.gaming))
    lines.extend(str(f) for f in r.findings)
    return "\n".join(lines)


def highlighted_html(r: Review) -> str:
    """The reply with layers shaded and forbidden spans marked in red (``course-coach-hit``)."""
    text = r.text
    n = len(text)
    layer_at = [0] * n
    title_at = [""] * n
    for s in r.sentences:
        title = s.layer_name + (f"：{'、'.join(s.roles)}" if s.roles else "")
        for k in range(s.span[0], min(s.span[1], n)):
            layer_at[k] = s.layer
            title_at[k] = title
    hit_at: list[str | None] = [None] * n
    for f in r.forbidden:
        a, b = f.span  # type: ignore[misc]
        for k in range(a, min(b, n)):
            hit_at[k] = f.name
    out: list[str] = []
    k = 0
    while k < n:
        layer, hit, title = layer_at[k], hit_at[k], title_at[k]
        j = k
        while j < n and layer_at[j] == layer and hit_at[j] == hit and title_at[j] == title:
            j += 1
        chunk = escape(text[k:j]).replace("\n", "<br>")
        style = f"background:{LAYER_COLOURS[layer]}"
        if hit is not None:
            out.append(
                f'<mark class="course-coach-hit" title="{escape(hit)}" '
                f'style="background:#ffcdd2;color:#b71c1c;text-decoration:underline wavy">'
                f"{chunk}</mark>"
            )
        else:
            out.append(f'<span class="course-coach-layer{layer}" title="{escape(title)}" '
                       f'style="{style}">{chunk}</span>')
        k = j
    return "".join(out)


def review_html(r: Review) -> str:
    """Full HTML card: highlighted reply, legend, score, techniques and findings."""
    legend = " ".join(
        f'<span style="background:{LAYER_COLOURS[k]};padding:0 4px">{name}</span>'
        for k, name in ((1, "第1层 积极情感"), (2, "第2层 核心问题"), (3, "第3层 积极情感"))
    )
    items = "".join(
        f'<li style="color:{LEVEL_COLOURS[f.level]}" class="course-coach-finding-{f.level}">'
        f"{LEVEL_MARKS[f.level]} <b>{escape(f.name)}</b>"
        f"{'「' + escape(f.excerpt) + '」' if f.excerpt else ''}：{escape(f.message)}"
        f"{'<br><i>建议：' + escape(f.suggestion) + '</i>' if f.suggestion else ''}</li>"
        for f in r.findings
    )
    techniques = "、".join(escape(t) for t in r.techniques) or "无"
    sandwich = "成立 √" if r.sandwich else "不成立 ×"
    return (
        '<div class="course-coach-review" style="line-height:1.7">'
        f'<div class="course-coach-score"><b>得分：{r.score}/100</b>　'
        f"三层结构：{sandwich}　技巧：{techniques}</div>"
        f'<div class="course-coach-draft" style="border:1px solid #ddd;padding:6px;margin:4px 0">'
        f"{highlighted_html(r)}</div>"
        f'<div style="font-size:90%">{legend}　<mark style="background:#ffcdd2">禁语</mark></div>'
        f'<ul class="course-coach-findings">{items}</ul></div>'
    )
