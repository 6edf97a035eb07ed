"""Which skills an assignment's graded cells measure (cell metadata ``course.skills`` in ``source/``)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["item_tags", "skill_tags"]


def _graded_cells(root: Path):
    import nbformat

    for path in sorted((root / "source").glob("*/*.ipynb")):
        try:
            nb = nbformat.read(str(path), as_version=4)
        except Exception:
            continue
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid:
                yield (path.parent.name, path.stem, gid), cell.metadata.get("course", {})


def skill_tags(root: Path) -> dict[tuple[str, str, str], list[str]]:
    """(assignment, notebook, grade_id) → skills, read from ``source/`` cell metadata."""
    return {key: [str(s) for s in meta["skills"]] for key, meta in _graded_cells(root)
            if meta.get("skills")}


def item_tags(root: Path) -> dict[tuple[str, str, str], str]:
    """(assignment, notebook, grade_id) → the item-bank id the cell grades (``course.item``)."""
    return {key: str(meta["item"]) for key, meta in _graded_cells(root) if meta.get("item")}
