"""Folders and configuration files of a workshop server.

- ``state_dir/course``: the instructors' course directory, group-shared by the instructors'
  group (``CourseDirectory.groupshared``), gradebook in PostgreSQL;
- ``state_dir/exchange``: nbgrader's exchange, world-writable with set-group-id to the
  instructors' group, so submissions belong to that group;
- ``state_dir/jupyter/<role>``: Jupyter configuration the hub puts on ``JUPYTER_CONFIG_PATH`` of
  each single-user server (learners do not get the formgrader or the assignment editor);
- ``state_dir/lessons``: the lesson notebooks each learner receives once.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from course.workshop.settings import WorkshopSettings

__all__ = ["WORKSHOP_MARK", "lay_out", "nbgrader_settings", "seed_lessons", "write_course_config",
           "write_role_configs"]

WORKSHOP_MARK = "# --- workshop settings (written by `course workshop setup`) ---"

#: JupyterLab plug-ins only instructors see.
INSTRUCTOR_PLUGINS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                      "@jupyter/nbgrader:course-list")
INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader",
                                "nbgrader.server_extensions.course_list")


def nbgrader_settings(settings: WorkshopSettings, role: str) -> str:
    """nbgrader configuration lines shared by a role's servers (exchange, course id)."""
    lines = [
        f"c.CourseDirectory.course_id = {settings.course_id!r}",
        f"c.Exchange.root = {str(settings.exchange_root)!r}",
        'c.ExchangeFactory.submit = "course.workshop.exchange.PrivateExchangeSubmit"',
        'c.ExchangeFactory.collect = "course.workshop.exchange.SafeExchangeCollect"',
        'c.Exchange.assignment_dir = "."  # each learner fetches into their own home',
    ]
    if role == "instructor":
        lines += [f"c.CourseDirectory.root = {str(settings.course_root)!r}",
                  "c.CourseDirectory.groupshared = True"]
    return "\n".join(lines) + "\n"


def write_course_config(settings: WorkshopSettings, template: Path) -> Path:
    """The course directory's ``nbgrader_config.py``: the repository's, plus the workshop block.

    The block points the gradebook at PostgreSQL; the file is readable by instructors only,
    because it holds the database password.
    """
    text = template.read_text(encoding="utf-8").split(WORKSHOP_MARK)[0].rstrip() + "\n\n"
    text += WORKSHOP_MARK + "\n" + nbgrader_settings(settings, "instructor")
    text += f"c.CourseDirectory.db_url = {settings.database.url!r}\n"
    path = settings.course_root / "nbgrader_config.py"
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o660)
    return path


def write_role_configs(settings: WorkshopSettings) -> None:
    for role in ("learner", "instructor"):
        folder = settings.role_config_dir(role)
        (folder / "labconfig").mkdir(parents=True, exist_ok=True)
        learner = role == "learner"
        text = "c = get_config()  # noqa: F821\n" + nbgrader_settings(settings, role)
        if not learner:
            # The formgrader reads the course's own file too (gradebook URL, timeouts); only
            # instructors can read it.
            text += f"load_subconfig({str(settings.course_root / 'nbgrader_config.py')!r})  # noqa: F821\n"
        (folder / "nbgrader_config.py").write_text(text, encoding="utf-8")
        page = {"disabledExtensions": {p: learner for p in INSTRUCTOR_PLUGINS}}
        (folder / "labconfig" / "page_config.json").write_text(json.dumps(page, indent=1))
        server = {"ServerApp": {"jpserver_extensions": {e: not learner
                                                        for e in INSTRUCTOR_SERVER_EXTENSIONS}}}
        (folder / "jupyter_server_config.json").write_text(json.dumps(server, indent=1))
        _chmod_tree(folder, 0o755, 0o644)


def _chmod_tree(path: Path, dir_mode: int, file_mode: int) -> None:
    """``path`` and everything below it: folders ``dir_mode``, files ``file_mode``."""
    for item in [path, *path.rglob("*")]:
        os.chmod(item, dir_mode if item.is_dir() else file_mode)


def _chown_tree(path: Path, uid: int, gid: int) -> None:
    os.chown(path, uid, gid)
    for child in path.rglob("*"):
        os.chown(child, uid, gid, follow_symlinks=False)


def lay_out(settings: WorkshopSettings, repo: Path) -> None:
    """Create (or bring up to date) every shared folder; never overwrites course work."""
    import grp

    gid = grp.getgrnam(settings.instructor_group).gr_gid
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.state_dir, 0o755)
    settings.hub_dir.mkdir(exist_ok=True)
    os.chmod(settings.hub_dir, 0o700)

    # nbgrader checks the exchange root is 0777 (2777 for a group-shared course).
    settings.exchange_root.mkdir(exist_ok=True)
    os.chown(settings.exchange_root, 0, gid)
    os.chmod(settings.exchange_root, 0o2777)

    course = settings.course_root
    course.mkdir(exist_ok=True)
    for name in ("source", "release"):
        if not (course / name).exists() and (repo / name).is_dir():
            shutil.copytree(repo / name, course / name)
    write_course_config(settings, repo / "nbgrader_config.py")
    _chown_tree(course, 0, gid)
    _chmod_tree(course, 0o2770, 0o660)  # nbgrader_config.py (database password): group only

    lessons = settings.lessons_dir
    if lessons.exists():
        shutil.rmtree(lessons)
    shutil.copytree(repo / "notebooks", lessons,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    _chmod_tree(lessons, 0o755, 0o644)
    write_role_configs(settings)


def seed_lessons(settings: WorkshopSettings, user: str, folder_name: str = "课程") -> Path | None:
    """Give ``user`` their own copy of the lessons once; an existing copy is never touched."""
    import pwd

    entry = pwd.getpwnam(user)
    dest = Path(entry.pw_dir) / folder_name
    if dest.exists() or not settings.lessons_dir.is_dir():
        return None
    shutil.copytree(settings.lessons_dir, dest)
    _chown_tree(dest, entry.pw_uid, entry.pw_gid)
    return dest
