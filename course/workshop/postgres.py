"""The gradebook database on PostgreSQL: create its role and database (idempotent)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import time

from course.workshop.settings import Database, WorkshopError

__all__ = ["ensure_database", "pg_bin", "wait_ready"]


def pg_bin(tool: str) -> str:
    """Path of a PostgreSQL program (``psql``, ``initdb``, ``pg_ctl``…), newest version first."""
    found = shutil.which(tool)
    if found and tool in ("psql", "pg_isready"):
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"),
                        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if candidates:
        return candidates[-1]
    if found:
        return found
    raise WorkshopError(f"找不到 PostgreSQL 程序 {tool}：请安装 postgresql（apt-get install postgresql）。")


def _admin(db: Database, sql: str) -> str:
    """Run ``sql`` as the ``postgres`` OS user over the admin socket (peer authentication)."""
    argv = [pg_bin("psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
            "-h", db.admin_socket, "-p", str(db.port), "-d", "postgres"]
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    proc = subprocess.run(argv, input=sql, capture_output=True, text=True)
    if proc.returncode != 0:
        raise WorkshopError(f"PostgreSQL 管理操作失败（{db.admin_socket}:{db.port}）：{proc.stderr.strip()}")
    return proc.stdout


def wait_ready(db: Database, timeout: float = 30.0) -> None:
    """Wait until the server accepts connections on the admin socket."""
    deadline = time.monotonic() + timeout
    while True:
        proc = subprocess.run([pg_bin("pg_isready"), "-q", "-h", db.admin_socket, "-p", str(db.port)])
        if proc.returncode == 0:
            return
        if time.monotonic() > deadline:
            raise WorkshopError(f"PostgreSQL 在 {db.admin_socket} 端口 {db.port} 上没有响应："
                                "请确认服务已启动（service postgresql start）。")
        time.sleep(0.3)


def ensure_database(db: Database) -> None:
    """Create the gradebook role (with its password) and database if they do not exist."""
    wait_ready(db)
    # psql variables (:'name') quote the values; they are expanded in scripts read from stdin.
    script = f"""\\set role_name '{db.user}'
\\set db_name '{db.name}'
\\set pw '{db.password.replace("'", "''")}'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role_name', :'pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role_name') \\gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'role_name', :'pw') \\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db_name', :'role_name')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db_name') \\gexec
"""
    _admin(db, script)
