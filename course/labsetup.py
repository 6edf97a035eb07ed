"""``course setup``: JupyterLab on this machine, ready for a learner who reads Chinese.

Writes into the Python environment the course runs in (``sys.prefix``), so every JupyterLab and
every kernel started from it — ``make lab`` on one machine, the workshop hub's learners — gets:

* the Simplified Chinese interface (the ``jupyterlab-language-pack-zh-CN`` package, selected in
  JupyterLab's ``overrides.json``), without the news and update notices;
* the learner kernel extension :mod:`course.learner` (``ipython_kernel_config.py``), so answers
  typed with a Chinese input method work and mistakes are explained in Chinese;
* the course's JupyterLab extension ``water-course-lab`` (``course/labextension/``, no build
  step): nbgrader's Assignments panel, menu and dialogs in Chinese, and a Chinese "run this
  cell again" where a saved widget has lost its kernel;

and, for a course directory on one machine, a local nbgrader exchange inside it
(``.exchange/``) with every released assignment published, so the Assignments panel works
without root rights and without an instructor.
"""

from __future__ import annotations

import contextlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "KERNEL_CONFIG_MARK",
    "LAB_EXTENSION",
    "LAB_OVERRIDES",
    "SetupReport",
    "assignment_titles",
    "exchange_root",
    "install_kernel_extension",
    "install_lab_extension",
    "install_lab_settings",
    "kernel_extension_ok",
    "lab_settings_ok",
    "prepare_local_exchange",
    "set_up_lab",
]

KERNEL_CONFIG_MARK = "# course.learner: added by `course setup`"
LAB_OVERRIDES: dict[str, dict[str, Any]] = {
    "@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"},
    "@jupyterlab/apputils-extension:notification": {"checkForUpdates": False,
                                                    "fetchNews": "false"},
    "@jupyterlab/docmanager-extension:plugin": {"autosave": True, "autosaveInterval": 30},
}


@dataclass(frozen=True)
class SetupReport:
    """What ``course setup`` did, in Chinese lines."""

    lines: tuple[str, ...]

    def __str__(self) -> str:
        return "\n".join(self.lines)


def _kernel_config(prefix: Path) -> Path:
    return prefix / "etc" / "ipython" / "ipython_kernel_config.py"


def _overrides(prefix: Path) -> Path:
    return prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def install_kernel_extension(prefix: Path | None = None) -> Path:
    """Load :mod:`course.learner` in every IPython kernel of this environment (idempotent)."""
    path = _kernel_config(Path(prefix or sys.prefix))
    path.parent.mkdir(parents=True, exist_ok=True)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if KERNEL_CONFIG_MARK not in text:
        if not text:
            text = "c = get_config()  # noqa: F821\n"
        text += (f"\n{KERNEL_CONFIG_MARK}\n"
                 'c.InteractiveShellApp.extensions.append("course.learner")\n')
        path.write_text(text, encoding="utf-8")
    return path


def kernel_extension_ok(prefix: Path | None = None) -> bool:
    """Whether the kernel configuration loads :mod:`course.learner`."""
    path = _kernel_config(Path(prefix or sys.prefix))
    return path.is_file() and KERNEL_CONFIG_MARK in path.read_text(encoding="utf-8")


def install_lab_settings(prefix: Path | None = None) -> Path:
    """Chinese JupyterLab, no news: merge :data:`LAB_OVERRIDES` into ``overrides.json``."""
    path = _overrides(Path(prefix or sys.prefix))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except ValueError:
        data = {}
    for plugin, values in LAB_OVERRIDES.items():
        data.setdefault(plugin, {}).update(values)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def lab_settings_ok(prefix: Path | None = None) -> bool:
    """Whether JupyterLab defaults to Chinese here and the language pack is installed."""
    from importlib.util import find_spec

    path = _overrides(Path(prefix or sys.prefix))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    locale = data.get("@jupyterlab/translation-extension:plugin", {}).get("locale")
    return locale == "zh_CN" and find_spec("jupyterlab_language_pack_zh_CN") is not None


LAB_EXTENSION = "water-course-lab"
_ASSIGNMENT_DIR_CONFIG = """\
# 自学模式：“作业”页面在这个文件夹里重新读取 nbgrader 设置；这里转而读取课程的设置。
# 由 course setup 生成，不要修改。
c = get_config()  # noqa: F821
load_subconfig({course!r})  # noqa: F821
"""


def install_lab_extension(prefix: Path | None = None, root: Path | None = None) -> Path:
    """Copy ``course/labextension`` into this environment's JupyterLab extensions.

    With a course ``root``, the panel also shows each assignment's Chinese title (the first
    heading of its source notebook) next to its id, and the course's name next to its id.
    """
    import fcntl
    import shutil

    source = Path(__file__).with_name("labextension")
    target = Path(prefix or sys.prefix) / "share" / "jupyter" / "labextensions" / LAB_EXTENSION
    titles = assignment_titles(root) if root is not None else {}
    entry = (source / "static" / "remoteEntry.js").read_text(encoding="utf-8")
    if titles:
        entry = entry.replace("var TITLES = {};", "var TITLES = "
                              + json.dumps(titles, ensure_ascii=False) + ";")
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{LAB_EXTENSION}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two setups at once must not interleave
        current = target / "static" / "remoteEntry.js"
        if current.is_file() and current.read_text(encoding="utf-8") == entry and (
                (target / "package.json").read_bytes() == (source / "package.json").read_bytes()):
            return target
        staging = target.with_name(f".{LAB_EXTENSION}.new")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(source, staging)
        (staging / "static" / "remoteEntry.js").write_text(entry, encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    return target


def assignment_titles(root: Path) -> dict[str, str]:
    """Assignment id → "Chinese title（id）", and the course id → the course's name."""
    from course.grading.gradebook import load_config

    titles: dict[str, str] = {}
    for folder in sorted((Path(root) / "source").glob("*/")):
        for path in sorted(folder.glob("*.ipynb"))[:1]:
            try:
                cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
                first = next(c for c in cells if c["cell_type"] == "markdown")
                heading = "".join(first["source"]).splitlines()[0].lstrip("# ").strip()
            except (OSError, ValueError, KeyError, StopIteration, IndexError):
                continue
            if heading:
                titles[folder.name] = f"{heading}（{folder.name}）"
    with contextlib.suppress(Exception):  # no course configuration: no course name
        titles[str(load_config(root).CourseDirectory.course_id)] = "水务客服投诉处理实训"
    return titles


def exchange_root(root: Path) -> Path:
    """The nbgrader exchange configured for the course at ``root``."""
    from course.grading.gradebook import load_config

    return Path(str(load_config(root).Exchange.root))


def prepare_local_exchange(root: Path) -> list[str]:
    """Create the course's exchange and publish every released assignment; Chinese lines."""
    import os

    from course.grading.gradebook import course_api, generate_assignment, load_config
    from course.grading.release import assignments

    cfg = load_config(root)
    exchange = Path(str(cfg.Exchange.root))
    course_id = str(cfg.CourseDirectory.course_id)
    for sub in ("inbound", "outbound", "feedback"):
        (exchange / course_id / sub).mkdir(parents=True, exist_ok=True)
    os.chmod(exchange, 0o755)
    lines = [f"交换目录：{exchange}"]
    mine = Path(str(cfg.Exchange.assignment_dir))
    if str(mine) not in ("", "."):
        mine.mkdir(parents=True, exist_ok=True)
        # nbgrader's Assignments panel reads its settings again inside this folder: point it
        # at the course's own nbgrader_config.py.
        (mine / "nbgrader_config.py").write_text(_ASSIGNMENT_DIR_CONFIG.format(
            course=str(root / "nbgrader_config.py")), encoding="utf-8")
        lines.append(f"学员领取的作业放在：{mine}")
    api = course_api(root)
    published = []
    cwd = os.getcwd()
    try:
        for name in assignments(root):
            outbound = exchange / course_id / "outbound" / name
            if outbound.is_dir():
                continue
            generate_assignment(root, name)  # the gradebook knows it, release/ is current
            result = api.release_assignment(name)
            if result.get("success"):
                published.append(name)
            else:
                lines.append(f"作业 {name} 没能放进交换目录：{result.get('error') or '见日志'}")
    finally:
        os.chdir(cwd)
    if published:
        lines.append(f"已放进交换目录，可在“作业”页面领取：{'、'.join(published)}")
    else:
        lines.append("交换目录里的作业已是最新。")
    return lines


def set_up_lab(root: Path | None = None, prefix: Path | None = None) -> SetupReport:
    """Everything ``course setup`` does (see the module docstring)."""
    lines = [f"中文界面：已写入 {install_lab_settings(prefix)}",
             f"作业面板中文标签：已安装到 {install_lab_extension(prefix, root)}",
             f"课程内核扩展（全角标点、中文提示）：已写入 {install_kernel_extension(prefix)}"]
    if root is not None and (Path(root) / "nbgrader_config.py").is_file():
        lines += prepare_local_exchange(Path(root))
    return SetupReport(tuple(lines))
