"""The class board's PostgreSQL layout on a workshop server (no server needed here)."""

from __future__ import annotations

from pathlib import Path

from course.board.store import Board
from course.workshop.board import _roles_sql, board_database, board_url, group_roles
from course.workshop.settings import Database, WorkshopSettings


def _settings() -> WorkshopSettings:
    return WorkshopSettings(learners=("zhangsan01", "li-si"), instructors=("trainer",),
                            database=Database(name="water_course", password="p" * 16, port=5433,
                                              admin_socket="/var/run/postgresql"))


def test_board_url_is_a_socket_without_user_or_password():
    url = board_url(_settings())
    assert url == "postgresql+psycopg2:///water_course_board?host=/var/run/postgresql&port=5433"
    assert "@" not in url and "p" * 16 not in url


def test_every_account_gets_a_passwordless_role_in_its_group():
    s = _settings()
    learners, instructors = group_roles(s.database)
    assert (learners, instructors) == ("water_course_board_learners", "water_course_board_instructors")
    assert board_database(s.database) == "water_course_board"
    sql = _roles_sql(learners, s.learners)
    for name in s.learners:
        assert f"\\set u '{name}'" in sql
    assert sql.count("PASSWORD NULL") == len(s.learners)
    assert sql.count("GRANT %I TO %I") == len(s.learners)


def test_sqlite_board_still_names_the_learner_from_the_notebook(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("COURSE_LEARNER", "wang5")
    board = Board(f"sqlite:///{tmp_path / 'board.sqlite'}")
    assert board.post("problem", {"text": "水压低"}).learner == "wang5"
    assert board.post("problem", {"text": "漏水"}, learner="li-si").learner == "li-si"
