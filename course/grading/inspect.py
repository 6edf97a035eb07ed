"""Look at a submission before grading and explain, in Chinese, what is wrong with it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["AssignmentShape", "assignment_shape", "inspect_submission"]


@dataclass(frozen=True)
class AssignmentShape:
    """What a submission of one assignment should contain (read once per grading worker)."""

    notebooks: dict[str, frozenset[str]]  # notebook → all grade_ids nbgrader knows
    grade_cells: dict[str, frozenset[str]]  # notebook → grade_ids that carry points
    locked: dict[str, dict[str, str]]  # notebook → locked grade_id → released checksum


def assignment_shape(root: Path, url: str, assignment: str) -> AssignmentShape:
    """Read the assignment's cells from the gradebook and its released notebooks."""
    from nbgrader.api import Gradebook

    notebooks, grade_cells, locked = {}, {}, {}
    with Gradebook(url) as gb:
        for nb in gb.find_assignment(assignment).notebooks:
            notebooks[nb.name] = frozenset(c.name for c in nb.source_cells)
            grade_cells[nb.name] = frozenset(c.name for c in nb.grade_cells)
            is_locked = {c.name for c in nb.source_cells if c.locked}
            released = _released_checksums(Path(root) / "release" / assignment / f"{nb.name}.ipynb")
            locked[nb.name] = {k: v for k, v in released.items() if k in is_locked}
    return AssignmentShape(notebooks, grade_cells, locked)


def _read(path: Path) -> Any:
    """A notebook as NotebookNode without schema validation (nbgrader validates later)."""
    from nbformat import from_dict

    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
    return from_dict(nb)


def inspect_submission(staged: Path, shape: AssignmentShape, assignment: str,
                       student: str) -> list[str]:
    """Chinese findings about missing, extra, corrupt, foreign or tampered notebooks.

    ``staged`` is the folder that holds ``<student>/<assignment>/`` as copied for grading.
    One line per finding and notebook (e.g. "13 个只读单元格被改动，已换回原始内容").
    """
    from nbgrader import utils

    flags: list[str] = []
    folder = Path(staged) / student / assignment
    expected = shape.notebooks
    present = {p.stem: p for p in folder.glob("*.ipynb")} if folder.is_dir() else {}
    for name in sorted(set(expected) - set(present)):
        flags.append(f"缺少 notebook：{name}.ipynb（按 nbgrader 的规则：作业中其他 notebook 照常评分，"
                     "这本记 0 分；一本都没有交时整份提交不评分）。")
    for name in sorted(set(present) - set(expected)):
        flags.append(f"多出的 notebook：{name}.ipynb 不属于作业 {assignment}（文件名不对？），未评分。")
    for name in sorted(set(present) & set(expected)):
        try:
            cells = _read(present[name])["cells"]
        except Exception:  # any unreadable file gets the same finding
            flags.append(f"{name}.ipynb 不是有效的 notebook 文件（JSON 损坏），无法评分。")
            continue
        ids: list[str] = []
        changed: list[str] = []
        broken: list[str] = []
        released = shape.locked[name]
        for position, cell in enumerate(cells if isinstance(cells, list) else [], start=1):
            meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
            meta = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
            if not isinstance(meta, dict):
                broken.append(f"第 {position} 个")
                continue
            gid = meta.get("grade_id")
            if gid is None:
                continue
            if not isinstance(gid, str):
                broken.append(f"第 {position} 个")
                continue
            ids.append(gid)
            if gid in released:
                try:
                    if utils.compute_checksum(cell) != released[gid]:
                        changed.append(gid)
                except Exception:  # malformed cell: say so, nbgrader decides
                    broken.append(gid)
        if changed:
            flags.append(f"{name}.ipynb：{len(changed)} 个只读单元格被改动，已换回原始内容"
                         f"（{'、'.join(changed[:5])}{' 等' if len(changed) > 5 else ''}）。")
        if broken:
            flags.append(f"{name}.ipynb：{len(broken)} 个单元格的评分信息格式已损坏"
                         f"（{'、'.join(broken[:5])}{' 等' if len(broken) > 5 else ''}），按 nbgrader 的规则处理。")
        if ids and not (set(ids) & expected[name]):
            flags.append(f"{name}.ipynb 似乎来自另一份作业（单元格编号对不上），请核对。")
            continue
        deleted = sorted(shape.grade_cells[name] - set(ids))
        if deleted:
            flags.append(f"{name}.ipynb：{len(deleted)} 个评分单元格被删除（{'、'.join(deleted)}），"
                         "这些题没有自动得分。")
        dups = sorted({g for g in ids if ids.count(g) > 1})
        if dups:
            flags.append(f"{name}.ipynb：单元格编号重复（{'、'.join(dups)}），可能复制了单元格。")
    return flags


def _released_checksums(path: Path) -> dict[str, str]:
    """grade_id → checksum of each locked cell as released to learners."""
    from nbgrader import utils

    try:
        nb = _read(path)
    except Exception:  # no release copy: nothing to compare with
        return {}
    out = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade_id") and meta.get("locked"):
            out[meta["grade_id"]] = utils.compute_checksum(cell)
    return out
