"""The workshop file (``/etc/water-course/workshop.yaml``): who takes part and where things live."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

__all__ = ["DEFAULT_CONFIG", "Database", "WorkshopError", "WorkshopSettings", "load_settings",
           "validate_username"]

DEFAULT_CONFIG = Path("/etc/water-course/workshop.yaml")
_USERNAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")


class WorkshopError(ValueError):
    """Bad workshop settings (Chinese message naming the field and what is allowed)."""


def validate_username(name: Any, field_name: str = "学员账号") -> str:
    """A Linux user name: lower-case letters, digits, ``_`` and ``-``, at most 32 characters."""
    text = str(name).strip()
    if not _USERNAME.match(text):
        raise WorkshopError(f"{field_name} “{text}” 不可用：只能用小写英文字母、数字、下划线和连字符，"
                            "以字母或下划线开头，最长 32 个字符（例如 zhangsan01）。")
    return text


@dataclass(frozen=True)
class Database:
    """The PostgreSQL gradebook: where it listens and the role that owns it."""

    name: str = "water_course"
    user: str = "water_course"
    password: str = ""
    host: str = "127.0.0.1"
    port: int = 5432
    #: Unix socket directory where the ``postgres`` OS user administers the server (peer login).
    admin_socket: str = "/var/run/postgresql"

    @property
    def url(self) -> str:
        """SQLAlchemy URL for nbgrader's ``CourseDirectory.db_url``."""
        return (f"postgresql+psycopg2://{quote(self.user)}:{quote(self.password, safe='')}"
                f"@{self.host}:{self.port}/{quote(self.name)}")


@dataclass(frozen=True)
class WorkshopSettings:
    """Everything the setup and the hub configuration need, read from one YAML file."""

    learners: tuple[str, ...]
    instructors: tuple[str, ...] = ("trainer",)
    course_id: str = "water-service-course"
    state_dir: Path = Path("/srv/water-course")
    home_base: Path = Path("/home")
    hub_ip: str = ""
    hub_port: int = 8000
    hub_api_port: int = 8081
    proxy_api_port: int = 8001
    learner_group: str = "wc-learners"
    instructor_group: str = "wc-instructors"
    database: Database = field(default_factory=Database)
    #: The Python environment the course is installed in (the one running this code).
    prefix: Path = field(default_factory=lambda: Path(sys.prefix))
    config_file: Path = DEFAULT_CONFIG

    @property
    def course_root(self) -> Path:
        """The instructors' course directory (``source/``, ``release/``, ``nbgrader_config.py``)."""
        return self.state_dir / "course"

    @property
    def exchange_root(self) -> Path:
        """nbgrader's exchange directory (release, fetch, submit, collect, feedback)."""
        return self.state_dir / "exchange"

    @property
    def lessons_dir(self) -> Path:
        """Pristine copy of the lesson notebooks each learner receives once."""
        return self.state_dir / "lessons"

    @property
    def hub_dir(self) -> Path:
        """JupyterHub's own state: its database and cookie secret."""
        return self.state_dir / "hub"

    def role_config_dir(self, role: str) -> Path:
        """Jupyter configuration for one role (``learner`` or ``instructor``)."""
        return self.state_dir / "jupyter" / role

    @property
    def account_sheet(self) -> Path:
        """CSV of new accounts and first passwords for the trainer to hand out (mode 0600)."""
        return self.state_dir / "账号单.csv"

    @property
    def bin_dir(self) -> Path:
        return self.prefix / "bin"

    def role(self, user: str) -> str:
        """``instructor`` or ``learner`` (a :class:`WorkshopError` for anyone else)."""
        if user in self.instructors:
            return "instructor"
        if user in self.learners:
            return "learner"
        raise WorkshopError(f"账号 “{user}” 不在工作坊名单（workshop.yaml 的 learners / instructors）中。")


def _port(raw: dict, key: str, default: int) -> int:
    value = raw.get(key, default)
    if not isinstance(value, int) or not 1 <= value <= 65535:
        raise WorkshopError(f"{key} 必须是 1 到 65535 之间的整数端口号，收到的是 “{value}”。")
    return value


def _names(raw: Any, field_name: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raise WorkshopError(f"{field_name} 必须是账号列表（YAML 列表），收到的是 “{raw}”。")
    return tuple(validate_username(n, field_name) for n in raw)


def load_settings(path: Path | str = DEFAULT_CONFIG) -> WorkshopSettings:
    """Read and check the workshop file; relative paths are taken from its folder."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise WorkshopError(f"找不到工作坊配置文件 {path}：请先复制 deploy/workshop.example.yaml 并填写。")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise WorkshopError(f"工作坊配置文件 {path} 不是有效的 YAML：{exc}") from exc
    if not isinstance(raw, dict):
        raise WorkshopError(f"工作坊配置文件 {path} 的顶层必须是键值对。")
    learners = _names(raw.get("learners"), "learners（学员账号）")
    instructors = _names(raw.get("instructors", ["trainer"]), "instructors（讲师账号）")
    if not instructors:
        raise WorkshopError("instructors（讲师账号）至少要有一个。")
    both = set(learners) & set(instructors)
    if both:
        raise WorkshopError(f"账号 {'、'.join(sorted(both))} 同时出现在 learners 和 instructors 中。")
    db_raw = raw.get("database") or {}
    if not isinstance(db_raw, dict):
        raise WorkshopError("database 必须是键值对（name、user、password、host、port、admin_socket）。")
    password = str(db_raw.get("password") or "")
    if password == "__DB_PASSWORD__" or not re.match(r"^[A-Za-z0-9_.~+-]{12,}$", password):
        raise WorkshopError("database.password（成绩册数据库密码）至少 12 个字符，只能用英文字母、数字和 _.~+-；"
                            "setup.sh 首次运行时会自动生成。")
    database = Database(
        name=validate_username(db_raw.get("name", "water_course"), "database.name（数据库名）"),
        user=validate_username(db_raw.get("user", "water_course"), "database.user（数据库角色）"),
        password=password, host=str(db_raw.get("host", "127.0.0.1")),
        port=_port(db_raw, "port", 5432),
        admin_socket=str(db_raw.get("admin_socket", "/var/run/postgresql")))
    base = path.parent.resolve()

    def folder(key: str, default: str) -> Path:
        return (base / str(raw.get(key, default))).resolve()

    course_id = str(raw.get("course_id", "water-service-course"))
    if not re.match(r"^[A-Za-z0-9_-]+$", course_id):
        raise WorkshopError(f"course_id “{course_id}” 只能包含英文字母、数字、下划线和连字符。")
    return WorkshopSettings(
        learners=learners, instructors=instructors, course_id=course_id,
        state_dir=folder("state_dir", "/srv/water-course"),
        home_base=folder("home_base", "/home"),
        hub_ip=str(raw.get("hub_ip", "")), hub_port=_port(raw, "hub_port", 8000),
        hub_api_port=_port(raw, "hub_api_port", 8081),
        proxy_api_port=_port(raw, "proxy_api_port", 8001),
        database=database, config_file=path.resolve())
