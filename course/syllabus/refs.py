"""Practice references (``exercise:``, ``selfcheck:``, ``scenario:``, ``assignment:``, ``widget:``,
``drill:``) and the check that each names something that exists."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from course.syllabus.sections import read_notebook

__all__ = ["KINDS", "resolve"]

KINDS = {
    "exercise": "exercise:<编号>（course/data/exercises/<编号>.yaml）",
    "selfcheck": "selfcheck:<文件>:<题号>（course/data/selfcheck/<文件>.yaml）",
    "scenario": "scenario:<场景编号>（course/data/scenarios/<编号>.yaml）",
    "assignment": "assignment:<source/…ipynb>:<单元格 id 或 grade_id>",
    "widget": "widget:<笔记本>#<标题>（该节里有一个交互组件）",
    "drill": "drill:<事件编号>（course/data/incidents/<编号>.yaml）",
}


@cache
def _yaml(path: str, mtime: float) -> object:
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _load(path: Path) -> object:
    return _yaml(str(path), path.stat().st_mtime)


@cache
def _widget_names(widgets_dir: str) -> frozenset[str]:
    names = set()
    for py in Path(widgets_dir).glob("*.py"):
        names |= set(re.findall(r"^class (\w+)\(", py.read_text(encoding="utf-8"), re.M))
    return frozenset(names)


def _notebook_sources(root: Path) -> str:
    paths = sorted([*root.glob("notebooks/*.ipynb"), *root.glob("source/*/*.ipynb")])
    return "\n".join(_source(str(p), p.stat().st_mtime) for p in paths)


@cache
def _source(path: str, mtime: float) -> str:
    nb = read_notebook(Path(path))
    return "\n".join("".join(c["source"]) if isinstance(c.get("source"), list) else c.get("source", "")
                     for c in nb.get("cells", []))


def _used(root: Path, quoted: str) -> bool:
    """Whether ``quoted`` (an id in double quotes) appears in a lesson or assignment notebook."""
    return quoted in _notebook_sources(root)


def resolve(ref: str, root: Path, find_section: Callable[[str], tuple[Any, str | None]]) -> str | None:
    """``None`` when ``ref`` resolves, else a Chinese reason. ``find_section(location)`` returns
    ``(section, error)`` for a ``notebooks/…#heading`` location."""
    kind, _, rest = ref.partition(":")
    data = root / "course" / "data"
    if kind not in KINDS or not rest:
        return f"“{ref}”不是认得的练习引用；允许的写法：{'；'.join(KINDS.values())}"
    if kind in ("exercise", "scenario", "drill"):
        folder = {"exercise": "exercises", "scenario": "scenarios", "drill": "incidents"}[kind]
        path = data / folder / f"{rest}.yaml"
        if rest.startswith("_") or not path.is_file():
            return f"找不到 {path.relative_to(root)}"
        if kind == "exercise" and not _used(root, f'"{rest}"'):
            return f"练习 {rest} 没有在任何笔记本（notebooks/、source/）里用到，学员做不到它"
        return None
    if kind == "selfcheck":
        name, _, key = rest.partition(":")
        path = data / "selfcheck" / f"{name}.yaml"
        if not path.is_file():
            return f"找不到自测题文件 {path.relative_to(root)}"
        content = _load(path)
        if not key or not isinstance(content, dict) or key not in content:
            return f"自测题文件 {path.relative_to(root)} 里没有题号“{key}”"
        if not _used(root, f'"{name}.{key}"'):
            return f"自测题 {name}.{key} 没有在任何笔记本里用到（应有 check(\"{name}.{key}\", …)）"
        return None
    if kind == "assignment":
        nb_path, _, cell = rest.rpartition(":")
        path = root / nb_path
        if not nb_path.startswith("source/") or not path.is_file():
            return f"找不到作业笔记本 {nb_path or rest}（应写 source/<作业>/<文件>.ipynb:<单元格>）"
        nb = read_notebook(path)
        ids = set()
        for c in nb.get("cells", []):
            ids.add(c.get("id"))
            ids.add(c.get("metadata", {}).get("nbgrader", {}).get("grade_id"))
        if cell not in ids:
            return f"作业笔记本 {nb_path} 里没有 id 或 grade_id 为“{cell}”的单元格"
        return None
    # widget
    section, error = find_section(rest)
    if error:
        return error
    names = _widget_names(str(root / "course" / "widgets"))
    if not any(re.search(rf"\b{n}\(", code) for code in section.code for n in names):
        return f"“{rest}”这一节里没有交互组件（{'、'.join(sorted(names))}）"
    return None
