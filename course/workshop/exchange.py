"""nbgrader exchange plug-in for a shared server: a submission is readable by its learner and the
instructors' group only.

Stock nbgrader (0.9) leaves a submitted folder world-readable (mode 0777, files 0644) and relies
on the inbound folder being unlistable. Here the folder becomes 0770 and its files 0660 after the
copy. The inbound folder is set-group-id, so a file created in it belongs to the instructors'
group. nbgrader's own chmod of the new submission folder drops that bit (a learner is not in the
group), so files it writes afterwards get the learner's group: those are re-created in the inbound
folder and moved into place, which keeps the instructors' group.
Configure with ``c.ExchangeFactory.submit = "course.workshop.exchange.PrivateExchangeSubmit"``.

:class:`SafeExchangeCollect` collects without following symbolic links: stock nbgrader's
``shutil.copytree`` copies what a link points at, so a learner who leaves a link to
``source/`` (the solutions) or to another learner's file in the inbound folder would have that
content collected as their own. Links are copied as links (``course grade`` then refuses them
with a Chinese flag); a submission folder that is itself a link is not collected at all.
Configure with ``c.ExchangeFactory.collect = "course.workshop.exchange.SafeExchangeCollect"``.
"""

from __future__ import annotations

import os
import shutil
import tempfile

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.submit import ExchangeSubmit

__all__ = ["PrivateExchangeSubmit", "SafeExchangeCollect", "make_private"]


def _regroup(path: str, staging: str) -> None:
    """Give file ``path`` the group of folder ``staging`` (set-group-id) by copy and rename."""
    fd, tmp = tempfile.mkstemp(dir=staging, prefix=".regroup-")
    os.close(fd)
    shutil.copyfile(path, tmp)
    os.replace(tmp, path)


def make_private(path: str, staging: str) -> None:
    """Owner and the group of ``staging`` only: folders 0770, files 0660."""
    gid = os.stat(staging).st_gid
    for dirpath, _dirnames, filenames in os.walk(path):
        for name in filenames:
            full = os.path.join(dirpath, name)
            if os.stat(full).st_gid != gid:
                _regroup(full, staging)
            os.chmod(full, 0o660)
        os.chmod(dirpath, 0o770)


class PrivateExchangeSubmit(ExchangeSubmit):
    """``nbgrader submit`` that hides the submission from other learners."""

    def copy_files(self) -> None:
        super().copy_files()
        make_private(os.path.join(self.inbound_path, self.assignment_filename), self.inbound_path)


class SafeExchangeCollect(ExchangeCollect):
    """``nbgrader collect`` that never copies what a symbolic link points at."""

    def do_copy(self, src: str, dest: str, log: object = None) -> None:
        if os.path.islink(src):
            self.log.warning("提交 %s 是一个符号链接，已拒绝收取（没有读取它指向的内容）。",
                             os.path.basename(src))
            return
        from nbgrader.utils import ignore_patterns

        if self.get_size(src) > 1000 * self.coursedir.max_dir_size:
            raise RuntimeError(f"提交 {os.path.basename(src)} 太大，超过 max_dir_size，未收取。")
        shutil.copytree(src, dest, symlinks=True,
                        ignore=ignore_patterns(exclude=self.coursedir.ignore,
                                               include=self.coursedir.include,
                                               max_file_size=self.coursedir.max_file_size,
                                               log=self.log))
