"""Workshop settings, per-role Jupyter configuration and the hub configuration (no root needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from traitlets.config import Config

from course.workshop.hub import configure
from course.workshop.layout import INSTRUCTOR_PLUGINS, nbgrader_settings, write_role_configs
from course.workshop.settings import WorkshopError, load_settings, validate_username

GOOD = """\
instructors: [trainer]
learners: [zhangsan01, lisi-02]
hub_port: 8123
database: {password: abcdefghijkl-123, port: 5433}
state_dir: srv
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "workshop.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_settings_read_names_ports_and_database_url(tmp_path):
    s = load_settings(_write(tmp_path, GOOD))
    assert s.learners == ("zhangsan01", "lisi-02") and s.instructors == ("trainer",)
    assert s.state_dir == (tmp_path / "srv").resolve()
    assert s.database.url == "postgresql+psycopg2://water_course:abcdefghijkl-123@127.0.0.1:5433/water_course"
    assert s.role("trainer") == "instructor" and s.role("lisi-02") == "learner"
    with pytest.raises(WorkshopError, match="不在工作坊名单"):
        s.role("stranger")


@pytest.mark.parametrize(("text", "field"), [
    (GOOD.replace("zhangsan01", "张三"), "learners"),
    (GOOD.replace("zhangsan01", "Root"), "learners"),
    (GOOD.replace("[trainer]", "[zhangsan01]"), "同时出现"),
    (GOOD.replace("hub_port: 8123", "hub_port: 99999"), "hub_port"),
    (GOOD.replace("abcdefghijkl-123", "short"), "database.password"),
    (GOOD.replace("abcdefghijkl-123", "with'quote-and-long"), "database.password"),
    ("- just\n- a list\n", "顶层"),
    ("learners: [a\n", "YAML"),
])
def test_bad_settings_get_a_chinese_message_naming_the_field(tmp_path, text, field):
    with pytest.raises(WorkshopError, match=field):
        load_settings(_write(tmp_path, text))


def test_missing_settings_file_says_what_to_do(tmp_path):
    with pytest.raises(WorkshopError, match=r"workshop\.example\.yaml"):
        load_settings(tmp_path / "nope.yaml")


def test_username_rules():
    assert validate_username(" wang_5 ") == "wang_5"
    for bad in ("", "9abc", "a" * 33, "a b", "A"):
        with pytest.raises(WorkshopError):
            validate_username(bad)


def test_learners_do_not_get_instructor_tools_and_instructors_do(tmp_path):
    s = load_settings(_write(tmp_path, GOOD))
    write_role_configs(s)
    learner, instructor = s.role_config_dir("learner"), s.role_config_dir("instructor")
    page = json.loads((learner / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"] == dict.fromkeys(INSTRUCTOR_PLUGINS, True)
    page = json.loads((instructor / "labconfig" / "page_config.json").read_text())
    assert not any(page["disabledExtensions"].values())
    server = json.loads((learner / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is False
    text = (learner / "nbgrader_config.py").read_text()
    assert "PrivateExchangeSubmit" in text and "db_url" not in text and "load_subconfig" not in text
    assert "load_subconfig" in (instructor / "nbgrader_config.py").read_text()
    assert "groupshared = True" in nbgrader_settings(s, "instructor")


def test_hub_configuration_uses_pam_local_users_and_role_config(tmp_path):
    s = load_settings(_write(tmp_path, GOOD))
    c = Config()
    configure(c, s)
    assert c.JupyterHub.authenticator_class == "pam"
    assert c.JupyterHub.spawner_class == "localprocess"
    assert c.Authenticator.allowed_users == {"trainer", "zhangsan01", "lisi-02"}
    assert c.Authenticator.admin_users == {"trainer"}
    assert c.JupyterHub.port == 8123
    assert c.Spawner.cmd[0].endswith("jupyterhub-singleuser")

    class FakeSpawner:
        def __init__(self, name: str) -> None:
            self.user = type("U", (), {"name": name})()
            self.environment: dict = {}
            self.notebook_dir = "~"

    trainer = FakeSpawner("trainer")
    c.Spawner.pre_spawn_hook(trainer)
    assert trainer.environment["JUPYTER_CONFIG_PATH"] == str(s.role_config_dir("instructor"))
    assert trainer.notebook_dir == str(s.state_dir)
    assert trainer.environment["COURSE_PROFILE"] == "shili"  # the course's local profile, for all
    stranger = FakeSpawner("stranger")
    with pytest.raises(WorkshopError):
        c.Spawner.pre_spawn_hook(stranger)


def test_example_workshop_file_loads_once_setup_fills_in_the_password(tmp_path):
    example = (Path(__file__).resolve().parents[1] / "deploy" / "workshop.example.yaml").read_text(
        encoding="utf-8")
    s = load_settings(_write(tmp_path, example.replace("__DB_PASSWORD__", "x" * 32)))
    assert s.instructors and s.learners and s.hub_ip == "" and s.database.port == 5432
    with pytest.raises(WorkshopError, match=r"database\.password"):
        load_settings(_write(tmp_path, example))
