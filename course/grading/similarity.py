"""Answers that travelled: a learner handing in the answer to *someone else's* variant.

With per-learner variants, an answer that is wrong for its author's own numbers but exactly
right for another learner's is hard to explain except by copying. :func:`travelled_answers`
reads every submission's answer cells (as the learner typed them, full-width included), works
out what each learner's own variant expects, and reports pairs of learners where that happened
on at least ``min_items`` items. It is a prompt to talk to the learners, not proof.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["TravelledAnswer", "travelled_answers"]


@dataclass(frozen=True)
class TravelledAnswer:
    """``learner`` handed in, on ``items``, the answers that fit ``source``'s variants."""

    assignment: str
    learner: str
    source: str
    items: tuple[str, ...]

    def __str__(self) -> str:
        return (f"{self.assignment}：{self.learner} 有 {len(self.items)} 道题（{'、'.join(self.items)}）"
                f"答的不是自己的题目，而恰好是 {self.source} 那一份的正确答案，请核实。")


def _value(source: str) -> Any:
    from course.fullwidth import normalize_code

    try:
        tree = ast.parse(normalize_code(source))
        node = tree.body[-1]
        if isinstance(node, ast.Assign):
            value = ast.literal_eval(node.value)
            return _canon(value)
    except (SyntaxError, ValueError, IndexError, TypeError):
        pass
    return None


def _canon(value: Any) -> Any:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return round(float(value), 2)
    if isinstance(value, str):
        return value.strip().upper()
    if isinstance(value, list | tuple):
        return tuple(_canon(v) for v in value)
    if isinstance(value, set | frozenset):
        return frozenset(_canon(v) for v in value)
    return None


def _submitted(root: Path, assignment: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for path in sorted((root / "submitted").glob(f"*/{assignment}/*.ipynb")):
        if path.is_symlink() or path.parent.is_symlink() or path.parents[1].is_symlink():
            continue
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        answers = out.setdefault(path.parents[1].name, {})
        for cell in nb.get("cells", []):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell.get("cell_type") == "code" and meta.get("solution") and meta.get("grade_id"):
                answers[str(meta["grade_id"])] = _value("".join(cell.get("source", "")))
    return out


def travelled_answers(root: Path | str, assignment: str, min_items: int = 2) -> list[TravelledAnswer]:
    """Pairs (learner, source) where ``learner`` answered ``source``'s variants on ``min_items``+ items."""
    from course.grading.cohort import variant_answers

    root = Path(root)
    given = _submitted(root, assignment)
    expected = {who: {gid: _value(src) for gid, src in variant_answers(root, assignment, who).items()}
                for who in given}
    found = []
    for who, answers in given.items():
        mine = expected[who]
        matches = {}
        for other, theirs in expected.items():
            if other == who:
                continue
            matches[other] = tuple(gid.removesuffix("_answer") for gid, value in answers.items()
                                   if value is not None and value != mine.get(gid)
                                   and value == theirs.get(gid))
        # Items with few possible answers (a tier's price, a letter) coincide by chance: only the
        # learner(s) whose variants explain the most wrong answers are named.
        most = max((len(m) for m in matches.values()), default=0)
        if most >= min_items:
            found += [TravelledAnswer(assignment, who, other, items)
                      for other, items in matches.items() if len(items) == most]
    return found
