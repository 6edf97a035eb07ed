"""``course doctor``: is this installation ready to teach and grade?"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Check", "run_checks"]

REQUIRED_LAB_EXTENSIONS = {
    "@jupyter-widgets/jupyterlab-manager": "交互控件（ipywidgets）",
    "@jupyter/nbgrader": "nbgrader（作业、评分面板）",
}


@dataclass(frozen=True)
class Check:
    """One doctor check: a Chinese name, pass/fail, and what to do."""

    name: str
    ok: bool
    message: str
    warning_only: bool = False

    def __str__(self) -> str:
        mark = "✅" if self.ok else ("⚠️" if self.warning_only else "❌")
        return f"{mark} {self.name}：{self.message}"


def _lab_extensions() -> list[Check]:
    from jupyter_core.paths import jupyter_config_path, jupyter_path

    found: set[str] = set()
    for base in jupyter_path("labextensions"):
        p = Path(base)
        if not p.is_dir():
            continue
        for pkg in p.glob("*/package.json"):
            found.add(pkg.parent.name)
        for pkg in p.glob("@*/*/package.json"):
            found.add(f"{pkg.parent.parent.name}/{pkg.parent.name}")
    disabled: set[str] = set()
    for base in jupyter_config_path():
        cfg = Path(base) / "labconfig" / "page_config.json"
        try:
            data = json.loads(cfg.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        disabled |= {k for k, v in (data.get("disabledExtensions") or {}).items() if v}
    out = []
    for name, what in REQUIRED_LAB_EXTENSIONS.items():
        hit = [f for f in found if f == name]
        if not hit:
            out.append(Check(f"JupyterLab 扩展 {name}", False, f"未安装（{what}）：请重新安装课程依赖。"))
        elif any(d == name or d.startswith(name + ":") for d in disabled):
            out.append(Check(f"JupyterLab 扩展 {name}", False,
                             f"已安装但被禁用（{what}）：运行 jupyter labextension enable {name}。"))
        else:
            out.append(Check(f"JupyterLab 扩展 {name}", True, f"已安装并启用（{what}）。"))
    return out


def _font() -> Check:
    try:
        from course.plotting import use_chinese_fonts

        name = use_chinese_fonts()
    except Exception as exc:
        return Check("中文字体", False, f"找不到可用的中文字体（{exc}）：图表中的中文会显示成方框。")
    return Check("中文字体", bool(name), f"图表使用字体 {name}。" if name else "没有中文字体。")


def _gradebook(root: Path) -> Check:
    try:
        from nbgrader.api import Gradebook

        from course.grading.gradebook import load_config

        url = str(load_config(root).CourseDirectory.db_url)
        with Gradebook(url) as gb:
            n = len(gb.assignments)
    except Exception as exc:
        return Check("成绩册", False, f"无法连接成绩册（{type(exc).__name__}: {exc}）：检查 COURSE_DB_URL。")
    shown = url.split("@")[-1] if "@" in url else url
    return Check("成绩册", True, f"可以连接（{shown}），其中有 {n} 份作业。")


def run_checks(root: Path | str = ".") -> list[Check]:
    """All checks for the course at ``root``."""
    from course.grading.sandbox import sandbox_status

    root = Path(root).resolve()
    checks = _lab_extensions()
    checks.append(_font())
    status = sandbox_status()
    checks.append(Check("评分沙箱（bubblewrap）", status.available, status.message, warning_only=True))
    checks.append(_gradebook(root))
    return checks
