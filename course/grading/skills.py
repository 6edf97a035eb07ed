"""Which skills an assignment's graded cells measure (cell metadata ``course.skills`` in ``source/``)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["skill_tags"]


def skill_tags(root: Path) -> dict[tuple[str, str, str], list[str]]:
    """(assignment, notebook, grade_id) → skills, read from ``source/`` cell metadata."""
    import nbformat

    out: dict[tuple[str, str, str], list[str]] = {}
    for path in sorted((root / "source").glob("*/*.ipynb")):
        try:
            nb = nbformat.read(str(path), as_version=4)
        except Exception:
            continue
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            skills = cell.metadata.get("course", {}).get("skills") or []
            if gid and skills:
                out[(path.parent.name, path.stem, gid)] = [str(s) for s in skills]
    return out
