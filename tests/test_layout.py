"""The package layout shows the architecture: one package per engine, no import cycles."""

from __future__ import annotations

import ast
import doctest
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "course"
ENGINES = ("tariff", "coach", "roleplay", "crisis", "itembank", "wellbeing", "service", "dialogues",
           "exercises", "legal", "syllabus")
JUPYTER = ("ipywidgets", "IPython", "ipykernel", "jupyter_client", "nbgrader", "nbformat",
           "nbclient", "nbconvert", "jupyterlab", "notebook", "traitlets")


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path) -> set[str]:
    """Every module a file imports, anywhere (function bodies and TYPE_CHECKING blocks too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                mod = f"{base}.{node.module}" if node.module else base
            else:
                mod = node.module or ""
            out.add(mod)
            out |= {f"{mod}.{a.name}" for a in node.names}  # `from pkg import submodule`
    return out


def _course_edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        targets = set()
        for mod in _imports(path):
            while mod and mod not in MODULES:
                mod = mod.rpartition(".")[0]
            if mod and mod != name and mod != "course":
                targets.add(mod)
        edges[name] = targets
    return edges


def test_no_top_level_engine_module_with_a_prefix() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    for engine in ENGINES:
        assert not [n for n in top if n.startswith(f"{engine}")], top
        assert (PACKAGE / engine / "__init__.py").is_file()


@pytest.mark.parametrize("engine", ENGINES)
def test_engine_init_is_only_a_public_face(engine: str) -> None:
    tree = ast.parse((PACKAGE / engine / "__init__.py").read_text(encoding="utf-8"))
    kinds = {type(node).__name__ for node in tree.body}
    assert kinds <= {"Expr", "ImportFrom", "Assign"}, kinds  # docstring, imports, __all__
    module = importlib.import_module(f"course.{engine}")
    assert module.__all__ and len(module.__all__) <= 30
    for name in module.__all__:
        assert hasattr(module, name), name


def test_course_has_no_import_cycles() -> None:
    edges = _course_edges()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt):], nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)


@pytest.mark.parametrize("engine", ENGINES)
def test_engines_import_no_jupyter_and_not_the_grader(engine: str) -> None:
    for name, path in MODULES.items():
        if name == f"course.{engine}" or name.startswith(f"course.{engine}."):
            for mod in _imports(path):
                top = mod.split(".")[0]
                assert top not in JUPYTER, f"{name} imports {mod}"
                assert not mod.startswith(("course.grading", "course.widgets", "course.workshop")), (
                    f"{name} imports {mod}")


def test_import_course_engines_loads_no_heavy_library() -> None:
    code = ("import sys, course.tariff, course.coach, course.roleplay, course.crisis\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'numpy', 'pandas', 'matplotlib', 'ipywidgets', 'IPython', 'nbgrader'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


DOCTEST_MODULES = sorted(n for n in MODULES if not n.startswith(("course.widgets",
                                                                  "course.workshop")))


@pytest.mark.parametrize("name", DOCTEST_MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0
