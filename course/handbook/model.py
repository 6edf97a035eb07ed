"""Run-sheets and day-3 stations, read and checked from ``course/data/handbook.yaml`` and ``day3.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course._data import data_dir, list_yaml, load_yaml

__all__ = [
    "ACTIVITY_TYPES",
    "Block",
    "Clip",
    "Criterion",
    "Day3",
    "HalfDay",
    "HandbookError",
    "Station",
    "load_day3",
    "load_runsheets",
    "notebook_headings",
]

ACTIVITY_TYPES: tuple[str, ...] = (
    "讲授", "案例分析", "短片", "头脑风暴", "示范", "角色扮演", "复盘", "作业", "测验", "休息",
)


class HandbookError(ValueError):
    """A run-sheet or day-3 data problem, or bad input, explained in Chinese."""

    user_facing = True


@dataclass(frozen=True)
class Clip:
    """The slot for the utility's own video clip and what to discuss after it."""

    slot: str
    discuss: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    """One timed block of a half-day."""

    start: str
    minutes: int
    type: str
    title: str
    instructions: str = ""
    notebook: str = ""
    section: str = ""
    debrief: tuple[str, ...] = ()
    clip: Clip | None = None

    @property
    def end(self) -> str:
        return _fmt(_minutes(self.start, "start") + self.minutes)


@dataclass(frozen=True)
class HalfDay:
    """A half-day (or day 3's full day) of the workshop."""

    id: str
    day: int
    title: str
    start: str
    minutes: int
    objectives: tuple[str, ...]
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Criterion:
    """One rubric criterion: weight (of 100) and a descriptor per level score."""

    id: str
    name: str
    weight: int
    descriptors: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Station:
    """A day-3 station with its scenarios, roles, timing and rubric."""

    id: str
    name: str
    place: str
    task: str
    scenarios: tuple[str, ...]
    incidents: tuple[str, ...]
    roles: tuple[tuple[str, str], ...]
    timing: tuple[tuple[str, int], ...]
    criteria: tuple[Criterion, ...]

    @property
    def minutes(self) -> int:
        return sum(m for _, m in self.timing)


@dataclass(frozen=True)
class Day3:
    """The day-3 simulation: stations, levels, round length and sessions."""

    stations: tuple[Station, ...]
    levels: tuple[tuple[int, str], ...]
    round_minutes: int
    sessions: tuple[tuple[str, int, int, int], ...]  # (start, rounds, break_after, break_minutes)
    awards: tuple[str, ...]

    def station(self, key: str) -> Station:
        for s in self.stations:
            if key in (s.id, s.name):
                return s
        names = "、".join(f"{s.name}（{s.id}）" for s in self.stations)
        raise HandbookError(f"站点“{key}”不存在。可用的站点：{names}")


def _minutes(hhmm: Any, field: str) -> int:
    try:
        h, m = str(hhmm).split(":")
        value = int(h) * 60 + int(m)
    except ValueError:
        raise HandbookError(f"{field}：时间“{hhmm}”格式不对，应写成 09:30 这样的“时:分”。") from None
    if not (0 <= int(h) < 24 and 0 <= int(m) < 60):
        raise HandbookError(f"{field}：时间“{hhmm}”不存在，小时应在 0–23、分钟在 0–59 之间。")
    return value


def _fmt(total: int) -> str:
    return f"{total // 60:02d}:{total % 60:02d}"


def _req(raw: dict, key: str, where: str) -> Any:
    if not isinstance(raw, dict) or raw.get(key) in (None, ""):
        raise HandbookError(f"{where}：缺少字段“{key}”。")
    return raw[key]


def _block(raw: dict, where: str) -> Block:
    kind = _req(raw, "type", where)
    if kind not in ACTIVITY_TYPES:
        raise HandbookError(f"{where}：活动类型“{kind}”不认识，只能是：{'、'.join(ACTIVITY_TYPES)}。")
    minutes = _req(raw, "minutes", where)
    if not isinstance(minutes, int) or minutes <= 0:
        raise HandbookError(f"{where}：minutes（分钟数）应为正整数，现在是“{minutes}”。")
    project = raw.get("project") or {}
    clip = None
    if kind == "短片":
        c = _req(raw, "clip", where)
        slot = str(_req(c, "slot", f"{where} 的 clip"))
        if not slot.startswith("单位自备短片"):
            raise HandbookError(f"{where}：短片位 clip.slot 应以“单位自备短片：”开头。")
        clip = Clip(slot, tuple(_req(c, "discuss", f"{where} 的 clip")))
    return Block(
        start=_fmt(_minutes(_req(raw, "start", where), f"{where} 的 start")),
        minutes=minutes, type=kind, title=str(_req(raw, "title", where)),
        instructions=str(raw.get("instructions", "")),
        notebook=str(project.get("notebook", "")), section=str(project.get("section", "")),
        debrief=tuple(raw.get("debrief") or ()), clip=clip,
    )


def _half(raw: dict, day: int, where: str) -> HalfDay:
    hid = str(_req(raw, "id", where))
    where = f"{where}（{hid}）"
    start = _minutes(_req(raw, "start", where), f"{where} 的 start")
    length = _req(raw, "minutes", where)
    blocks = tuple(_block(b, f"{where} 第 {i} 段") for i, b in enumerate(_req(raw, "blocks", where), 1))
    clock = start
    for i, b in enumerate(blocks, 1):
        if _minutes(b.start, "start") != clock:
            raise HandbookError(f"{where} 第 {i} 段“{b.title}”：开始时间应为 {_fmt(clock)}（紧接上一段），现在是 {b.start}。")
        clock += b.minutes
    total = sum(b.minutes for b in blocks)
    if total != length:
        raise HandbookError(f"{where}：各段分钟数合计 {total}，与半天时长 minutes={length} 不一致。")
    return HalfDay(hid, day, str(_req(raw, "title", where)), _fmt(start), length,
                   tuple(_req(raw, "objectives", where)), blocks)


def load_runsheets(raw: dict | None = None) -> tuple[HalfDay, ...]:
    """All half-days in order, checked (times contiguous, minutes add up, activity types known)."""
    raw = load_yaml("handbook.yaml") if raw is None else raw
    halves: list[HalfDay] = []
    for d in _req(raw, "days", "handbook.yaml"):
        day = int(_req(d, "day", "handbook.yaml 的 days"))
        for h in _req(d, "halves", f"第 {day} 天"):
            halves.append(_half(h, day, f"第 {day} 天"))
    ids = [h.id for h in halves]
    if len(set(ids)) != len(ids):
        raise HandbookError("handbook.yaml：半天的 id 有重复。")
    return tuple(halves)


def _criterion(raw: dict, where: str, scores: set[int]) -> Criterion:
    cid = str(_req(raw, "id", where))
    where = f"{where} 评分项 {cid}"
    desc = {int(k): str(v) for k, v in (_req(raw, "descriptors", where)).items()}
    if set(desc) != scores:
        raise HandbookError(f"{where}：descriptors 应为每个等级 {sorted(scores)} 各写一条描述。")
    return Criterion(cid, str(_req(raw, "name", where)), int(_req(raw, "weight", where)),
                     tuple(sorted(desc.items())))


def load_day3(raw: dict | None = None) -> Day3:
    """The day-3 stations, checked (scenario/incident ids exist, weights add up to 100, timing fits)."""
    raw = load_yaml("day3.yaml") if raw is None else raw
    levels = tuple((int(lv["score"]), str(lv["name"])) for lv in _req(raw, "levels", "day3.yaml"))
    scores = {s for s, _ in levels}
    round_minutes = int(_req(raw, "round_minutes", "day3.yaml"))
    common = [_criterion(c, "day3.yaml common_criteria", scores) for c in raw.get("common_criteria") or ()]
    known_sc, known_inc = set(list_yaml("scenarios")), set(list_yaml("incidents"))
    stations = []
    for s in _req(raw, "stations", "day3.yaml"):
        sid = str(_req(s, "id", "day3.yaml 的 stations"))
        where = f"day3.yaml 站点 {sid}"
        sc, inc = tuple(s.get("scenarios") or ()), tuple(s.get("incidents") or ())
        for x in sc:
            if x not in known_sc:
                raise HandbookError(f"{where}：场景 id“{x}”在 course/data/scenarios/ 中不存在。")
        for x in inc:
            if x not in known_inc:
                raise HandbookError(f"{where}：事件 id“{x}”在 course/data/incidents/ 中不存在。")
        if not sc and not inc:
            raise HandbookError(f"{where}：至少要有一个场景（scenarios）或事件（incidents）。")
        crit = tuple(common + [_criterion(c, where, scores) for c in _req(s, "criteria", where)])
        weight = sum(c.weight for c in crit)
        if weight != 100:
            raise HandbookError(f"{where}：评分项权重合计 {weight}，应为 100。")
        st = Station(
            sid, str(_req(s, "name", where)), str(s.get("place", "")), str(_req(s, "task", where)), sc, inc,
            tuple((str(r["role"]), str(r.get("who", ""))) for r in _req(s, "roles", where)),
            tuple((str(t["step"]), int(t["minutes"])) for t in _req(s, "timing", where)), crit,
        )
        if st.minutes > round_minutes:
            raise HandbookError(f"{where}：站内流程共 {st.minutes} 分钟，超过每轮 round_minutes={round_minutes}。")
        stations.append(st)
    sessions = tuple(
        (_fmt(_minutes(_req(x, "start", "day3.yaml sessions"), "day3.yaml sessions 的 start")),
         int(_req(x, "rounds", "day3.yaml sessions")), int(x.get("break_after", 0)), int(x.get("break_minutes", 0)))
        for x in _req(raw, "sessions", "day3.yaml")
    )
    return Day3(tuple(stations), levels, round_minutes, sessions, tuple(raw.get("awards") or ()))


def notebook_headings(folder: Path | None = None) -> dict[str, set[str]]:
    """Markdown heading texts (without ``#``) of every lesson notebook, keyed by file stem."""
    import json

    folder = folder or data_dir().parents[1] / "notebooks"
    out: dict[str, set[str]] = {}
    for nb in sorted(folder.glob("*.ipynb")):
        heads: set[str] = set()
        for cell in json.loads(nb.read_text(encoding="utf-8")).get("cells", []):
            if cell.get("cell_type") == "markdown":
                src = cell.get("source", "")
                for line in ("".join(src) if isinstance(src, list) else src).splitlines():
                    if line.startswith("#"):
                        heads.add(line.lstrip("#").strip())
        out[nb.stem] = heads
    return out
