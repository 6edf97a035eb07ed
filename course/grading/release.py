"""Generate student versions (``release/``) from ``source/`` with nbgrader's own API, and verify them.

``python -m course.grading.release [ASSIGNMENT ...]`` regenerates the named assignments (all by
default) into this repository's ``release/`` folder.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = [
    "LEAK_MARKERS",
    "assignments",
    "course_root",
    "ensure_venv_on_path",
    "generate",
    "load_course_config",
    "make_api",
    "normalise_notebook",
    "verify_release",
]

#: Text that must never appear in a released notebook.
LEAK_MARKERS = (
    "### BEGIN SOLUTION",
    "### END SOLUTION",
    "### BEGIN HIDDEN TESTS",
    "### END HIDDEN TESTS",
    "=== BEGIN MARK SCHEME ===",
)


def course_root() -> Path:
    """The course directory: this repository's root (where nbgrader_config.py lives)."""
    return Path(__file__).resolve().parents[2]


def assignments(root: Path | None = None) -> list[str]:
    """Assignment ids found in ``source/``, sorted."""
    src = (root or course_root()) / "source"
    return sorted(p.name for p in src.iterdir() if p.is_dir() and list(p.glob("*.ipynb")))


def load_course_config(root: Path | None = None, *, db_url: str | None = None) -> Any:
    """nbgrader config from ``nbgrader_config.py``, pointed at ``root`` (and ``db_url``)."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    repo = course_root()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(repo)).load_config()
    merged = Config()
    merged.merge(config)
    root = (root or repo).resolve()
    merged.CourseDirectory.root = str(root)
    merged.CourseDirectory.db_url = db_url or config.CourseDirectory.db_url
    if root != repo and not db_url:
        merged.CourseDirectory.db_url = "sqlite:///" + str(root / "gradebook.db")
    return merged


def ensure_venv_on_path() -> None:
    """Put this interpreter's scripts folder on PATH: nbgrader shells out to ``alembic``."""
    import os

    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")


def make_api(root: Path | None = None, *, db_url: str | None = None, **overrides: Any) -> Any:
    """An ``NbGraderAPI`` for the course at ``root`` (default: this repository)."""
    from nbgrader.apps import NbGraderAPI

    ensure_venv_on_path()
    config = load_course_config(root, db_url=db_url)
    for section, values in overrides.items():
        for key, value in values.items():
            config[section][key] = value
    return NbGraderAPI(config=config)


def normalise_notebook(path: Path) -> dict[str, Any]:
    """A notebook's JSON with volatile fields removed, for comparing generated releases."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb.get("cells", []):
        cell.pop("id", None)
        cell.get("metadata", {}).pop("execution", None)
    return nb


def verify_release(release_dir: Path, source_dir: Path) -> list[str]:
    """Problems with a released assignment (empty list when it is fine), in Chinese."""
    problems: list[str] = []
    src = sorted(p.name for p in source_dir.glob("*.ipynb"))
    rel = sorted(p.name for p in release_dir.glob("*.ipynb"))
    if src != rel:
        problems.append(f"{release_dir.name}：发布版的作业文件 {rel} 与源文件 {src} 不一致。")
    for path in release_dir.glob("*.ipynb"):
        text = path.read_text(encoding="utf-8")
        for marker in LEAK_MARKERS:
            if marker in text:
                problems.append(f"{path.name}：发布版里仍有“{marker}”，答案或评分标准会泄露。")
        nb = json.loads(text)
        if any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"):
            problems.append(f"{path.name}：发布版带有运行输出，请先清除。")
    return problems


def generate(assignment: str, *, root: Path | None = None, out: Path | None = None) -> Path:
    """Run nbgrader's generate_assignment for ``assignment`` and return the release folder.

    With ``out`` the generation happens in a scratch course directory and the result is copied to
    ``out`` (used by tests to compare against the committed release without touching it).
    """
    root = (root or course_root()).resolve()
    if out is None:
        api = make_api(root)
        result = api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise RuntimeError(f"{assignment}：生成发布版失败。\n{result['error']}\n{result['log']}")
        target = root / "release" / assignment
    else:
        with tempfile.TemporaryDirectory(prefix="course-release-") as tmp:
            scratch = Path(tmp)
            shutil.copytree(root / "source" / assignment, scratch / "source" / assignment)
            api = make_api(scratch)
            result = api.generate_assignment(assignment, force=True, create=True)
            if not result["success"]:
                raise RuntimeError(f"{assignment}：生成发布版失败。\n{result['error']}")
            if out.exists():
                shutil.rmtree(out)
            shutil.copytree(scratch / "release" / assignment, out)
        target = out
    problems = verify_release(target, root / "source" / assignment)
    if problems:
        raise RuntimeError("\n".join(problems))
    return target


def main(argv: list[str] | None = None) -> int:
    """Regenerate the named assignments' releases (all by default)."""
    names = (argv if argv is not None else sys.argv[1:]) or assignments()
    for name in names:
        path = generate(name)
        print(f"已生成并检查：{path.relative_to(course_root())}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
