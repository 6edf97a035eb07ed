"""Access to the facts shipped in ``course/data/`` (YAML files with their sources)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["data_dir", "list_yaml", "load_yaml"]


def data_dir() -> Path:
    """Return the directory that holds the course data files."""
    return Path(str(resources.files("course") / "data"))


@cache
def _load(path: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: several times faster
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)


def load_yaml(relpath: str) -> Any:
    """Load ``course/data/<relpath>`` (cached; treat the result as read-only)."""
    path = data_dir() / relpath
    if not path.is_file():
        raise FileNotFoundError(f"找不到课程数据文件：{relpath}")
    return _load(str(path))


def list_yaml(subdir: str) -> list[str]:
    """Names (without ``.yaml``) of the data files in ``course/data/<subdir>``, sorted."""
    folder = data_dir() / subdir
    return sorted(p.stem for p in folder.glob("*.yaml") if not p.name.startswith("_"))
