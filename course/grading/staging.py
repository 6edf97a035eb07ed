"""A submission copied for grading: regular files only, nothing a link points at.

``course grade`` never reads ``submitted/`` in place. Each submission is copied into the
worker's private staging folder first, file by file, opening every file with ``O_NOFOLLOW``:
a symbolic link (to ``source/``, to another learner's notebook, to ``/dev/zero``), a device or
a FIFO anywhere in the submission is refused with a Chinese flag and left out, so nothing
outside the learner's own submission is ever graded as theirs.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

__all__ = ["MAX_FILE_BYTES", "stage_submission"]

#: Largest single file copied from a submission (a notebook with big outputs fits easily).
MAX_FILE_BYTES = 64 * 1024**2


def _copy_file(src: str, dst: str) -> None:
    fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError("not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as fin, open(dst, "wb") as fout:
            shutil.copyfileobj(fin, fout, 1024 * 1024)
    finally:
        os.close(fd)


def stage_submission(root: Path, student: str, assignment: str, staged: Path) -> list[str]:
    """Copy ``submitted/<student>/<assignment>`` into ``staged/<student>/<assignment>``.

    Returns Chinese flags for everything left out. The staged folder is emptied first.
    """
    flags: list[str] = []
    target = staged / student / assignment
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    base = root / "submitted"
    for part in (base / student, base / student / assignment):
        if part.is_symlink():
            flags.append(f"提交文件夹 {part.relative_to(root)} 是一个符号链接，已拒绝：没有评分它指向的内容。")
            return flags
    folder = base / student / assignment
    for current, dirs, files in os.walk(folder, followlinks=False):
        rel = Path(current).relative_to(folder)
        for name in sorted(dirs):
            path = Path(current) / name
            if path.is_symlink():
                flags.append(f"提交里的文件夹 {rel / name} 是符号链接，已拒绝（没有读取它指向的内容）。")
                dirs.remove(name)
            else:
                (target / rel / name).mkdir(exist_ok=True)
        for name in sorted(files):
            path = Path(current) / name
            shown = rel / name
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if stat.S_ISLNK(info.st_mode):
                flags.append(f"提交里的 {shown} 是符号链接，已拒绝（没有读取它指向的内容），按缺少这个文件处理。")
                continue
            if not stat.S_ISREG(info.st_mode):
                flags.append(f"提交里的 {shown} 不是普通文件，已忽略。")
                continue
            if info.st_size > MAX_FILE_BYTES:
                flags.append(f"提交里的 {shown} 太大（{info.st_size // 1024**2} MB），已忽略。")
                continue
            try:
                _copy_file(str(path), str(target / rel / name))
            except OSError:
                flags.append(f"提交里的 {shown} 无法安全读取，已忽略。")
    return flags
