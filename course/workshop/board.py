"""The class board on the workshop's PostgreSQL: one role per account, row-level security.

Layout (created idempotently by ``course workshop setup`` through :func:`ensure_board`):

- database ``<database.name>_board`` owned by ``postgres``; only the two group roles may connect
  (``PUBLIC`` loses ``CONNECT`` there and on the gradebook database);
- group roles ``<database.name>_board_learners`` / ``<database.name>_board_instructors`` (no login);
- one login role per workshop account, named like the system user and **without a password**: it
  can only log in through the Unix socket with peer authentication, i.e. as that very OS user;
- table ``board_posts`` (the columns of :class:`course.board.store.Board`) with row-level security:
  learners insert only rows whose ``learner`` is ``current_user`` and see only their own rows, never
  update or delete; instructors see every row and may change ``chapter`` only.
"""

from __future__ import annotations

from urllib.parse import quote

from course.workshop.postgres import _admin, wait_ready
from course.workshop.settings import Database, WorkshopSettings

__all__ = ["board_database", "board_url", "ensure_board", "group_roles"]


def board_database(db: Database) -> str:
    """Name of the board's database (next to the gradebook's)."""
    return f"{db.name}_board"


def group_roles(db: Database) -> tuple[str, str]:
    """(learners' group role, instructors' group role)."""
    return f"{db.name}_board_learners", f"{db.name}_board_instructors"


def board_url(settings: WorkshopSettings) -> str:
    """``COURSE_BOARD_URL`` for every server: Unix socket, no user, no password (peer login)."""
    db = settings.database
    return (f"postgresql+psycopg2:///{quote(board_database(db))}"
            f"?host={quote(db.admin_socket, safe='/')}&port={db.port}")


_TABLE = """
CREATE TABLE IF NOT EXISTS board_posts (
    id SERIAL PRIMARY KEY,
    kind VARCHAR(32) NOT NULL,
    learner VARCHAR(128) NOT NULL DEFAULT current_user,
    chapter VARCHAR(8),
    payload TEXT NOT NULL,
    created TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_board_posts_kind ON board_posts (kind);
REVOKE ALL ON board_posts FROM PUBLIC;
REVOKE ALL ON SEQUENCE board_posts_id_seq FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"learners", :"instructors";
GRANT SELECT ON board_posts TO :"learners", :"instructors";
GRANT INSERT (kind, learner, chapter, payload, created) ON board_posts TO :"learners", :"instructors";
GRANT UPDATE (chapter) ON board_posts TO :"instructors";
GRANT USAGE ON SEQUENCE board_posts_id_seq TO :"learners", :"instructors";
ALTER TABLE board_posts ENABLE ROW LEVEL SECURITY;
ALTER TABLE board_posts FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS own_insert ON board_posts;
DROP POLICY IF EXISTS own_select ON board_posts;
DROP POLICY IF EXISTS instructor_select ON board_posts;
DROP POLICY IF EXISTS instructor_update ON board_posts;
CREATE POLICY own_insert ON board_posts FOR INSERT TO :"learners", :"instructors"
    WITH CHECK (learner = current_user);
CREATE POLICY own_select ON board_posts FOR SELECT TO :"learners" USING (learner = current_user);
CREATE POLICY instructor_select ON board_posts FOR SELECT TO :"instructors" USING (true);
CREATE POLICY instructor_update ON board_posts FOR UPDATE TO :"instructors"
    USING (true) WITH CHECK (true);
"""


def _roles_sql(group: str, members: tuple[str, ...]) -> str:
    lines = [f"\\set g '{group}'",
             "SELECT format('CREATE ROLE %I NOLOGIN', :'g')"
             " WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'g') \\gexec"]
    for name in members:  # names are validated Linux user names ([a-z0-9_-])
        lines += [f"\\set u '{name}'",
                  "SELECT format('CREATE ROLE %I LOGIN', :'u')"
                  " WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'u') \\gexec",
                  # no password: the role can only log in by peer authentication on the socket
                  "SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
                  " PASSWORD NULL', :'u') \\gexec",
                  "SELECT format('GRANT %I TO %I', :'g', :'u') \\gexec"]
    return "\n".join(lines) + "\n"


def ensure_board(settings: WorkshopSettings) -> None:
    """Create (or bring up to date) the board's roles, database, table, grants and policies."""
    db = settings.database
    wait_ready(db)
    learners, instructors = group_roles(db)
    name = board_database(db)
    script = (_roles_sql(learners, settings.learners) + _roles_sql(instructors, settings.instructors)
              + f"""\\set board '{name}'
\\set gradebook '{db.name}'
\\set learners '{learners}'
\\set instructors '{instructors}'
SELECT format('CREATE DATABASE %I', :'board')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'board') \\gexec
REVOKE ALL ON DATABASE :"board" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"board" TO :"learners", :"instructors";
SELECT format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', :'gradebook')
 WHERE EXISTS (SELECT 1 FROM pg_database WHERE datname = :'gradebook') \\gexec
\\connect :"board"
{_TABLE}""")
    _admin(db, script)
