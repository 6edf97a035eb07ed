"""The coach's tables besides the speech acts: techniques, messages, rubric, limits, scenarios.

Built once from ``course/data/coach/*.yaml``; the data files are the place to change a rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from course._data import load_yaml

__all__ = ["Rules", "Scenario", "Technique", "rules", "scenarios"]


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
    """A complaint from the scenario bank; ``core_pattern`` finds talk about its core issue."""

    id: str
    title: str
    channel: str
    source: str
    complaint: str
    core_issue: str
    core_pattern: re.Pattern[str]


@dataclass(frozen=True)
class Rules:
    """Everything :func:`course.coach.review` needs besides the acts, compiled."""

    techniques: tuple[Technique, ...]
    second_person_plain: re.Pattern[str]
    limits: dict[str, Any]
    messages: dict[str, dict[str, str]]
    criteria: dict[str, dict[str, Any]]
    penalties: dict[str, dict[str, Any]]
    caps: dict[str, dict[str, Any]]
    pass_score: int


def _alt(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


@cache
def rules() -> Rules:
    """Load and compile the coach's data files (once per process)."""
    tech = load_yaml("coach/techniques.yaml")
    checks = load_yaml("coach/checks.yaml")
    rubric = load_yaml("coach/rubric.yaml")
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
        techniques=techniques,
        second_person_plain=re.compile(checks["second_person_plain"]),
        limits=dict(checks["limits"]),
        messages=dict(checks["findings"]),
        criteria=dict(rubric["criteria"]),
        penalties=dict(rubric["penalties"]),
        caps=dict(rubric["caps"]),
        pass_score=int(rubric["pass_score"]),
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
