"""Day-3 rotation, rubric totals and the final ranking from the class board's station scores."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from course.handbook.model import Criterion, Day3, HandbookError, Station

__all__ = ["REST", "Rank", "Round", "board_scores", "ranking", "rotation", "round_times", "score_total", "station_best"]

#: What a team does in a round when there are more teams than stations.
REST = "观摩"


@dataclass(frozen=True)
class Round:
    """One round of the rotation: ``slots[i]`` is the station (or ``REST``) of team ``i + 1``."""

    number: int
    slots: tuple[str, ...]


@dataclass(frozen=True)
class Rank:
    """A team's place in the final ranking (ties share a place: 1, 1, 3)."""

    place: int
    team: str
    total: float
    stations: tuple[tuple[str, float], ...]


def rotation(teams: int, stations: Sequence[str]) -> tuple[Round, ...]:
    """Cyclic schedule: every team visits every station once and no station holds two teams in a round.

    With more teams than stations, extra rounds are added and a team without a station observes.

    >>> [r.slots for r in rotation(2, ["柜台", "热线"])]
    [('柜台', '热线'), ('热线', '柜台')]
    """
    if isinstance(teams, bool) or not isinstance(teams, int) or teams < 1:
        raise HandbookError(f"队数 teams 应为正整数，现在是“{teams}”。")
    if not stations:
        raise HandbookError("站点 stations 不能为空。")
    n = max(teams, len(stations))
    slots = list(stations) + [REST] * (n - len(stations))
    return tuple(Round(r + 1, tuple(slots[(t + r) % n] for t in range(teams))) for r in range(n))


def round_times(day3: Day3, count: int) -> tuple[tuple[str, str], ...]:
    """(start, end) of each of ``count`` rounds from the day's sessions (overflow rounds follow the last)."""
    out: list[tuple[str, str]] = []
    clock = 0
    for start, rounds, brk_after, brk_min in day3.sessions:
        h, m = start.split(":")
        clock = int(h) * 60 + int(m)
        for i in range(1, rounds + 1):
            out.append((clock, clock + day3.round_minutes))
            clock += day3.round_minutes + (brk_min if i == brk_after else 0)
    while len(out) < count:
        out.append((clock, clock + day3.round_minutes))
        clock += day3.round_minutes

    def fmt(x: int) -> str:
        return f"{x // 60:02d}:{x % 60:02d}"

    return tuple((fmt(a), fmt(b)) for a, b in out[:count])


def _criterion_of(crit: Sequence[Criterion], key: str) -> Criterion:
    for c in crit:
        if key in (c.id, c.name):
            return c
    raise HandbookError(f"评分项“{key}”不存在。可用的评分项：{'、'.join(c.name for c in crit)}")


def score_total(rubric: Station | Sequence[Criterion], scores: Mapping[str, Any]) -> float:
    """Weighted total out of 100: Σ weight × score / top level (criteria by id or Chinese name).

    Every criterion must be scored with a whole level from 1 to its top level.
    """
    crit = rubric.criteria if isinstance(rubric, Station) else tuple(rubric)
    given: dict[str, int] = {}
    for key, value in scores.items():
        c = _criterion_of(crit, str(key))
        levels = [s for s, _ in c.descriptors]
        if isinstance(value, bool) or not isinstance(value, int) or value not in levels:
            raise HandbookError(f"评分项“{c.name}”的分数应为 {min(levels)}–{max(levels)} 的整数，现在是“{value}”。")
        given[c.id] = value
    missing = [c.name for c in crit if c.id not in given]
    if missing:
        raise HandbookError(f"还有评分项没有打分：{'、'.join(missing)}。")
    total = sum(c.weight * given[c.id] / max(s for s, _ in c.descriptors) for c in crit)
    return round(total, 2)


def ranking(station_scores: Iterable[Mapping[str, Any]], day3: Day3 | None = None) -> list[Rank]:
    """Final ranking: per team, the sum over stations of the judges' mean total (ties share a place).

    Records look like the board's ``station_score`` payload
    ``{"station", "team", "judge", "scores": {criterion: n}, "total": n}``. With ``day3`` given, the
    total is recomputed from ``scores`` by the station's rubric; otherwise ``total`` is used.
    A judge's later record for the same team and station replaces the earlier one.
    """
    latest: dict[tuple[str, str, str], float] = {}
    for i, rec in enumerate(station_scores, 1):
        if not isinstance(rec, Mapping):
            raise HandbookError(f"第 {i} 条评分记录格式不对，应为包含 station、team、judge、scores、total 的字典。")
        station, team = str(rec.get("station", "")).strip(), str(rec.get("team", "")).strip()
        if not station or not team:
            raise HandbookError(f"第 {i} 条评分记录缺少 station（站点）或 team（队名）。")
        if day3 is not None:
            st = day3.station(station)
            station, total = st.name, score_total(st, rec.get("scores") or {})
        else:
            total = rec.get("total")
            if isinstance(total, bool) or not isinstance(total, (int, float)):
                raise HandbookError(f"第 {i} 条评分记录的 total（总分）应为数字，现在是“{total}”。")
        latest[(team, station, str(rec.get("judge", "")))] = float(total)
    per: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for (team, station, _), total in latest.items():
        per[team][station].append(total)
    rows = []
    for team, by_station in per.items():
        means = tuple(sorted((s, round(sum(v) / len(v), 2)) for s, v in by_station.items()))
        rows.append((round(sum(m for _, m in means), 2), team, means))
    rows.sort(key=lambda r: (-r[0], r[1]))
    out: list[Rank] = []
    for i, (total, team, means) in enumerate(rows):
        place = out[-1].place if out and out[-1].total == total else i + 1
        out.append(Rank(place, team, total, means))
    return out


def station_best(ranks: Sequence[Rank]) -> dict[str, tuple[str, ...]]:
    """For the 各站最佳 award: each station's top team(s) by mean score (ties all listed)."""
    by: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for r in ranks:
        for station, value in r.stations:
            by[station].append((value, r.team))
    return {s: tuple(sorted(t for v, t in rows if v == max(rows)[0])) for s, rows in sorted(by.items())}


def board_scores(root: Any) -> list[dict]:
    """The ``station_score`` payloads on the class board (needs ``course.board``'s ``open_board``)."""
    try:
        from course.board import open_board  # type: ignore[attr-defined]
    except ImportError:
        raise HandbookError("班级看板（course.board）还不可用，无法读取第三天的评分记录。") from None
    return [dict(p.payload) for p in open_board(root).rows("station_score")]
