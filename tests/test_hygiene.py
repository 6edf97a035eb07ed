"""Repository hygiene: clean notebooks, unique grade ids, no clutter, cheap import, ruff clean."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ALL_NOTEBOOKS = sorted(
    p for folder in ("notebooks", "source", "release") for p in (REPO / folder).rglob("*.ipynb")
)


def _tracked(pattern: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", "--", f"*{pattern}*", f"**/{pattern}/**"], cwd=REPO,
                         capture_output=True, text=True, check=True)
    return out.stdout.split()


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_notebook_is_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"cell {i} has outputs"
            assert cell.get("execution_count") is None, f"cell {i} has an execution count"
    assert "widgets" not in nb.get("metadata", {}), "saved widget state"


@pytest.mark.parametrize(
    "path", sorted((REPO / "source").rglob("*.ipynb")), ids=lambda p: p.relative_to(REPO).as_posix()
)
def test_source_grade_ids_are_unique_and_readable(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    ids = [c["metadata"]["nbgrader"]["grade_id"] for c in nb["cells"]
           if "nbgrader" in c["metadata"] and "grade_id" in c["metadata"]["nbgrader"]]
    assert len(ids) == len(set(ids)), "duplicate grade_id"
    assert not [i for i in ids if i.startswith("cell-")], "use readable grade_ids"


def test_lesson_notebooks_are_numbered_and_start_with_objectives():
    # the trainer's projector notebook (讲师看板) is the one notebook that is not a lesson
    lessons = sorted(p for p in (REPO / "notebooks").glob("*.ipynb") if p.name != "讲师看板.ipynb")
    for path in lessons:
        assert path.name[:2].isdigit(), path.name
        nb = json.loads(path.read_text(encoding="utf-8"))
        first = "".join(nb["cells"][0]["source"])
        assert "学习目标" in first, f"{path.name}: first cell lacks 学习目标"
        last = "".join(nb["cells"][-1]["source"])
        assert "要点回顾" in last, f"{path.name}: last cell lacks 要点回顾"


@pytest.mark.parametrize("pattern", [".ipynb_checkpoints", "Untitled*.ipynb", ".nbgrader.log",
                                     ".DS_Store"])
def test_no_committed_clutter(pattern):
    assert _tracked(pattern) == []


def test_nothing_the_project_ships_is_ignored_by_git():
    """A file that only exists on the developer's machine breaks the clean checkout CI uses."""
    out = subprocess.run(["git", "ls-files", "--others", "--ignored", "--exclude-standard", "--",
                          "course", "notebooks", "source", "release", "tests", "bench", ".ci"],
                         cwd=REPO, capture_output=True, text=True, check=True)
    ignored = [f for f in out.stdout.splitlines()
               if "__pycache__" not in f and not f.endswith(".pyc")
               and ".ipynb_checkpoints" not in f]
    assert ignored == []


def test_import_course_is_cheap():
    code = "import sys, course; print(sorted(m for m in ('numpy','pandas','matplotlib','ipywidgets','jieba') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_ruff_is_clean():
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--quiet", str(REPO)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
