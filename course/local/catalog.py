"""Finding, loading and checking local profiles (``course/data/local/<id>.yaml``).

Which profile a course uses is set once, in ``nbgrader_config.py``::

    c.CourseLocal.profile = "shili"

(``course profile use <id>`` writes that line). ``COURSE_PROFILE`` overrides it (an id, or the path
of a YAML file); the grader passes the chosen profile to its kernels as ``COURSE_PROFILE_JSON``,
so a sandboxed kernel that cannot read the course folder uses the same one. Without any of
these, the shipped fictional 示例市 is used.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from course._data import data_dir, list_yaml, load_yaml
from course.local.model import Profile, ProfileError
from course.local.schema import FIELDS, Field

__all__ = ["DEFAULT", "current", "current_id", "load", "profiles", "read", "set_in_config",
           "validate"]

DEFAULT = "shili"
_CONFIG_LINE = re.compile(r"""^\s*c\.CourseLocal\.profile\s*=\s*(['"])([^'"]+)\1\s*$""", re.M)
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def profiles() -> list[str]:
    """Ids of the profiles shipped in ``course/data/local/``."""
    return list_yaml("local")


def _missing(raw: dict[str, Any], path: str) -> tuple[bool, Any]:
    node: Any = raw
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return True, None
        node = node[part]
    return False, node


def _check(field: Field, value: Any) -> str | None:
    label = f"“{field.label}”（{field.path}）"
    if field.kind == "text":
        if not isinstance(value, str) or not value.strip():
            return f"{label} 要写一段文字，不能为空。"
    elif field.kind == "bool":
        if not isinstance(value, bool):
            return f"{label} 只能写 true（是）或 false（否）。"
    elif field.kind in ("number", "integer"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if field.kind == "integer":
            ok = ok and float(value).is_integer()
        if not ok:
            kind = "整数" if field.kind == "integer" else "数字"
            return f"{label} 要写一个{kind}，现在是“{value}”。"
        if (field.minimum is not None and value < field.minimum) or (
                field.maximum is not None and value > field.maximum):
            return f"{label} 应在 {field.minimum:g} 到 {field.maximum:g} 之间，现在是 {value}。"
    elif field.kind == "list":
        if (not isinstance(value, list) or not value
                or not all(isinstance(x, str) and x.strip() for x in value)):
            return f"{label} 要写成一项一行（或 [甲, 乙]）的列表，至少一项，每项是一段文字。"
    elif field.kind == "tariff":
        from course import tariff

        if not isinstance(value, str) or value not in tariff.cities():
            return (f"{label} 必须是 course/data/tariffs/ 里已有的水价文件名，可选："
                    f"{'、'.join(tariff.cities())}；现在是“{value}”。")
    return None


def validate(raw: Any, expected_id: str | None = None) -> list[str]:
    """Every problem of a profile's data, each a Chinese sentence naming the field (empty: fine)."""
    if not isinstance(raw, dict):
        return ["档案的内容必须是“字段: 值”的形式（YAML 映射），请对照 _template.yaml 填写。"]
    problems: list[str] = []
    known = {f.path for f in FIELDS}
    for field in FIELDS:
        missing, value = _missing(raw, field.path)
        if missing:
            if field.required:
                problems.append(f"缺少“{field.label}”（{field.path}），请对照 _template.yaml 补上。")
            continue
        problem = _check(field, value)
        if problem:
            problems.append(problem)
    pid = raw.get("id")
    if isinstance(pid, str) and not _ID.match(pid):
        problems.append(f"“档案标识”（id）只能用英文小写字母、数字和下划线，并以字母开头，现在是“{pid}”。")
    if expected_id is not None and isinstance(pid, str) and pid != expected_id:
        problems.append(f"“档案标识”（id）应与文件名相同：文件是 {expected_id}.yaml，id 写的是“{pid}”。")
    groups = {f.path.split(".")[0] for f in FIELDS}
    for key, value in raw.items():
        if key not in groups:
            problems.append(f"不认识的字段“{key}”：请检查拼写（可用的字段见 _template.yaml）。")
        elif isinstance(value, dict):
            for sub in value:
                if f"{key}.{sub}" not in known:
                    problems.append(f"不认识的字段“{key}.{sub}”：请检查拼写（可用的字段见 _template.yaml）。")
    return problems


def read(source: str | Path) -> Profile:
    """A profile from a shipped id or a YAML file's path; a ProfileError lists every problem."""
    import yaml

    text = str(source)
    if text.endswith((".yaml", ".yml")) or os.sep in text:
        path = Path(text)
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ProfileError(f"读不到本地档案文件 {path}：{exc.strerror or exc}。") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"第 {mark.line + 1} 行" if mark else ""
            raise ProfileError(f"本地档案 {path.name} {where}的格式有误（YAML），请对照 _template.yaml 检查缩进和冒号。") from None
        expected = path.stem
    else:
        if text not in profiles():
            raise ProfileError(f"没有名为“{text}”的本地档案。可选：{'、'.join(profiles())}；"
                               f"或新建 course/data/local/{text}.yaml（见 _template.yaml）。")
        raw = load_yaml(f"local/{text}.yaml")
        expected = text
    problems = validate(raw, expected)
    if problems:
        raise ProfileError(f"本地档案“{expected}”有 {len(problems)} 处需要改正：\n"
                           + "\n".join(f"{i}. {p}" for i, p in enumerate(problems, 1)))
    return Profile(raw)


def load(profile_id: str) -> Profile:
    """The shipped profile ``course/data/local/<profile_id>.yaml``."""
    return read(profile_id)


def _from_config(start: Path) -> str | None:
    for folder in (start, *start.parents):
        config = folder / "nbgrader_config.py"
        if config.is_file():
            try:
                found = _CONFIG_LINE.findall(config.read_text(encoding="utf-8"))
            except OSError:
                return None
            return found[-1][1] if found else None
    return None


def current_id(start: Path | None = None) -> str:
    """Which profile this course uses: ``COURSE_PROFILE``, else ``nbgrader_config.py``, else 示例市."""
    return (os.environ.get("COURSE_PROFILE") or _from_config((start or Path.cwd()).resolve())
            or DEFAULT)


def current(start: Path | None = None) -> Profile:
    """The profile this course uses (see the module's docstring for how it is chosen)."""
    packed = os.environ.get("COURSE_PROFILE_JSON")
    if packed:
        try:
            raw = json.loads(packed)
        except ValueError:
            raise ProfileError("评分环境传来的本地档案无法读取，请讲师检查 course profile check。") from None
        problems = validate(raw)
        if problems:
            raise ProfileError("本地档案有误：" + "；".join(problems))
        return Profile(raw)
    return read(current_id(start))


def set_in_config(root: Path, profile_id: str) -> Path:
    """Write ``c.CourseLocal.profile = "<id>"`` into the course's ``nbgrader_config.py``."""
    read(profile_id)  # refuse a profile that does not load
    config = root / "nbgrader_config.py"
    text = config.read_text(encoding="utf-8") if config.is_file() else ""
    line = f'c.CourseLocal.profile = "{profile_id}"'
    if _CONFIG_LINE.search(text):
        text = _CONFIG_LINE.sub(line, text)
    else:
        text = text.rstrip("\n") + f"\n\n# 本地档案（course/data/local/）：本单位的水价和规定\n{line}\n"
    config.write_text(text, encoding="utf-8")
    return config


def template_path() -> Path:
    """The commented template of a profile."""
    return data_dir() / "local" / "_template.yaml"
