"""The syllabus map's records: one seed item, its checked depth, and the coverage summary."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DEPTHS", "SEEDS", "Coverage", "Entry", "ItemDepth", "SyllabusError"]

# depth -> Chinese name shown to trainers
DEPTHS: dict[int, str] = {0: "未涉及", 1: "仅提及", 2: "已讲解", 3: "有例有练"}

# seed number -> short Chinese title (the seeds in ../shared/seeds/)
SEEDS: dict[str, str] = {
    "000": "课程大纲（阶梯水价投诉处理）",
    "001": "客诉对应技巧",
    "002": "平息愤怒十大步骤与十五个动作",
    "003": "服务管理与投诉处理",
    "004": "客服投诉处理技巧培训内容",
}


class SyllabusError(ValueError):
    """The syllabus data is malformed or a location/reference does not check out (Chinese message)."""


@dataclass(frozen=True)
class Entry:
    """One teachable item of a seed and where the course teaches and practises it."""

    id: str
    seed: str
    where_in_seed: str
    item: str
    taught: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    explained: bool = False
    example: str = ""
    practice: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemDepth:
    """An entry with its depth, computed by checking the notebooks and the practice refs."""

    entry: Entry
    depth: int
    example_found: bool = False

    @property
    def depth_name(self) -> str:
        return DEPTHS[self.depth]


@dataclass(frozen=True)
class Coverage:
    """Every item's depth and the summary by seed and depth."""

    items: tuple[ItemDepth, ...]
    counts: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, items: tuple[ItemDepth, ...]) -> Coverage:
        counts = {seed: dict.fromkeys(DEPTHS, 0) for seed in SEEDS}
        for it in items:
            counts[it.entry.seed][it.depth] += 1
        return cls(items=items, counts=counts)

    @property
    def total(self) -> dict[int, int]:
        return {d: sum(c[d] for c in self.counts.values()) for d in DEPTHS}

    def below(self, depth: int) -> tuple[ItemDepth, ...]:
        """The items whose depth is lower than ``depth``."""
        return tuple(it for it in self.items if it.depth < depth)

    def below_text(self, depth: int) -> str:
        """The items below ``depth``, grouped by seed, with where they are taught and what is missing."""
        items = self.below(depth)
        if not items:
            return f"没有深度低于 {depth} 的条目。"
        lines = [f"深度低于 {depth} 的条目（{len(items)} 条）："]
        for seed in SEEDS:
            group = [it for it in items if it.entry.seed == seed]
            if group:
                lines.append(f"\n{seed} {SEEDS[seed]}（{len(group)} 条）")
                lines += [f"  {_describe(it)}" for it in group]
        return "\n".join(lines)

    def table(self) -> str:
        """The seed × depth table as plain text (Chinese), with the issue's aim below it."""
        head = ["种子", *(f"{d} {n}" for d, n in DEPTHS.items()), "合计", "低于 2"]
        rows = []
        for seed, c in [*self.counts.items(), ("合计", self.total)]:
            n = sum(c.values())
            name = f"{seed} {SEEDS[seed]}" if seed in SEEDS else seed
            rows.append([name, *(f"{c[d]}（{c[d] / n:.0%}）" if n else "0" for d in DEPTHS), str(n),
                         str(c[0] + c[1])])
        total = self.total
        n = sum(total.values())
        aim = (f"目标：没有低于 2 的条目，至少 90% 达到 3。现在：低于 2 的 {total[0] + total[1]} 条，"
               f"达到 3 的 {total[3] / n:.0%}。" if n else "")
        return _grid(head, rows) + "\n" + aim

    def __str__(self) -> str:
        return self.table()


def _describe(it: ItemDepth) -> str:
    e = it.entry
    head = f"[{it.depth} {it.depth_name}] {e.where_in_seed}　{e.item}（{e.id}）"
    if not e.taught:
        return head + "\n      课程里还没有讲到"
    missing = [] if it.depth < 2 else [w for w, ok in (("例子", it.example_found), ("练习", bool(e.practice))) if not ok]
    where = "；".join(e.taught)
    return head + f"\n      在：{where}" + (f"\n      缺：{'、'.join(missing)}" if missing else "")


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in s)


def _grid(head: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(r: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(head), rule, *(line(r) for r in rows[:-1]), rule, line(rows[-1])])
