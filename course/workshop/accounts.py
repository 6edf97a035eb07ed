"""Local system accounts: one per learner and instructor, with a first password to hand out."""

from __future__ import annotations

import csv
import grp
import os
import pwd
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

from course.workshop.settings import WorkshopError, WorkshopSettings

__all__ = ["Account", "ensure_accounts", "ensure_group", "ensure_user", "new_password",
           "write_account_sheet"]

# No 0/O, 1/l/I: passwords are read off a printed sheet.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Account:
    """A workshop account created by this run, with its first password."""

    name: str
    role: str
    password: str


def new_password(length: int = 10) -> str:
    """A random password that is easy to read off paper."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def _run(argv: list[str], stdin: str | None = None) -> None:
    proc = subprocess.run(argv, input=stdin, capture_output=True, text=True)
    if proc.returncode != 0:
        raise WorkshopError(f"命令 {' '.join(argv[:2])} 失败：{proc.stderr.strip() or proc.stdout.strip()}")


def ensure_group(name: str) -> int:
    """The gid of group ``name``, creating the group if needed."""
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        _run(["groupadd", name])
        return grp.getgrnam(name).gr_gid


def ensure_user(name: str, home_base: Path, group: str) -> bool:
    """Create system user ``name`` (home ``home_base/name``, mode 0700) in ``group``.

    Returns whether the user was created. An existing user is only added to ``group``.
    """
    try:
        pwd.getpwnam(name)
    except KeyError:
        home_base.mkdir(parents=True, exist_ok=True)
        _run(["useradd", "--create-home", "--home-dir", str(home_base / name), "--shell", "/bin/bash",
              "--gid", group, name])
        os.chmod(home_base / name, 0o700)
        return True
    _run(["usermod", "--append", "--groups", group, name])
    return False


def ensure_accounts(settings: WorkshopSettings, reset_passwords: bool = False) -> list[Account]:
    """Create every learner and instructor account; return new accounts with their passwords."""
    if os.geteuid() != 0:
        raise WorkshopError("创建系统账号需要管理员权限：请用 sudo 运行。")
    ensure_group(settings.learner_group)
    ensure_group(settings.instructor_group)
    made: list[Account] = []
    plan = [(n, "instructor", settings.instructor_group) for n in settings.instructors]
    plan += [(n, "learner", settings.learner_group) for n in settings.learners]
    for name, role, group in plan:
        if ensure_user(name, settings.home_base, group) or reset_passwords:
            password = new_password()
            _run(["chpasswd"], stdin=f"{name}:{password}\n")
            made.append(Account(name, role, password))
    return made


def write_account_sheet(path: Path, accounts: list[Account]) -> Path:
    """Append new accounts to the trainer's account sheet (CSV, readable by root only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8-sig" if new else "utf-8", newline="") as fh:
        writer = csv.writer(fh)
        if new:
            writer.writerow(["账号", "角色", "初始密码"])
        for a in accounts:
            writer.writerow([a.name, "讲师" if a.role == "instructor" else "学员", a.password])
    os.chmod(path, 0o600)
    return path
