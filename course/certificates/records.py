"""What each learner did: gradebook scores per assignment and day-3 station scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Cohort", "Learner", "Station", "collect", "station_scores"]


@dataclass(frozen=True)
class Station:
    """One day-3 station score of a learner (or their team)."""

    station: str
    team: str
    judge: str
    total: float


@dataclass(frozen=True)
class Learner:
    """One learner's record."""

    id: str
    name: str
    scores: dict[str, float]  # assignment → points (submitted only)
    stations: tuple[Station, ...] = ()

    @property
    def day3_mean(self) -> float | None:
        return sum(s.total for s in self.stations) / len(self.stations) if self.stations else None


@dataclass(frozen=True)
class Cohort:
    """The gradebook as certificates need it."""

    course: str
    assignments: tuple[str, ...]  # in due-date order
    max_scores: dict[str, float]
    learners: tuple[Learner, ...]
    board_used: bool
    notes: tuple[str, ...] = field(default=())

    def average(self, assignment: str) -> float | None:
        got = [x.scores[assignment] for x in self.learners if assignment in x.scores]
        return sum(got) / len(got) if got else None


def station_scores(root: Path | str) -> tuple[dict[str, list[Station]], str]:
    """learner → station scores from the class board, and a Chinese note when there are none."""
    try:
        from course.board import open_board  # type: ignore[attr-defined]

        posts = list(open_board(root).rows("station_score"))
    except Exception:  # board not built, not set up, or unreadable
        return {}, "未读到第三天考站成绩（班级看板不可用），证书只依据成绩册。"
    out: dict[str, list[Station]] = {}
    for post in posts:
        p: dict[str, Any] = dict(getattr(post, "payload", {}) or {})
        try:
            total = float(p.get("total"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        st = Station(str(p.get("station", "")), str(p.get("team", "")), str(p.get("judge", "")), total)
        who = [str(m) for m in p.get("members") or []] or [str(getattr(post, "learner", "") or "")]
        for learner in filter(None, dict.fromkeys(who)):
            out.setdefault(learner, []).append(st)
    if not out:
        return {}, "班级看板上还没有第三天考站成绩，证书只依据成绩册。"
    return out, ""


def collect(root: Path | str) -> Cohort:
    """Every learner in the gradebook with their scores, and their day-3 station scores."""
    from nbgrader.api import Gradebook, MissingEntry

    from course.grading.gradebook import load_config

    root = Path(root).resolve()
    cfg = load_config(root)
    course = str(cfg.CourseDirectory.course_id or "") or root.name
    stations, note = station_scores(root)
    learners = []
    with Gradebook(str(cfg.CourseDirectory.db_url)) as gb:
        assignments = sorted(gb.assignments, key=lambda a: (a.duedate is None, a.duedate, a.name))
        names = tuple(a.name for a in assignments)
        maxes = {a.name: float(a.max_score or 0) for a in assignments}
        for s in sorted(gb.students, key=lambda s: s.id):
            got: dict[str, float] = {}
            for a in names:
                try:
                    got[a] = float(gb.find_submission(a, s.id).score or 0)
                except MissingEntry:
                    continue
            name = f"{s.last_name or ''}{s.first_name or ''}".strip() or s.id
            learners.append(Learner(s.id, name, got, tuple(stations.get(s.id, ()))))
    return Cohort(course, names, maxes, tuple(learners), bool(stations), (note,) if note else ())
