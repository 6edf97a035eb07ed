"""The speed-ups that reach into dependencies' internals: same results, and loud when they move."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from course.grading import internals
from course.grading.gradebook import db_url
from course.grading.synthetic import SYNTHETIC_ASSIGNMENT, make_course

pytestmark = [pytest.mark.filterwarnings("ignore::Warning")]


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_course(tmp_path_factory.mktemp("internals") / "c")


def test_every_patched_internal_is_where_the_patches_expect_it() -> None:
    assert internals.check_internals() == []


def test_each_patch_says_why_and_which_version_it_was_checked_against() -> None:
    for patch in internals.PATCHES:
        assert patch.why and patch.target
        assert any(ch.isdigit() for ch in patch.checked), patch


def test_a_moved_internal_is_reported_and_the_worker_patches_are_skipped(monkeypatch) -> None:
    import nbgrader.api

    monkeypatch.delattr(nbgrader.api, "inspect")
    problems = internals.check_internals()
    assert any("nbgrader.api.inspect" in p for p in problems)
    original = nbgrader.api.create_engine
    warnings = internals.install_worker_patches()
    assert warnings and "停用评分加速" in warnings[0]
    assert nbgrader.api.create_engine is original


def _nbgrader_metadata_schema() -> dict:
    from nbgrader.nbgraderformat import v3

    path = Path(v3.__file__).with_name("v3.json")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("meta", [
    {"grade": True, "solution": False, "locked": True, "schema_version": 3, "grade_id": "a",
     "points": 2},
    {"grade": "yes", "solution": False, "locked": False, "schema_version": 3},
    {"grade": True, "solution": False, "locked": False, "schema_version": 3, "grade_id": "a",
     "points": -1},
    {"grade": True},
    {},
])
def test_cached_metadata_validation_raises_exactly_what_jsonschema_raises(meta: dict) -> None:
    import jsonschema

    from course.grading.internals import _CachedJsonschema

    schema = _nbgrader_metadata_schema()
    cached = _CachedJsonschema()

    def outcome(validate) -> tuple | None:
        try:
            validate(meta, schema)
        except jsonschema.ValidationError as exc:
            return (type(exc), exc.message, list(exc.path), list(exc.schema_path))
        return None

    expected = outcome(jsonschema.validate)
    assert outcome(cached.validate) == expected
    assert outcome(cached.validate) == expected  # again, from the cached validator


def test_nbgrader_metadata_validator_uses_the_cache_and_still_rejects_bad_metadata() -> None:
    from nbformat.v4 import new_code_cell, new_notebook
    from nbgrader.nbgraderformat import MetadataValidator, ValidationError, common

    from course.grading.internals import _CachedJsonschema, install_metadata_validator_cache

    install_metadata_validator_cache()
    assert isinstance(common.jsonschema, _CachedJsonschema)
    cell = new_code_cell("x = 1", metadata={"nbgrader": {
        "grade": "not a bool", "solution": False, "locked": False, "schema_version": 3}})
    with pytest.raises(ValidationError):
        MetadataValidator().validate_nb(new_notebook(cells=[cell]))


def test_worker_gradebook_copy_carries_the_alembic_version_without_running_alembic(
        cohort: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    import nbgrader.api

    from course.grading.worker import copy_structure

    def no_alembic() -> str:
        raise AssertionError("alembic subprocess was started")

    monkeypatch.setattr(nbgrader.api, "get_alembic_version", no_alembic)
    dst = tmp_path / "copy.db"
    copy_structure(db_url(cohort), f"sqlite:///{dst}", [SYNTHETIC_ASSIGNMENT])
    src_path = db_url(cohort).removeprefix("sqlite:///")
    version = "SELECT version_num FROM alembic_version"
    with sqlite3.connect(src_path) as src, sqlite3.connect(dst) as copy:
        assert copy.execute(version).fetchall() == src.execute(version).fetchall()
        cells = "SELECT name, max_score FROM grade_cells JOIN base_cell USING (id) ORDER BY name"
        assert copy.execute(cells).fetchall() == src.execute(cells).fetchall()


def test_only_scratch_gradebooks_skip_fsync(tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    from course.grading.internals import relax_scratch_sqlite

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    relax_scratch_sqlite(scratch)

    def synchronous(path: Path) -> int:
        engine = create_engine(f"sqlite:///{path}")
        try:
            with engine.connect() as conn:
                return int(conn.execute(text("PRAGMA synchronous")).scalar())
        finally:
            engine.dispose()

    assert synchronous(scratch / "gradebook.db") == 0  # OFF
    assert synchronous(tmp_path / "course.db") == 2  # SQLite's default, FULL


def test_zygote_warms_argument_free_course_caches_only() -> None:
    import course.coach.rules as coach_rules
    import course.tariff.catalog as tariff
    from course.grading import zygote

    coach_rules.rules.cache_clear()
    tariff._load.cache_clear()
    zygote._warm_cached_loaders()
    assert coach_rules.rules.cache_info().currsize == 1
    assert tariff._load.cache_info().currsize == 0  # needs an argument: never guessed


class _Events:
    def __init__(self) -> None:
        self.callbacks: list = []

    def register(self, event: str, fn) -> None:
        assert event == "pre_run_cell"
        self.callbacks.append(fn)


class _Shell:
    def __init__(self) -> None:
        self.events = _Events()


class _Info:
    def __init__(self, raw_cell) -> None:
        self.raw_cell = raw_cell


def test_scratch_gradebooks_share_one_engine_and_others_do_not(tmp_path) -> None:
    from course.grading import internals as worker

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    worker.relax_scratch_sqlite(scratch)
    inside = f"sqlite:///{scratch / 'gradebook.db'}"
    outside = f"sqlite:///{tmp_path / 'course.db'}"
    a = worker._shared_create_engine(inside, echo=False, future=True)
    b = worker._shared_create_engine(inside, echo=False, future=True)
    c = worker._shared_create_engine(outside, echo=False, future=True)
    d = worker._shared_create_engine(outside, echo=False, future=True)
    try:
        assert a is b
        assert c is not d
    finally:
        for engine in {id(e): e for e in (a, c, d)}.values():
            engine.dispose()


def _traceback_shell():
    from IPython.core.ultratb import AutoFormattedTB

    shell = _Shell()
    shell.InteractiveTB = AutoFormattedTB(mode="Context", theme_name="neutral", tb_offset=1)
    return shell


def _raise_answer_error() -> BaseException:
    from course.grading.checks import expect_number

    try:
        expect_number(None, "bill_q1", minimum=0)
    except AssertionError as exc:
        return exc
    raise AssertionError("expect_number accepted None")


def test_second_formatting_of_the_same_exception_reuses_the_first_text() -> None:

    shell = _traceback_shell()
    tb = shell.InteractiveTB
    calls: list[int] = []
    real = tb.structured_traceback

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    tb.structured_traceback = counting
    internals.share_duplicate_traceback(shell)
    exc = _raise_answer_error()
    expected = real(type(exc), exc, exc.__traceback__, 1)
    shown = tb.structured_traceback(type(exc), exc, exc.__traceback__, tb_offset=None)
    stored = tb.structured_traceback(type(exc), exc, exc.__traceback__, tb_offset=1)
    assert shown == stored == expected
    assert stored is not shown
    assert len(calls) == 1
    # a third request, another exception or a new cell formats afresh
    tb.structured_traceback(type(exc), exc, exc.__traceback__, tb_offset=1)
    assert len(calls) == 2
    other = _raise_answer_error()
    assert tb.structured_traceback(type(other), other, other.__traceback__) == real(
        type(other), other, other.__traceback__)
    assert len(calls) == 3
    (forget,) = shell.events.callbacks
    forget(_Info("x = 1"))
    tb.structured_traceback(type(other), other, other.__traceback__)
    assert len(calls) == 4


def test_shared_highlighting_lexer_gives_stack_data_the_same_lines(monkeypatch) -> None:
    import stack_data.core
    import stack_data.utils
    from pygments.formatters.terminal256 import Terminal256Formatter

    from course.grading import zygote

    monkeypatch.setattr(stack_data.core, "_pygmented_with_ranges",
                        stack_data.core._pygmented_with_ranges)
    internals.reuse_highlighting_lexer()
    assert stack_data.core._pygmented_with_ranges is not stack_data.utils._pygmented_with_ranges
    formatter = Terminal256Formatter()
    code = Path(zygote.__file__).read_text(encoding="utf-8")[:3000]
    for ranges in ([], [(0, 10)], [(40, 90), (200, 260)]):
        assert stack_data.core._pygmented_with_ranges(formatter, code, ranges) == (
            stack_data.utils._pygmented_with_ranges(formatter, code, ranges))


def test_course_bytecode_is_reused_only_for_the_same_course_source(monkeypatch,
                                                                    tmp_path) -> None:
    import importlib.machinery

    import course

    loader_cls = importlib.machinery.SourceFileLoader
    monkeypatch.setattr(loader_cls, "source_to_code", loader_cls.source_to_code)
    internals.cache_course_bytecode()
    path = str(Path(course.__path__[0]) / "grading" / "checks.py")
    data = Path(path).read_bytes()
    loader = loader_cls("_fresh_course_grading_checks", path)
    first = loader.source_to_code(data, path)
    assert loader.source_to_code(data, path) is first
    changed = loader.source_to_code(data + b"\nX_ADDED = 1\n", path)
    assert changed is not first and "X_ADDED" in changed.co_names
    elsewhere = tmp_path / "mod.py"
    elsewhere.write_bytes(data)
    assert loader.source_to_code(data, str(elsewhere)) is not loader.source_to_code(
        data, str(elsewhere))


def test_jsonschema_imports_without_the_iri_grammar_and_still_validates() -> None:
    code = (
        "import sys\n"
        "from course.grading.internals import skip_unused_iri_grammar\n"
        "skip_unused_iri_grammar()\n"
        "import jsonschema\n"
        "assert 'rfc3987_syntax' not in sys.modules\n"
        "schema = {'type': 'object', 'required': ['grade_id']}\n"
        "jsonschema.validate({'grade_id': 'q1'}, schema)\n"
        "try:\n"
        "    jsonschema.validate({}, schema)\n"
        "except jsonschema.ValidationError:\n"
        "    print('rejected')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "rejected"


def _stamped(db: Path) -> None:
    """A new SQLite file with nbgrader's alembic table (so nbgrader does not run alembic)."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version (version_num) VALUES ('test')")
    conn.close()


def test_scratch_gradebook_tables_are_checked_once_per_database(monkeypatch, tmp_path) -> None:
    import nbgrader.api
    from nbgrader.api import Gradebook
    from sqlalchemy import event

    from course.grading import internals as worker

    monkeypatch.setattr(nbgrader.api, "create_engine", nbgrader.api.create_engine)
    monkeypatch.setattr(nbgrader.api, "inspect", nbgrader.api.inspect)
    monkeypatch.setattr(nbgrader.api.Base.metadata, "create_all",
                        nbgrader.api.Base.metadata.create_all)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    worker.relax_scratch_sqlite(scratch)
    worker.share_scratch_engines()
    db = scratch / "gradebook.db"
    url = f"sqlite:///{db}"
    worker.forget_tables(url)
    _stamped(db)
    with Gradebook(url) as gb:
        gb.update_or_create_student("learner000")
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement.lower())

    engine = worker._shared_create_engine(url, echo=False, future=True)
    event.listen(engine, "before_cursor_execute", record)
    try:
        with Gradebook(url) as gb:
            assert [s.id for s in gb.students] == ["learner000"]
        assert statements
        assert not [s for s in statements if "table_info" in s or "sqlite_master" in s]
        # a replaced scratch gradebook gets its tables checked (and created) again
        db.unlink()
        worker.forget_tables(url)
        _stamped(db)
        with Gradebook(url) as gb:
            assert gb.students == []
            gb.update_or_create_student("learner001")
    finally:
        event.remove(engine, "before_cursor_execute", record)
        engine.dispose()
    other = f"sqlite:///{tmp_path / 'course.db'}"
    _stamped(tmp_path / "course.db")
    with Gradebook(other) as gb:
        gb.update_or_create_student("learner002")
    with Gradebook(other) as gb:
        assert [s.id for s in gb.students] == ["learner002"]
