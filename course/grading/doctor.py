"""``course doctor``: is this installation ready to teach and grade?"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Check", "run_checks"]

REQUIRED_LAB_EXTENSIONS = {
    "@jupyter-widgets/jupyterlab-manager": "交互控件（ipywidgets）",
    "@jupyter/nbgrader": "nbgrader（作业、评分面板）",
    "water-course-lab": "作业面板中文标签、交互组件的中文提示（course setup 安装）",
}


@dataclass(frozen=True)
class Check:
    """One doctor check: a Chinese name, pass/fail, and what to do."""

    name: str
    ok: bool
    message: str
    warning_only: bool = False

    def __str__(self) -> str:
        mark = "√" if self.ok else ("！" if self.warning_only else "×")
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


def _learner_environment() -> list[Check]:
    from course.labsetup import kernel_extension_ok, lab_settings_ok

    fix = "请运行 course setup（make lab 会自动运行）。"
    return [
        Check("JupyterLab 中文界面", lab_settings_ok(),
              "已安装中文语言包并设为默认界面语言。" if lab_settings_ok()
              else f"界面还是英文（中文语言包没装或没有设为默认）：{fix}"),
        Check("课程内核扩展", kernel_extension_ok(),
              "已启用：答案可以用中文输入法的标点，出错时显示中文提示。" if kernel_extension_ok()
              else f"没有启用，学员用中文标点作答会出错、看到英文报错：{fix}"),
    ]


def _exchange(root: Path) -> Check:
    import os

    try:
        from course.grading.gradebook import load_config

        cfg = load_config(root)
        base = Path(str(cfg.Exchange.root)) / str(cfg.CourseDirectory.course_id)
    except Exception as exc:
        return Check("作业交换目录", False, f"读不到 nbgrader 配置（{exc}）。")
    missing = [s for s in ("inbound", "outbound") if not (base / s).is_dir()]
    if missing:
        return Check("作业交换目录", False, f"{base} 不完整（缺 {'、'.join(missing)}）："
                     "学员在“作业”页面领不到、交不了作业。本机自学请运行 course setup，"
                     "工作坊服务器请运行 sudo deploy/setup.sh。")
    if not os.access(base / "inbound", os.W_OK):
        return Check("作业交换目录", False, f"{base / 'inbound'} 不可写：学员交不了作业。")
    released = sorted(p.name for p in (base / "outbound").iterdir() if p.is_dir())
    return Check("作业交换目录", bool(released),
                 f"{base}：可领取的作业 {len(released)} 份（{'、'.join(released)}）。" if released
                 else f"{base} 里还没有作业：运行 course setup 或 course release --publish。",
                 warning_only=not released)


def run_checks(root: Path | str = ".") -> list[Check]:
    """All checks for the course at ``root``."""
    from course.grading.sandbox import sandbox_status

    root = Path(root).resolve()
    checks = _lab_extensions()
    checks += _learner_environment()
    checks.append(_font())
    status = sandbox_status()
    checks.append(Check("评分沙箱（bubblewrap）", status.available, status.message, warning_only=True))
    checks.append(_gradebook(root))
    checks.append(_exchange(root))
    return checks
