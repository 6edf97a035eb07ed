"""JupyterHub configuration for one workshop server (used by ``deploy/jupyterhub_config.py``).

- PAM login with the local system accounts ``course workshop setup`` created: each learner has
  their own password, so nobody can sign in as someone else;
- ``LocalProcessSpawner``: every single-user server runs as its learner's own system user, so
  nbgrader's student id (the OS user) is the hub user;
- each server gets its role's Jupyter configuration on ``JUPYTER_CONFIG_PATH`` (learners: no
  formgrader, no assignment editor) and, once, its own copy of the lessons.
"""

from __future__ import annotations

import os
from typing import Any

from course.workshop.board import board_url
from course.workshop.layout import seed_lessons
from course.workshop.settings import WorkshopSettings

__all__ = ["configure", "pre_spawn"]


def pre_spawn(settings: WorkshopSettings, spawner: Any) -> None:
    """Before a server starts: role configuration and the local profile, lessons at home."""
    name = spawner.user.name
    role = settings.role(name)
    spawner.environment["JUPYTER_CONFIG_PATH"] = str(settings.role_config_dir(role))
    # Learners' notebooks live in their home folders, far from the course's nbgrader_config.py:
    # they are told which local profile (the utility's tariff and rules) the course uses.
    from course import local

    spawner.environment["COURSE_PROFILE"] = local.current_id(settings.state_dir)
    if role == "learner":
        seed_lessons(settings, name)
    else:
        # nbgrader's formgrader needs the course directory inside the server's root folder.
        spawner.notebook_dir = str(settings.state_dir)


def _proxy_command(settings: WorkshopSettings) -> list[str] | None:
    local = settings.prefix / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    return [str(local)] if local.exists() else None


def configure(c: Any, settings: WorkshopSettings) -> None:
    """Fill JupyterHub's config object ``c`` from the workshop settings."""
    c.JupyterHub.ip = settings.hub_ip
    c.JupyterHub.port = settings.hub_port
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = settings.hub_api_port
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
    command = _proxy_command(settings)
    if command:
        c.ConfigurableHTTPProxy.command = command
    c.JupyterHub.db_url = f"sqlite:///{settings.hub_dir / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(settings.hub_dir / "jupyterhub_cookie_secret")
    c.ConfigurableHTTPProxy.pid_file = str(settings.hub_dir / "proxy.pid")

    c.JupyterHub.authenticator_class = "pam"
    c.Authenticator.allowed_users = set(settings.learners) | set(settings.instructors)
    c.Authenticator.admin_users = set(settings.instructors)
    # Containers and minimal servers often lack a working PAM session stack; logins do not need it.
    c.PAMAuthenticator.open_sessions = False

    c.JupyterHub.spawner_class = "localprocess"
    c.Spawner.cmd = [str(settings.bin_dir / "jupyterhub-singleuser")]
    c.Spawner.default_url = "/lab"
    c.Spawner.notebook_dir = "~"
    c.Spawner.start_timeout = 180
    c.Spawner.http_timeout = 180
    path = os.pathsep.join([str(settings.bin_dir), "/usr/local/bin", "/usr/bin", "/bin"])
    c.Spawner.environment = {"PATH": path, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
                             "MPLBACKEND": "Agg",
                             # the class board: the learner's own PostgreSQL role (peer login)
                             "COURSE_BOARD_URL": board_url(settings)}
    c.Spawner.pre_spawn_hook = lambda spawner: pre_spawn(settings, spawner)
    # A workshop day: idle servers keep running; the trainer stops them from the admin page.
    c.JupyterHub.concurrent_spawn_limit = max(100, 2 * len(settings.learners))
    c.JupyterHub.template_vars = {"announcement_login": "水务客服投诉处理实训：请用讲师发给你的账号和初始密码登录。"}
