"""``course workshop setup``: accounts, database, folders and hub configuration in one idempotent run."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from course.workshop.accounts import Account, ensure_accounts, write_account_sheet
from course.workshop.board import ensure_board
from course.workshop.layout import lay_out
from course.workshop.postgres import ensure_database
from course.workshop.settings import WorkshopError, WorkshopSettings

__all__ = ["SetupResult", "set_up"]

HUB_CONFIG = "jupyterhub_config.py"


@dataclass(frozen=True)
class SetupResult:
    """What a setup run did, for the trainer."""

    settings: WorkshopSettings
    new_accounts: tuple[Account, ...]
    hub_config: Path

    def __str__(self) -> str:
        s = self.settings
        lines = [
            f"工作坊已就绪：{len(s.learners)} 名学员，{len(s.instructors)} 名讲师（{'、'.join(s.instructors)}）。",
            f"  课程目录（讲师）：{s.course_root}",
            f"  交换目录：{s.exchange_root}",
            f"  成绩册：PostgreSQL {s.database.host}:{s.database.port}/{s.database.name}",
            f"  班级看板：PostgreSQL {s.database.name}_board（每个账号以自己的身份连接）",
            f"  JupyterHub 配置：{self.hub_config}",
        ]
        if self.new_accounts:
            lines.append(f"  新建 {len(self.new_accounts)} 个账号，初始密码见 {s.account_sheet}（仅管理员可读）。")
        lines.append(f"启动：sudo {s.bin_dir / 'jupyterhub'} -f {self.hub_config}")
        return "\n".join(lines)


def set_up(settings: WorkshopSettings, repo: Path, reset_passwords: bool = False) -> SetupResult:
    """Create accounts, the gradebook database, the shared folders and the hub configuration."""
    if os.geteuid() != 0:
        raise WorkshopError("course workshop setup 需要管理员权限：请用 sudo 运行。")
    repo = repo.resolve()
    for name in ("source", "notebooks", "nbgrader_config.py"):
        if not (repo / name).exists():
            raise WorkshopError(f"--repo {repo} 不是课程仓库：缺少 {name}。")
    made = ensure_accounts(settings, reset_passwords)
    ensure_database(settings.database)
    ensure_board(settings)  # the class board: one PostgreSQL role per account, row-level security
    lay_out(settings, repo)
    from course.labsetup import install_lab_extension

    # the hub's environment: assignment titles in the learners' Assignments panel
    install_lab_extension(settings.prefix, repo)
    if made:
        write_account_sheet(settings.account_sheet, made)
    hub_config = settings.config_file.parent / HUB_CONFIG
    shutil.copy(repo / "deploy" / HUB_CONFIG, hub_config)
    os.chmod(hub_config, 0o644)
    return SetupResult(settings, tuple(made), hub_config)
