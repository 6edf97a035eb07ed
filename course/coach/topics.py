"""Explained topics of chapter 2: each point in the course's words, with a water-utility example.

The topics are data (``course/data/coach/spin.yaml`` and ``complaint_basics.yaml``): SPIN
questioning for the second layer of a reply, and seed 001's why complaints arise, why handling
them matters, what a complainant wants and the right attitudes. Each topic names the exercise
that practises it (a sorting exercise in ``course/data/exercises/`` or self-checks).

>>> [p.name[:4] for p in topic("spin").points]
['情境问题', '难点问题', '暗示问题', '需求效益']
>>> topic("wants").groups()
('显在诉求', '潜在诉求')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html import escape
from typing import Any

from course._data import load_yaml
from course.coach.model import CoachError

__all__ = ["FILES", "Line", "Point", "Topic", "parse_topics", "topic", "topic_ids"]

#: data files holding topics, relative to ``course/data/``
FILES = ("coach/spin.yaml", "coach/complaint_basics.yaml")

_TOPIC_FIELDS = ("id", "title", "source", "intro", "points")
_OPTIONAL = ("sorting", "selfcheck", "dialogue")
_POINT_FIELDS = ("name", "explanation", "example")
_LINE_FIELDS = ("who", "line", "note")


@dataclass(frozen=True)
class Point:
    """One point of a topic: what it means and a water-utility example."""

    name: str
    explanation: str
    example: str
    group: str = ""  # e.g. 显在诉求 / 潜在诉求


@dataclass(frozen=True)
class Line:
    """One turn of a model dialogue, with what it shows."""

    who: str
    line: str
    note: str


@dataclass(frozen=True)
class Topic:
    """An explained topic and the exercise that practises it."""

    id: str
    title: str
    source: str
    intro: str
    points: tuple[Point, ...]
    sorting: str = ""  # id of a sorting exercise (course/data/exercises/<id>.yaml)
    selfcheck: tuple[str, ...] = ()  # self-check question ids ("set.question")
    dialogue: tuple[Line, ...] = ()

    def groups(self) -> tuple[str, ...]:
        """The groups the points fall into, in order of first appearance."""
        return tuple(dict.fromkeys(p.group for p in self.points if p.group))

    def __str__(self) -> str:
        lines = [self.title, self.intro]
        for p in self.points:
            tag = f"［{p.group}］" if p.group else ""
            lines.append(f"· {tag}{p.name}：{p.explanation}\n  例：{p.example}")
        lines += [f"{t.who}：{t.line}（{t.note}）" for t in self.dialogue]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        grouped = bool(self.groups())
        head = "<th>诉求</th>" if grouped else ""
        rows = "".join(
            "<tr>" + (f"<td>{escape(p.group)}</td>" if grouped else "")
            + f"<td><b>{escape(p.name)}</b></td><td>{escape(p.explanation)}</td>"
            f"<td>{escape(p.example)}</td></tr>"
            for p in self.points)
        html = (f'<div class="course-topic"><h4>{escape(self.title)}</h4>'
                f"<p>{escape(self.intro)}</p>"
                f'<table><tr>{head}<th>要点</th><th>讲解</th><th>水务里的例子</th></tr>{rows}</table>')
        if self.dialogue:
            turns = "".join(f"<tr><td>{escape(t.who)}</td><td>{escape(t.line)}</td>"
                            f'<td style="color:#555">{escape(t.note)}</td></tr>'
                            for t in self.dialogue)
            html += (f"<p><b>示范对话</b></p><table><tr><th>谁</th><th>说了什么</th>"
                     f"<th>这一句在做什么</th></tr>{turns}</table>")
        return html + f'<p style="color:#777">出处：{escape(self.source)}</p></div>'


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CoachError(f"{where} 应当是一段文字，现在是空的或不是文字。")
    return value.strip()


def _fields(entry: Any, required: tuple[str, ...], optional: tuple[str, ...], where: str) -> None:
    if not isinstance(entry, dict):
        raise CoachError(f"{where} 应当写成“字段: 内容”的形式，需要 {'、'.join(required)}。")
    unknown = [str(k) for k in entry if k not in required + optional]
    if unknown:
        raise CoachError(f"{where} 里有不认识的字段 {'、'.join(unknown)}：只能有 "
                         f"{'、'.join(required + optional)}。")
    missing = [k for k in required if k not in entry]
    if missing:
        raise CoachError(f"{where} 缺少字段 {'、'.join(missing)}。")


def _point(entry: Any, where: str) -> Point:
    _fields(entry, _POINT_FIELDS, ("group",), where)
    group = _text(entry["group"], f"{where} 的 group") if "group" in entry else ""
    return Point(*(_text(entry[k], f"{where} 的 {k}") for k in _POINT_FIELDS), group=group)


def _topic(entry: Any, where: str) -> Topic:
    _fields(entry, _TOPIC_FIELDS, _OPTIONAL, where)
    tid = _text(entry["id"], f"{where} 的 id")
    where = f"{where}（{tid}）"
    raw_points = entry["points"]
    if not isinstance(raw_points, list) or len(raw_points) < 2:
        raise CoachError(f"{where} 的 points 至少要有 2 条，每条写 name、explanation、example。")
    points = tuple(_point(p, f"{where} 的 points 第 {n} 条") for n, p in enumerate(raw_points, 1))
    if len({p.group for p in points}) > 1 and not all(p.group for p in points):
        raise CoachError(f"{where} 的 points 里有的写了 group、有的没写：要么都写，要么都不写。")
    sorting = _text(entry["sorting"], f"{where} 的 sorting") if "sorting" in entry else ""
    checks = entry.get("selfcheck", [])
    if not isinstance(checks, list) or not all(isinstance(c, str) and "." in c for c in checks):
        raise CoachError(f"{where} 的 selfcheck 应当是题号的列表，如 [ch2_basics.meaning_1]。")
    if not sorting and not checks:
        raise CoachError(f"{where} 没有练习：写 sorting（分类练习的编号）或 selfcheck（自测题号）。")
    turns = entry.get("dialogue", [])
    if not isinstance(turns, list):
        raise CoachError(f"{where} 的 dialogue 应当是对话的列表，每句写 who、line、note。")
    dialogue = []
    for n, turn in enumerate(turns, 1):
        at = f"{where} 的 dialogue 第 {n} 句"
        _fields(turn, _LINE_FIELDS, (), at)
        dialogue.append(Line(*(_text(turn[k], f"{at} 的 {k}") for k in _LINE_FIELDS)))
    return Topic(id=tid, title=_text(entry["title"], f"{where} 的 title"),
                 source=_text(entry["source"], f"{where} 的 source"),
                 intro=_text(entry["intro"], f"{where} 的 intro"), points=points,
                 sorting=sorting, selfcheck=tuple(checks), dialogue=tuple(dialogue))


def parse_topics(data: Any, filename: str) -> tuple[Topic, ...]:
    """Validate the contents of one topics file (Chinese errors name the file and the field)."""
    where = f"课程数据文件 {filename}"
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list) or not data["topics"]:
        raise CoachError(f"{where} 应当有一项 topics，下面列出一个或几个主题。")
    return tuple(_topic(t, f"{where} 的第 {n} 个主题") for n, t in enumerate(data["topics"], 1))


@cache
def _all() -> dict[str, Topic]:
    found: dict[str, Topic] = {}
    for name in FILES:
        for t in parse_topics(load_yaml(name), name):
            if t.id in found:
                raise CoachError(f"课程数据文件 {name} 里的主题 {t.id} 和别的主题重名了。")
            found[t.id] = t
    return found


def topic_ids() -> tuple[str, ...]:
    """Ids of all explained topics."""
    return tuple(_all())


def topic(topic_id: str) -> Topic:
    """The topic ``topic_id`` (``spin``, ``causes``, ``meaning``, ``wants``, ``attitudes``)."""
    topics = _all()
    if not isinstance(topic_id, str) or topic_id not in topics:
        raise CoachError(f"主题只能是以下之一：{'、'.join(topics)}；收到的是 {topic_id!r}。")
    return topics[topic_id]
