"""`course grade` gives nbgrader autograde's results, in parallel, and resumes after a kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from course.grading.gradebook import course_api, db_url, scores
from course.grading.runner import STATE_FILE, grade
from course.grading.synthetic import (
    KINDS,
    SYNTHETIC_ASSIGNMENT,
    SYNTHETIC_NOTEBOOK,
    clone_course,
    make_cohort,
    make_course,
    make_submission,
)

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore::Warning")]


def _stock_autograde(root: Path, students: list[str]) -> None:
    api = course_api(root)
    cwd = os.getcwd()
    try:
        for s in students:
            assert api.autograde(SYNTHETIC_ASSIGNMENT, s, force=True)["success"]
    finally:
        os.chdir(cwd)


def _outputs(path: Path) -> list:
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        outs = []
        for o in cell.get("outputs", []):
            if o["output_type"] == "stream":
                outs.append(("stream", o["name"], "".join(o["text"])))
            elif o["output_type"] == "error":
                outs.append(("error", o["ename"]))
            else:
                outs.append((o["output_type"],))
        out.append((src, outs))
    return out


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_course(tmp_path_factory.mktemp("course") / "c")
    make_cohort(root, 8)
    return root


def test_scores_and_notebooks_equal_stock_nbgrader_autograde(cohort: Path, tmp_path: Path) -> None:
    ours = clone_course(cohort, tmp_path / "ours")
    stock = clone_course(cohort, tmp_path / "stock")
    students = sorted(p.name for p in (cohort / "submitted").iterdir())
    _stock_autograde(stock, students)
    summary = grade(ours, jobs=2, progress=False)
    assert summary.graded == len(students) and summary.failed == 0
    expected = scores(db_url(stock))
    assert len(expected) == 4 * len(students)
    assert scores(db_url(ours)) == expected
    for s in students:
        rel = Path("autograded") / s / SYNTHETIC_ASSIGNMENT / f"{SYNTHETIC_NOTEBOOK}.ipynb"
        assert _outputs(ours / rel) == _outputs(stock / rel)


def test_kinds_score_as_the_rules_say(cohort: Path, tmp_path: Path) -> None:
    root = clone_course(cohort, tmp_path / "c")
    grade(root, jobs=2, progress=False, students=["learner000", "learner001", "learner002",
                                                  "learner003"])
    got = scores(db_url(root))
    by_kind = {KINDS[i]: f"learner{i:03d}" for i in range(4)}
    auto = {k: sum(v[0] or 0 for key, v in got.items() if key[0] == s)
            for k, s in by_kind.items()}
    # full: bill (2) + tier (1) + choice (1); partial: only the tier; blank and broken: nothing
    assert auto == {"full": 4.0, "partial": 1.0, "blank": 0.0, "broken": 0.0}


def test_rerun_skips_unchanged_and_regrades_changed(cohort: Path, tmp_path: Path) -> None:
    root = clone_course(cohort, tmp_path / "c")
    first = grade(root, jobs=2, progress=False)
    assert first.graded == 8
    again = grade(root, jobs=2, progress=False)
    assert (again.graded, again.skipped) == (0, 8)
    make_submission(root, "learner002", "full")  # learner002 was blank, now resubmits
    third = grade(root, jobs=2, progress=False)
    assert (third.graded, third.skipped) == (1, 7)
    assert scores(db_url(root))[("learner002", SYNTHETIC_ASSIGNMENT, SYNTHETIC_NOTEBOOK,
                                 "q1_bill_test")][0] == 2.0


def test_killed_run_resumes_to_the_uninterrupted_scores(cohort: Path, tmp_path: Path) -> None:
    reference = clone_course(cohort, tmp_path / "ref")
    grade(reference, jobs=2, progress=False)
    root = clone_course(cohort, tmp_path / "c")
    make_cohort(root, 16)
    make_cohort(reference, 16)
    grade(reference, jobs=2, progress=False)
    proc = subprocess.Popen([sys.executable, "-m", "course.cli", "--root", str(root), "grade",
                             "--jobs", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    state = root / STATE_FILE
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if state.exists() and len(json.loads(state.read_text() or "{}")) >= 2:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(json.loads(state.read_text()))
    assert 2 <= done < 16, "the run must have been interrupted part-way"
    assert list(Path(tempfile.gettempdir()).glob(f"cg-{proc.pid}-*")), "killed run left scratch"
    resumed = grade(root, jobs=2, progress=False)
    assert resumed.skipped == done and resumed.graded == 16 - done
    assert not list(Path(tempfile.gettempdir()).glob(f"cg-{proc.pid}-*"))
    assert scores(db_url(root)) == scores(db_url(reference))


def test_bad_jobs_value_is_a_chinese_error(cohort: Path) -> None:
    from course.grading.gradebook import GradingError

    with pytest.raises(GradingError, match="并行进程数"):
        grade(cohort, jobs=0, progress=False)


def test_unknown_assignment_is_a_chinese_error(cohort: Path) -> None:
    from course.grading.gradebook import GradingError

    with pytest.raises(GradingError, match="没有任何提交"):
        grade(cohort, "no_such_assignment", progress=False)


def test_without_bwrap_grading_still_works_and_warns(cohort: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from course.grading import runner
    from course.grading.sandbox import SandboxStatus

    sandboxed = clone_course(cohort, tmp_path / "sandboxed")
    grade(sandboxed, jobs=2, progress=False)
    plain = clone_course(cohort, tmp_path / "plain")
    missing = SandboxStatus(False, "", "未找到 bubblewrap（bwrap）：学员代码将在没有沙箱的情况下运行。")
    monkeypatch.setattr(runner, "sandbox_status", lambda: missing)
    summary = grade(plain, jobs=2, progress=False)
    assert "未找到 bubblewrap" in capsys.readouterr().out
    assert not summary.sandboxed and "沙箱未启用" in str(summary)
    assert scores(db_url(plain)) == scores(db_url(sandboxed))


# --- speed-ups: each keeps nbgrader's results while avoiding repeated or waiting work ---


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

    from course.grading.worker import _CachedJsonschema

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

    from course.grading.worker import _CachedJsonschema, install_metadata_validator_cache

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

    from course.grading.worker import relax_scratch_sqlite

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


def test_default_workers_are_one_more_than_the_cores() -> None:
    from course.grading.runner import default_jobs

    assert default_jobs() == (os.cpu_count() or 1) + 1


def test_kernel_clients_retry_connecting_quickly() -> None:
    import zmq

    from course.grading.kernels import RECONNECT_MS, FastKernelClient

    client = FastKernelClient()
    assert client.context.sockopts[zmq.RECONNECT_IVL] == RECONNECT_MS < 100


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


def test_restore_hook_acts_only_before_hidden_test_cells(monkeypatch) -> None:
    from course.grading import zygote

    calls: list[int] = []
    monkeypatch.setattr(zygote, "_restore_course_modules", lambda: calls.append(1))
    test_source = "assert tier_choice == 'B'\n"
    shell = _Shell()
    zygote._install_restore_hook(shell, frozenset({zygote.source_digest(test_source)}))
    (hook,) = shell.events.callbacks
    hook(_Info("tier_choice = 'B'\n"))
    hook(_Info(None))
    assert calls == []
    hook(_Info(test_source))
    assert calls == [1]


def test_restore_hook_never_adds_output_when_restoring_fails(monkeypatch) -> None:
    from course.grading import zygote

    def boom() -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(zygote, "_restore_course_modules", boom)
    shell = _Shell()
    zygote._install_restore_hook(shell, frozenset({zygote.source_digest("x = 1")}))
    assert shell.events.callbacks[0](_Info("x = 1")) is None


def test_scratch_gradebooks_share_one_engine_and_others_do_not(tmp_path) -> None:
    from course.grading import worker

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
    from course.grading import zygote

    shell = _traceback_shell()
    tb = shell.InteractiveTB
    calls: list[int] = []
    real = tb.structured_traceback

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    tb.structured_traceback = counting
    zygote._share_duplicate_traceback(shell)
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
    zygote._reuse_highlighting_lexer()
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
    from course.grading import zygote

    loader_cls = importlib.machinery.SourceFileLoader
    monkeypatch.setattr(loader_cls, "source_to_code", loader_cls.source_to_code)
    zygote._cache_course_bytecode()
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
        "from course.grading.runner import _skip_unused_iri_grammar\n"
        "_skip_unused_iri_grammar()\n"
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

    from course.grading import worker

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
    worker._forget_tables(url)
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
        worker._forget_tables(url)
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
