"""Compiled rule tables of the reply coach, built once from ``course/data/coach/*.yaml``.

Used by :mod:`course.coach.analysis`; the data files are the place to change a rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from course._data import load_yaml

__all__ = ["ForbiddenRule", "Rules", "Scenario", "Technique", "rules", "scenarios"]


@dataclass(frozen=True)
class ForbiddenRule:
    """One forbidden phrase or language landmine with its compiled variants."""

    id: str
    name: str
    category: str
    source: str
    example: str
    pattern: re.Pattern[str]
    message: str
    suggestion: str


@dataclass(frozen=True)
class Technique:
    """A communication technique from the seeds with its text cues."""

    name: str
    group: str
    source: str
    description: str
    example: str
    pattern: re.Pattern[str] | None


@dataclass(frozen=True)
class Scenario:
    """A complaint from the scenario bank."""

    id: str
    title: str
    channel: str
    source: str
    complaint: str
    core_issue: str
    core_pattern: re.Pattern[str]


@dataclass(frozen=True)
class Rules:
    """Everything :func:`course.coach.review` needs, compiled."""

    forbidden: tuple[ForbiddenRule, ...]
    quotes: tuple[tuple[str, str], ...]
    quoted_rejection: re.Pattern[str]
    preceding_rejection: re.Pattern[str]
    # (kind id, Chinese name, all cues, ((role, cues), ...))
    kinds: tuple[tuple[str, str, re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]], ...]
    techniques: tuple[Technique, ...]
    apology: re.Pattern[str]
    action: re.Pattern[str]
    time: re.Pattern[str]
    contact: re.Pattern[str]
    second_person_plain: re.Pattern[str]
    explanation: re.Pattern[str]
    limits: dict[str, Any]
    messages: dict[str, dict[str, str]]
    criteria: dict[str, dict[str, Any]]
    penalties: dict[str, dict[str, Any]]


def _alt(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


@cache
def rules() -> Rules:
    """Load and compile the coach's data files (once per process)."""
    fb = load_yaml("coach/forbidden.yaml")
    layers = load_yaml("coach/layers.yaml")
    tech = load_yaml("coach/techniques.yaml")
    checks = load_yaml("coach/checks.yaml")
    rubric = load_yaml("coach/rubric.yaml")
    forbidden = tuple(
        ForbiddenRule(
            id=r["id"],
            name=r["name"],
            category=r["category"],
            source=r["source"],
            example=r["example"],
            pattern=re.compile(_alt(r["patterns"])),
            message=r["message"],
            suggestion=r["suggestion"],
        )
        for r in fb["rules"]
    )
    guards = fb["guards"]
    kinds = tuple(
        (
            kid,
            k["name"],
            re.compile(_alt([c for cues in k["cues"].values() for c in cues])),
            tuple((role, re.compile(_alt(cues))) for role, cues in k["cues"].items()),
        )
        for kid, k in layers["kinds"].items()
    )
    techniques = tuple(
        Technique(
            name=t["name"],
            group=t["group"],
            source=t["source"],
            description=t["description"],
            example=t.get("example") or "",
            pattern=re.compile(_alt(t["cues"])) if t.get("cues") else None,
        )
        for t in tech["techniques"]
    )
    return Rules(
        forbidden=forbidden,
        quotes=tuple((q[0], q[1]) for q in guards["quotes"]),
        quoted_rejection=re.compile(guards["quoted_rejection"]),
        preceding_rejection=re.compile(guards["preceding_rejection"]),
        kinds=kinds,
        techniques=techniques,
        apology=re.compile(checks["apology"]),
        action=re.compile(checks["action"].strip()),
        time=re.compile(checks["time"].strip()),
        contact=re.compile(checks["contact"].strip()),
        second_person_plain=re.compile(checks["second_person_plain"]),
        explanation=re.compile(checks["explanation"]),
        limits=dict(checks["limits"]),
        messages=dict(checks["findings"]),
        criteria=dict(rubric["criteria"]),
        penalties=dict(rubric["penalties"]),
    )


@cache
def scenarios() -> dict[str, Scenario]:
    """The complaint scenario bank, keyed by id (in file order)."""
    data = load_yaml("coach/scenarios.yaml")
    return {
        s["id"]: Scenario(
            id=s["id"],
            title=s["title"],
            channel=s["channel"],
            source=s["source"],
            complaint=s["complaint"],
            core_issue=s["core_issue"],
            core_pattern=re.compile(_alt(s["core_cues"])),
        )
        for s in data["scenarios"]
    }
