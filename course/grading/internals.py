"""Every place ``course grade`` reaches into a dependency's internals, for speed, in one module.

Each patch says why it exists and the version it was checked against (:data:`PATCHES`).
:func:`check_internals` verifies that every attribute a patch relies on is still there and
has the expected form; the test suite calls it, so an upgrade that moves them fails loudly
instead of making grading silently slower or wrong. At run time a patch whose target moved is
skipped with a Chinese warning (:func:`install_worker_patches`): grading stays correct, only
slower.

Worker side (nbgrader, jsonschema, SQLAlchemy): the metadata-validator cache, shared scratch
engines, the alembic stamp and the jsonschema import. Kernel side (IPython, stack_data,
importlib; applied in the zygote and in forked kernels): traceback reuse, one highlighting
lexer, course bytecode reuse and the output cap. The ``Execute`` subclass that runs the two
grading steps lives here too, because it overrides nbclient's cell execution.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import dataclass
from typing import Any

__all__ = [
    "KERNEL_OUTPUT_CAP",
    "PATCHES",
    "InternalsMoved",
    "Patch",
    "cache_course_bytecode",
    "cap_output",
    "check_internals",
    "forget_tables",
    "install_metadata_validator_cache",
    "install_worker_patches",
    "relax_scratch_sqlite",
    "reuse_highlighting_lexer",
    "share_duplicate_traceback",
    "share_scratch_engines",
    "skip_unused_iri_grammar",
    "stamp_like",
]


class InternalsMoved(RuntimeError):
    """A dependency no longer has the internals a patch relies on."""


@dataclass(frozen=True)
class Patch:
    """One reach into a dependency: what, why, and the version it was checked against."""

    name: str
    target: str
    why: str
    checked: str


PATCHES = (
    Patch("metadata_validator_cache", "nbgrader.nbgraderformat.common.jsonschema",
          "nbgrader calls jsonschema.validate per cell, which re-checks the schema each time "
          "(half the worker's time outside the kernel)", "nbgrader 0.9.6, jsonschema 4.26.0"),
    Patch("shared_scratch_engines", "nbgrader.api.create_engine / nbgrader.api.inspect / "
          "nbgrader.api.Base.metadata.create_all",
          "nbgrader opens ~12 Gradebooks per notebook, each a new engine that recompiles every "
          "statement and lists the tables", "nbgrader 0.9.6, SQLAlchemy 2.1.9"),
    Patch("alembic_stamp", "nbgrader.api.Gradebook (alembic_version table)",
          "a new gradebook is stamped by running alembic in a subprocess (about 2 s per worker)",
          "nbgrader 0.9.6, alembic 1.20.1"),
    Patch("iri_grammar", "sys.modules['rfc3987_syntax'] during `import jsonschema`",
          "jsonschema compiles an unused Lark IRI grammar on import (0.7 s before any worker "
          "starts)", "jsonschema 4.26.0"),
    Patch("two_step_execute", "nbgrader.preprocessors.Execute.preprocess / "
          "nbclient.NotebookClient.async_execute_cell",
          "learner cells run in a forked, sandboxed kernel; hidden tests run in a clean "
          "interpreter on the answers as data", "nbgrader 0.9.6, nbclient 0.11.0"),
    Patch("duplicate_traceback", "IPython InteractiveShell.InteractiveTB.structured_traceback",
          "IPython formats each exception twice (display and history)", "IPython 9.18.1"),
    Patch("highlighting_lexer", "stack_data.core._pygmented_with_ranges",
          "stack_data builds a new pygments lexer class (and grammar) per traceback frame",
          "stack_data 0.6.3, Pygments 2.21.0"),
    Patch("course_bytecode", "importlib.machinery.SourceFileLoader.source_to_code",
          "without writable .pyc files each forked kernel recompiles the course's modules",
          "CPython 3.11"),
    Patch("output_cap", "sys.stdout.write / sys.stderr.write of ipykernel's OutStream",
          "a flood of output exhausts the kernel's memory before nbgrader truncates it",
          "ipykernel 7.4.0"),
)


def check_internals() -> list[str]:
    """Every patched internal still present and shaped as expected; returns problems (English)."""
    import inspect

    problems: list[str] = []

    def need(ok: bool, what: str) -> None:
        if not ok:
            problems.append(what)

    try:
        from nbgrader.nbgraderformat import common

        need(hasattr(common, "jsonschema") and hasattr(common.jsonschema, "validate"),
             "nbgrader.nbgraderformat.common.jsonschema.validate")
    except ImportError as exc:
        problems.append(f"nbgrader.nbgraderformat.common: {exc}")
    try:
        import nbgrader.api as api

        need(callable(getattr(api, "create_engine", None)), "nbgrader.api.create_engine")
        need(callable(getattr(api, "inspect", None)), "nbgrader.api.inspect")
        need(hasattr(api.Base.metadata, "create_all"), "nbgrader.api.Base.metadata.create_all")
        source = inspect.getsource(api.Gradebook.__init__)
        need("create_engine(" in source and "inspect(" in source and "create_all" in source,
             "Gradebook.__init__ uses create_engine, inspect and create_all")
        need("alembic" in inspect.getsource(api.Gradebook).lower(),
             "Gradebook stamps new databases with alembic")
    except ImportError as exc:
        problems.append(f"nbgrader.api: {exc}")
    try:
        from nbclient import NotebookClient
        from nbgrader.preprocessors import Execute

        params = inspect.signature(NotebookClient.async_execute_cell).parameters
        need(list(params)[:3] == ["self", "cell", "cell_index"],
             "NotebookClient.async_execute_cell(self, cell, cell_index, ...)")
        need(callable(getattr(Execute, "preprocess", None)), "Execute.preprocess")
    except ImportError as exc:
        problems.append(f"nbclient / nbgrader Execute: {exc}")
    try:
        import stack_data.core

        params = list(inspect.signature(stack_data.core._pygmented_with_ranges).parameters)
        need(params == ["formatter", "code", "ranges"],
             "stack_data.core._pygmented_with_ranges(formatter, code, ranges)")
    except (ImportError, AttributeError) as exc:
        problems.append(f"stack_data.core._pygmented_with_ranges: {exc}")
    try:
        from IPython.core.ultratb import AutoFormattedTB

        params = list(inspect.signature(AutoFormattedTB.structured_traceback).parameters)
        need(params[:6] == ["self", "etype", "evalue", "etb", "tb_offset", "context"],
             "AutoFormattedTB.structured_traceback(etype, evalue, etb, tb_offset, context)")
    except ImportError as exc:
        problems.append(f"IPython.core.ultratb: {exc}")
    import importlib.machinery

    need(hasattr(importlib.machinery.SourceFileLoader, "source_to_code"),
         "SourceFileLoader.source_to_code")
    return problems


def install_worker_patches() -> list[str]:
    """Apply the worker-side patches; returns Chinese warnings for those that had to be skipped."""
    warnings = []
    moved = check_internals()
    nbgrader_moved = [p for p in moved if "nbgrader" in p or "Gradebook" in p]
    if nbgrader_moved:
        warnings.append("nbgrader 的内部接口与课程检查过的版本（0.9.6）不同，已停用评分加速："
                        "分数照常，只是会慢一些。详情：" + "；".join(nbgrader_moved))
        return warnings
    install_metadata_validator_cache()
    share_scratch_engines()
    return warnings


# =========================================================================== worker side


class _CachedJsonschema:
    """``jsonschema.validate`` for nbgrader's metadata checks, without re-checking the schema.

    The schema is one of nbgrader's own files, so the checked validator is cached by the
    schema's content; every instance is validated and every error raised exactly as before.
    """

    def __init__(self) -> None:
        self._validators: dict[str, Any] = {}

    def validate(self, instance: Any, schema: Any, *args: Any, **kwargs: Any) -> None:
        import jsonschema

        if args or kwargs:
            jsonschema.validate(instance, schema, *args, **kwargs)
            return
        key = json.dumps(schema, sort_keys=True)
        validator = self._validators.get(key)
        if validator is None:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = self._validators[key] = cls(schema)
        error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error

    def __getattr__(self, name: str) -> Any:
        import jsonschema

        return getattr(jsonschema, name)


def install_metadata_validator_cache() -> None:
    """Make nbgrader's cell-metadata validation reuse one checked validator per schema."""
    from nbgrader.nbgraderformat import common

    if not isinstance(common.jsonschema, _CachedJsonschema):
        common.jsonschema = _CachedJsonschema()


_SCRATCH_DBS: set[str] = set()


def relax_scratch_sqlite(scratch: Any) -> None:
    """No fsync for SQLite files under ``scratch`` (a worker's private, throw-away gradebook).

    The course gradebook is written only by the runner, with SQLite's normal durability.
    """
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not _SCRATCH_DBS:
        event.listen(Engine, "connect", _relax_if_scratch)
    _SCRATCH_DBS.add(os.path.realpath(scratch) + os.sep)


def _relax_if_scratch(dbapi_connection: Any, _record: Any) -> None:
    import sqlite3

    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    try:
        files = [row[2] for row in dbapi_connection.execute("PRAGMA database_list")]
        if files and files[0] and any(os.path.realpath(files[0]).startswith(prefix)
                                      for prefix in _SCRATCH_DBS):
            dbapi_connection.execute("PRAGMA synchronous=OFF")
    except sqlite3.Error:
        pass


_SHARED_ENGINES: dict[tuple[str, tuple[tuple[str, Any], ...]], Any] = {}
_CREATED: set[int] = set()  # ids of shared scratch engines whose tables are known to exist


def _is_scratch_url(url: Any) -> bool:
    text = str(url)
    if not text.startswith("sqlite:///"):
        return False
    path = os.path.realpath(text[len("sqlite:///"):])
    return any(path.startswith(prefix) for prefix in _SCRATCH_DBS)


def _shared_create_engine(url: Any, *args: Any, **kwargs: Any) -> Any:
    from sqlalchemy import create_engine

    if args or not _is_scratch_url(url):
        return create_engine(url, *args, **kwargs)
    key = (str(url), tuple(sorted((k, repr(v)) for k, v in kwargs.items())))
    engine = _SHARED_ENGINES.get(key)
    if engine is None:
        engine = _SHARED_ENGINES[key] = create_engine(url, **kwargs)
    return engine


class _KnownTables:
    def __init__(self, names: list[str]) -> None:
        self._names = names

    def get_table_names(self, *args: Any, **kwargs: Any) -> list[str]:
        return list(self._names)


def forget_tables(url: str) -> None:
    """The scratch gradebook at ``url`` is being replaced: check its tables again."""
    for (engine_url, _), engine in _SHARED_ENGINES.items():
        if engine_url == url:
            _CREATED.discard(id(engine))


def _scratch_inspect(subject: Any, *args: Any, **kwargs: Any) -> Any:
    from sqlalchemy import inspect

    if not args and not kwargs and id(subject) in _CREATED and any(
            subject is e for e in _SHARED_ENGINES.values()):
        import nbgrader.api

        return _KnownTables(sorted(nbgrader.api.Base.metadata.tables))
    return inspect(subject, *args, **kwargs)


def share_scratch_engines() -> None:
    """Let every nbgrader ``Gradebook`` on a worker's scratch gradebook share one engine.

    Sharing the engine keeps its compiled-statement cache; sessions, connections and the SQL
    sent stay the same. On a shared engine that has been through ``create_all`` once, the
    table check is skipped (the worker is the only process using its scratch gradebook).
    """
    import nbgrader.api

    nbgrader.api.create_engine = _shared_create_engine
    metadata = nbgrader.api.Base.metadata
    if getattr(metadata.create_all, "_course_scratch", False):
        return
    original = metadata.create_all

    def create_all(bind: Any = None, *args: Any, **kwargs: Any) -> Any:
        shared = bind is not None and any(bind is e for e in _SHARED_ENGINES.values())
        if shared and not args and not kwargs and id(bind) in _CREATED:
            return None
        result = original(bind, *args, **kwargs)
        if shared and not args and not kwargs:
            _CREATED.add(id(bind))
        return result

    create_all._course_scratch = True  # type: ignore[attr-defined]
    metadata.create_all = create_all
    nbgrader.api.inspect = _scratch_inspect


def stamp_like(src_url: str, dst_url: str) -> None:
    """Give a new, empty gradebook the source gradebook's alembic version.

    A gradebook that already has an ``alembic_version`` table is not stamped again by
    nbgrader, and the copy must carry the source's version anyway.
    """
    from sqlalchemy import create_engine, inspect, text

    src = create_engine(src_url)
    dst = create_engine(dst_url)
    try:
        if inspect(dst).get_table_names():
            return
        with src.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if not version:
            return
        with dst.begin() as conn:
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"),
                         {"v": version})
    except Exception:  # nbgrader stamps the gradebook itself
        return
    finally:
        src.dispose()
        dst.dispose()


def skip_unused_iri_grammar() -> None:
    """Import jsonschema without building the optional ``rfc3987_syntax`` IRI grammar.

    Neither nbformat's nor nbgrader's schemas use the ``iri`` formats, and nothing here
    validates with a format checker. Later imports of ``rfc3987_syntax`` itself still work.
    """
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        pass
    finally:
        if sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]


# =========================================================================== kernel side


def cache_course_bytecode() -> None:
    """Keep the code compiled from the course package's source files (no ``.pyc`` is written).

    Code compiled in the zygote while preloading is reused when a kernel compiles the very
    same bytes from the same file; anything else compiles as usual.
    """
    import importlib.machinery

    import course

    prefixes = tuple(os.path.realpath(p) + os.sep for p in course.__path__)
    loader = importlib.machinery.SourceFileLoader
    original = loader.source_to_code
    cache: dict[tuple[str, bytes], Any] = {}

    def source_to_code(self: Any, data: Any, path: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs or not isinstance(data, bytes) or not isinstance(path, str) or (
                not os.path.realpath(path).startswith(prefixes)):
            return original(self, data, path, *args, **kwargs)
        key = (path, data)
        code = cache.get(key)
        if code is None:
            code = cache[key] = original(self, data, path)
        return code

    loader.source_to_code = source_to_code  # type: ignore[method-assign]


def reuse_highlighting_lexer() -> None:
    """Give stack_data's traceback highlighter one lexer class instead of one per frame.

    Same tokens, same text: the ranges are passed on the instance instead of the class.
    """
    import pygments
    import stack_data.core
    from pygments.lexers import get_lexer_by_name

    base = type(get_lexer_by_name("python3"))

    class RangesLexer(base):  # type: ignore[misc, valid-type]
        ranges: Any = ()

        def get_tokens(self, text: str, *args: Any, **kwargs: Any) -> Any:
            length = 0
            ranges = self.ranges
            for ttype, value in super().get_tokens(text, *args, **kwargs):
                if any(start <= length < end for start, end in ranges):
                    ttype = ttype.ExecutingNode
                length += len(value)
                yield ttype, value

    def pygmented_with_ranges(formatter: Any, code: str, ranges: Any) -> list[str]:
        lexer = RangesLexer(stripnl=False)
        lexer.ranges = ranges
        try:
            highlighted = pygments.highlight(code, lexer, formatter)
        except Exception:  # as stack_data: unhighlighted code rather than no traceback
            highlighted = code
        return highlighted.splitlines()

    RangesLexer(stripnl=False)  # compile the grammar here, once
    stack_data.core._pygmented_with_ranges = pygmented_with_ranges


def share_duplicate_traceback(shell: Any) -> None:
    """Format each exception once, not twice, per cell (the second call reuses the text)."""
    tb = getattr(shell, "InteractiveTB", None)
    original = getattr(tb, "structured_traceback", None)
    if original is None:
        return
    last: list[Any] = []

    def structured_traceback(etype: Any, evalue: Any = None, etb: Any = None,
                             tb_offset: Any = None, context: int = 5) -> Any:
        offset = tb.tb_offset if tb_offset is None else tb_offset
        same = (etype, evalue, etb)
        settings = (offset, context, tb.mode, getattr(tb, "_theme_name", None))
        if last and last[1] == settings and all(a is b for a, b in zip(last[0], same,
                                                                      strict=True)):
            result = list(last[2])
            last.clear()  # reuse at most once
            tb.tb = etb[0] if isinstance(etb, tuple) else etb
            return result
        last.clear()
        result = original(etype, evalue, etb, tb_offset, context)
        if etype is not None and isinstance(result, list):
            last[:] = [same, settings, list(result)]
        return result

    def _forget(*_args: Any) -> None:
        last.clear()

    tb.structured_traceback = structured_traceback
    shell.events.register("pre_run_cell", _forget)


#: Characters of stdout + stderr a cell may print before the kernel drops the rest. Twice the
#: worker's per-output limit, so output over that limit is still truncated and flagged there.
KERNEL_OUTPUT_CAP = 2_000_000


def cap_output(shell: Any, cap: int = KERNEL_OUTPUT_CAP) -> None:
    """Drop what a cell prints beyond ``cap`` characters (a note says so); reset per cell."""
    printed = [0]
    note = f"\n…（本单元格输出超过 {cap} 个字符，其余输出已丢弃）\n"
    for stream in (sys.stdout, sys.stderr):
        original = stream.write

        def write(text: Any, original: Any = original) -> int:
            if not isinstance(text, str) or printed[0] > cap:
                return original(text) if not isinstance(text, str) else len(text)
            printed[0] += len(text)
            if printed[0] > cap:
                original(text[: max(0, len(text) - (printed[0] - cap))] + note)
                return len(text)
            return original(text)

        stream.write = write  # type: ignore[method-assign]

    def _reset(*_args: Any) -> None:
        printed[0] = 0

    shell.events.register("pre_run_cell", _reset)


def warm_tracebacks() -> None:
    """Format one traceback through ``course.grading.checks`` the way a kernel will."""
    with contextlib.suppress(Exception):
        reuse_highlighting_lexer()
    with contextlib.suppress(Exception):
        import inspect

        from IPython.core.ultratb import AutoFormattedTB

        inspect.getmodule(sys._getframe())
        try:
            from course.grading.checks import expect_number

            expect_number(None, "warm")
        except Exception as exc:
            for theme in ("neutral", "nocolor"):
                AutoFormattedTB(mode="Context", theme_name=theme, tb_offset=1).structured_traceback(
                    type(exc), exc, exc.__traceback__)


# =========================================================================== the Execute step


def two_step_execute() -> type:
    """nbgrader's ``Execute`` preprocessor, split in two steps (the class, built on first use).

    1. The learner's notebook, with each test cell replaced by a snapshot cell
       (:func:`course.grading.plan.make_plan`), runs in a kernel forked from the zygote, with
       a deadline for the whole notebook. Outputs of the learner's cells are kept.
    2. Everything the kernel started is killed; the instructor's setup and test cells run in
       a clean child of the zygote on the snapshots (:mod:`course.grading.testrun`). Their
       outputs become the test cells' outputs, which nbgrader's ``SaveAutoGrades`` scores.

    The worker sets the class attributes ``zygote``, ``trusted`` ((assignment, notebook) →
    :class:`~course.grading.plan.TrustedCells`), ``notebook_timeout`` and ``cell_timeout``;
    ``events`` and ``details`` collect what happened to the notebook for the flags and the log.
    """
    global _TWO_STEP
    if _TWO_STEP is not None:
        return _TWO_STEP
    import shutil
    import threading
    import time
    from pathlib import Path

    import nbformat
    from jupyter_core.utils import run_sync
    from nbgrader.preprocessors import Execute

    from course.grading.answers import AnswerDataError, payload, validate
    from course.grading.kernels import ZygoteError, ZygoteKernelManager
    from course.grading.plan import TrustedCells, make_plan

    class TwoStepExecute(Execute):
        notebook_timeout: float = 300.0
        cell_timeout: float | None = None
        zygote: Any = None
        trusted: dict[tuple[str, str], TrustedCells] = {}  # noqa: RUF012 - set by the worker
        events: list[str] = []  # noqa: RUF012 - reset per notebook by the worker
        details: list[str] = []  # noqa: RUF012 - reset per notebook by the worker

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["kernel_manager_class"] = ZygoteKernelManager
            super().__init__(*args, **kwargs)
            self.shutdown_kernel = "immediate"

        def preprocess(self, nb: Any, resources: Any, *args: Any, **kwargs: Any) -> Any:
            cls = type(self)
            zygote = cls.zygote
            assert zygote is not None
            info = resources.get("nbgrader", {})
            trusted = cls.trusted.get((info.get("assignment"), info.get("notebook")),
                                      TrustedCells())
            plan = make_plan(nb, trusted)
            zygote.reset()
            src = Path(resources.get("metadata", {}).get("path") or ".")
            for item in src.iterdir() if src.is_dir() else []:
                if item.suffix != ".ipynb" and not item.is_symlink():
                    dest = zygote.work / item.name
                    if item.is_dir():
                        shutil.copytree(item, dest, dirs_exist_ok=True, symlinks=True)
                    else:
                        shutil.copy(item, dest)
            started = time.monotonic()
            expired = threading.Event()

            def _deadline() -> None:
                expired.set()
                cls.events.append("notebook_timeout")
                process = getattr(getattr(getattr(self, "km", None), "provisioner", None),
                                  "process", None)
                if process is not None:
                    process.kill()

            timer = threading.Timer(cls.notebook_timeout, _deadline)
            timer.daemon = True
            timer.start()
            try:
                super().preprocess(plan.learner, resources, *args, **kwargs)
            except Exception as exc:  # the kernel died or timed out: grade what it answered
                if not expired.is_set():
                    cls.events.append("kernel_died")
                cls.details.append(f"learner kernel: {type(exc).__name__}: {exc}")
            finally:
                timer.cancel()
            tests = {s.index for s in plan.tests}
            answers: dict[str, Any] = {}
            for index, (cell, ran) in enumerate(zip(nb.cells, plan.learner.cells, strict=True)):
                if cell.get("cell_type") != "code":
                    continue
                cell["execution_count"] = ran.get("execution_count")
                if index not in tests:
                    cell["outputs"] = ran.get("outputs", [])
                    continue
                cell["outputs"] = []
                snap = payload(ran.get("outputs", []), plan.token)
                if snap is None:
                    continue
                try:
                    answers[str(index)] = validate(snap)
                except AnswerDataError as exc:
                    cls.events.append("bad_answers")
                    cls.details.append(f"answers of cell {index}: {exc}")
            zygote.reset()  # nothing the learner's kernel started may watch the tests
            left = max(10.0, cls.notebook_timeout - (time.monotonic() - started))
            steps = [{"kind": s.kind, "index": s.index, "grade_id": s.grade_id,
                      "source": s.source, "names": list(s.names)} for s in plan.steps]
            try:
                reply = zygote.run_tests(steps, answers, cls.cell_timeout or self.timeout or 0,
                                         left)
            except ZygoteError as exc:
                reply = {"result": None, "timed_out": False, "status": -1}
                cls.details.append(f"tests: {exc}")
            result = reply.get("result") or {}
            outputs = result.get("outputs") or {}
            cls.details.extend(str(d) for d in result.get("detail") or ())
            if reply.get("timed_out"):
                cls.events.append("tests_timeout")
            elif not reply.get("result"):
                cls.events.append("tests_failed")
            for index in sorted(tests):
                outs = outputs.get(str(index))
                if outs is None:
                    outs = [{"output_type": "error", "ename": "GradingError",
                             "evalue": "这道题没能检查完（检查超时或出错），记 0 分。",
                             "traceback": ["GradingError: 这道题没能检查完（检查超时或出错），记 0 分。"]}]
                nb.cells[index]["outputs"] = [nbformat.from_dict(o) for o in outs]
                for out in nb.cells[index]["outputs"]:
                    if out.get("output_type") == "execute_result":
                        out["execution_count"] = nb.cells[index].get("execution_count")
                    if out.get("ename") == "CellTimeoutError":
                        cls.events.append("cell_timeout")
            return nb, resources

        async def async_execute_cell(self, cell: Any, cell_index: int, *args: Any,
                                     **kwargs: Any) -> Any:
            result = await super().async_execute_cell(cell, cell_index, *args, **kwargs)
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error" and out.get("ename") == "CellTimeoutError":
                    type(self).events.append("cell_timeout")
            return result

        execute_cell = run_sync(async_execute_cell)

    _TWO_STEP = TwoStepExecute
    return TwoStepExecute


_TWO_STEP: type | None = None
