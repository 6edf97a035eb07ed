"""How ``course grade`` splits a notebook: what the learner's kernel runs, what the clean one runs.

The instructor's cells come from the gradebook, never from the submitted file: the test cells
(with their hidden tests) and the locked code cells before them (imports, data). In the
learner's kernel every test cell is replaced by a snapshot cell that hands over, as data, the
variables the test reads (:mod:`course.grading.answers`); the clean interpreter then runs the
instructor's cells in notebook order with those values (:mod:`course.grading.testrun`).

>>> sorted(answer_names("expect_close(bill_q1, shili.bill(12).total, 'bill_q1')",
...                     bound={"expect_close", "shili"}))
['bill_q1']
"""

from __future__ import annotations

import ast
import builtins
import copy
import secrets
from dataclasses import dataclass, field
from typing import Any

from course.grading.answers import snapshot_source

__all__ = ["Plan", "Step", "TrustedCells", "answer_names", "make_plan", "module_bindings",
           "trusted_cells"]

_BUILTINS = frozenset(dir(builtins))


@dataclass(frozen=True)
class TrustedCells:
    """One notebook's instructor cells, by grade_id, with their sources from the gradebook."""

    tests: dict[str, str] = field(default_factory=dict)
    setup: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """One instructor cell for the clean interpreter: ``setup`` or ``test`` (with answer names)."""

    kind: str
    index: int
    grade_id: str
    source: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """The learner's notebook (test cells replaced by snapshots) and the clean run's steps."""

    learner: Any
    steps: tuple[Step, ...]
    token: str

    @property
    def tests(self) -> tuple[Step, ...]:
        """The test steps, in notebook order."""
        return tuple(s for s in self.steps if s.kind == "test")


def trusted_cells(gb: Any, notebook: Any) -> TrustedCells:
    """Read a notebook's test and setup cells from nbgrader's gradebook (``gb``, ``Notebook``)."""
    sources = {c.name: c for c in notebook.source_cells}
    graded = {c.name for c in notebook.grade_cells}
    solutions = {c.name for c in notebook.solution_cells}
    tests, setup = {}, {}
    for name, cell in sources.items():
        if cell.cell_type != "code" or name in solutions:
            continue
        if name in graded:
            tests[name] = cell.source
        elif cell.locked:
            setup[name] = cell.source
    return TrustedCells(tests=tests, setup=setup)


def module_bindings(source: str) -> set[str]:
    """Names a cell binds at module level (assignments, imports, defs; not inside functions)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    out: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                out.add(child.name)
                continue
            if isinstance(child, ast.Lambda | ast.ListComp | ast.SetComp | ast.DictComp
                          | ast.GeneratorExp):
                continue
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store | ast.Del):
                out.add(child.id)
            elif isinstance(child, ast.Import | ast.ImportFrom):
                out.update((a.asname or a.name).split(".")[0] for a in child.names if a.name != "*")
            elif isinstance(child, ast.ExceptHandler) and child.name:
                out.add(child.name)
            visit(child)

    visit(tree)
    return out


def answer_names(source: str, bound: set[str]) -> set[str]:
    """Names a test cell reads that neither it, the instructor's cells (``bound``) nor Python
    define: the learner's answers."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    loaded, own = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else own).add(node.id)
        elif isinstance(node, ast.arg):
            own.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            own.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            own |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ExceptHandler) and node.name:
            own.add(node.name)
    return loaded - own - bound - _BUILTINS


def make_plan(nb: Any, trusted: TrustedCells) -> Plan:
    """Split ``nb`` (after nbgrader restored its locked cells) into the two runs.

    Cells are matched by grade_id to the gradebook's instructor cells; a cell that claims an
    unknown grade_id, or any cell the learner added, is learner code and runs only in the
    learner's kernel.
    """
    token = secrets.token_hex(8)
    learner = copy.deepcopy(nb)
    steps: list[Step] = []
    bound: set[str] = set()
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        gid = meta.get("grade_id") if isinstance(meta, dict) else None
        if not isinstance(gid, str) or gid in seen:
            continue
        if gid in trusted.tests:
            seen.add(gid)
            source = trusted.tests[gid]
            names = tuple(sorted(answer_names(source, bound)))
            steps.append(Step("test", index, gid, source, names))
            bound |= module_bindings(source)
            target = learner.cells[index]
            target["source"] = snapshot_source(list(names), token)
            target["outputs"] = []
        elif gid in trusted.setup:
            seen.add(gid)
            source = trusted.setup[gid]
            if module_bindings(source):  # cells that only print or plot are not needed
                steps.append(Step("setup", index, gid, source))
                bound |= module_bindings(source)
    return Plan(learner=learner, steps=tuple(steps), token=token)
