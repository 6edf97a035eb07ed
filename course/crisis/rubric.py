"""Crisis rubric: review a holding statement or a reply to a journalist.

The criteria (the "5S" principles plus the elements of a holding statement) and the problems a
statement must never have (speculation, blame, stonewalling, over-promising, naming people) are
data in ``course/data/crisis/rubric.yaml``. They are judged by meaning: the reply coach
(:mod:`course.coach`) finds the speech acts of the statement (承担责任, 权威证实, 未查先否认 …, in
any wording), and a few crisis terms that have one wording (专班, 应急预案, names) are matched as
text. The coach's score is also blended into the final score.

>>> r = review_statement("给大家带来不便，我们深表歉意。我们将于今天18时前通报进展。")
>>> r.met("sincerity"), r.met("next_update")
(True, True)
>>> review_statement("我们已请计量部门对新水表抽样检定，结果向社会公开。").met("authority")
True
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from course._data import load_yaml
from course.coach import review

__all__ = [
    "CrisisError",
    "Criterion",
    "Problem",
    "StatementReview",
    "criteria_keys",
    "review_statement",
]

_RUBRIC = "crisis/rubric.yaml"
#: Share of the final score taken from the reply coach when it is available.
COACH_WEIGHT = 0.3


class CrisisError(ValueError):
    """Bad input to the crisis engine; the message is Chinese and names the field."""


@dataclass(frozen=True)
class Criterion:
    """One rubric criterion and whether the statement meets it."""

    key: str
    name: str
    weight: int
    met: bool
    evidence: str
    hint: str

    def __str__(self) -> str:
        mark = "√" if self.met else "×"
        return f"{mark} {self.name}" + (f"（“{self.evidence}”）" if self.met else f"：{self.hint}")


@dataclass(frozen=True)
class Problem:
    """A thing the statement must not do, with the quoted text and its position."""

    rule: str
    name: str
    text: str
    span: tuple[int, int]
    message: str

    def __str__(self) -> str:
        return f"× {self.name}：“{self.text}” —— {self.message}"


@dataclass(frozen=True)
class StatementReview:
    """The review of one statement: rubric score, criteria, problems and the coach's review."""

    text: str
    score: int
    rubric_score: int
    passed: bool  # rubric score >= pass score, no problem, no forbidden phrase from the coach
    criteria: tuple[Criterion, ...]
    problems: tuple[Problem, ...]
    coach_score: int | None = None
    coach: Any = None

    def met(self, key: str) -> bool:
        """Whether the criterion ``key`` is met (``CrisisError`` for an unknown key)."""
        for c in self.criteria:
            if c.key == key:
                return c.met
        allowed = "、".join(criteria_keys())
        raise CrisisError(f"评分项必须是 {allowed} 之一，收到的是 {key!r}。")

    @property
    def problem_rules(self) -> tuple[str, ...]:
        """The keys of the problems found, in order of appearance."""
        return tuple(p.rule for p in self.problems)

    def _problem_lines(self) -> list[str]:
        """One line per broken rule, quoting every passage that broke it."""
        grouped: dict[str, list[Problem]] = {}
        for p in self.problems:
            grouped.setdefault(p.rule, []).append(p)
        return [
            f"× {ps[0].name}：{''.join(f'“{p.text}”' for p in ps)} —— {ps[0].message}"
            for ps in grouped.values()
        ]

    def __str__(self) -> str:
        lines = [f"声明评分：{self.score} 分（{'通过' if self.passed else '未通过'}）"]
        if self.coach_score is not None:
            lines[0] += f"　其中危机评分 {self.rubric_score}，回复教练 {self.coach_score}"
        lines += [str(c) for c in self.criteria]
        lines += self._problem_lines()
        for f in getattr(self.coach, "forbidden", ()) or ():
            lines.append(f"△ 回复教练提示：{getattr(f, 'message', f)}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        color = "#1a7f37" if self.passed else "#b42318"
        rows = "".join(
            f"<li style='color:{'#1a7f37' if c.met else '#8a6d00'}'>{html.escape(str(c))}</li>"
            for c in self.criteria
        )
        rows += "".join(
            f"<li style='color:#b42318'>{html.escape(line)}</li>" for line in self._problem_lines()
        )
        head = html.escape(str(self).splitlines()[0])
        return (
            f"<div class='course-crisis-review'><b style='color:{color}'>{head}</b>"
            f"<ul>{rows}</ul></div>"
        )


@cache
def _rubric() -> dict[str, Any]:
    data = load_yaml(_RUBRIC)
    compiled = {
        "pass_score": int(data["pass_score"]),
        "criteria": [
            {**c, "regex": [re.compile(p) for p in c["patterns"]]} for c in data["criteria"]
        ],
        "problems": [
            {**p, "regex": [re.compile(x) for x in p["patterns"]]} for p in data["problems"]
        ],
    }
    return compiled


def criteria_keys() -> tuple[str, ...]:
    """The keys of the rubric criteria, in rubric order."""
    return tuple(c["key"] for c in _rubric()["criteria"])


def _coach_review(text: str) -> Any:
    try:
        return review(text)
    except ValueError:
        return None


def review_statement(
    text: Any,
    *,
    on_time: bool | None = None,
    keys: tuple[str, ...] | list[str] | None = None,
    use_coach: bool = True,
) -> StatementReview:
    """Review ``text`` against the crisis rubric (and the reply coach where available).

    ``on_time`` is whether the statement went out inside its time window (``None``: judge the
    speed criterion by the text alone, ``False``: speed is not met whatever the text says).
    ``keys`` restricts the criteria that count (weights are rescaled to 100).
    """
    if not isinstance(text, str):
        raise CrisisError("声明内容必须是一段中文文字：写在引号里，例如 \"近日……\"。")
    if not text.strip():
        raise CrisisError("声明内容不能为空，请写下要发布的声明或回复。")
    if on_time is not None and not isinstance(on_time, bool):
        raise CrisisError(f"是否按时只能是 True、False 或 None，收到的是 {on_time!r}。")
    if keys is not None and (isinstance(keys, str) or not isinstance(keys, tuple | list)):
        raise CrisisError(
            f"评分项必须是列表，元素取自 {'、'.join(criteria_keys())}，收到的是 {keys!r}。"
        )
    rubric = _rubric()
    wanted = tuple(keys) if keys is not None else criteria_keys()
    unknown = [k for k in wanted if k not in criteria_keys()]
    if unknown or not wanted:
        raise CrisisError(
            f"评分项只能取 {'、'.join(criteria_keys())}，收到的是 {unknown or list(wanted)}。"
        )
    coach = _coach_review(text)
    said = tuple(getattr(coach, "speech_acts", ()) or ())
    criteria: list[Criterion] = []
    for c in rubric["criteria"]:
        if c["key"] not in wanted:
            continue
        hit = next((a.excerpt for a in said if a.act in c.get("acts", ())), "")
        match = next((m for rx in c["regex"] if (m := rx.search(text))), None)
        evidence = hit or (match.group(0) if match else "")
        met = bool(evidence)
        if c.get("timed") and on_time is not None:
            met = on_time
            evidence = "在时间窗口内发布" if on_time else ""
        criteria.append(Criterion(c["key"], c["name"], int(c["weight"]), met, evidence, c["hint"]))
    # a statement's own wording of a problem names it more precisely than the coach's act on
    # the same passage: one passage, one problem
    worded = [(p["key"], m) for p in rubric["problems"] for rx in p["regex"]
              for m in rx.finditer(text)]
    problems: list[Problem] = []
    for p in rubric["problems"]:
        spans: set[tuple[int, int]] = set()
        for a in said:
            if a.act in p.get("acts", ()) and not any(
                    key != p["key"] and m.start() < a.span[1] and a.span[0] < m.end()
                    for key, m in worded):
                spans.add(a.span)
                problems.append(Problem(p["key"], p["name"], a.excerpt, a.span, p["message"]))
        for key, m in worded:
            if key == p["key"] and not any(x <= m.start() < y for x, y in spans):
                problems.append(Problem(p["key"], p["name"], m.group(0), m.span(),
                                        p["message"]))
    problems.sort(key=lambda p: p.span)
    total = sum(c.weight for c in criteria)
    gained = sum(c.weight for c in criteria if c.met)
    penalty = sum(
        next(int(p["penalty"]) for p in rubric["problems"] if p["key"] == rule)
        for rule in dict.fromkeys(pr.rule for pr in problems)
    )
    rubric_score = max(0, min(100, round(100 * gained / total) - penalty))
    if not use_coach:
        coach = None
    coach_score = getattr(coach, "score", None)
    if isinstance(coach_score, int):
        score = round((1 - COACH_WEIGHT) * rubric_score + COACH_WEIGHT * coach_score)
    else:
        coach, coach_score, score = None, None, rubric_score
    # The rubric decides (it is the crisis judgement); the coach's forbidden phrases also fail.
    coach_forbidden = tuple(getattr(coach, "forbidden", ()) or ())
    passed = rubric_score >= rubric["pass_score"] and not problems and not coach_forbidden
    return StatementReview(
        text, score, rubric_score, passed, tuple(criteria), tuple(problems), coach_score, coach
    )
