"""One grading worker: nbgrader's own Autograde converter with forked, sandboxed kernels.

A worker owns a private SQLite gradebook holding only the structure of the assignments it
grades (cells, checksums, points, due dates), a zygote, and a scratch directory. For each
submission it runs nbgrader's ``Autograde`` converter unchanged except for the ``Execute``
step, whose kernels are forked from the zygote, then reads back exactly what nbgrader wrote
and hands it to the runner, the only process that writes to the course gradebook.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path
from typing import Any

from jupyter_core.utils import run_sync
from nbgrader.preprocessors import Execute, LimitOutput, NbGraderPreprocessor

from course.grading.kernels import Zygote, ZygoteKernelManager
from course.grading.zygote import source_digest

__all__ = [
    "SandboxExecute",
    "Worker",
    "copy_structure",
    "install_metadata_validator_cache",
    "named_rows",
    "share_scratch_engines",
]


def _is_test_cell(cell: Any) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"))


class SandboxExecute(Execute):
    """nbgrader's Execute preprocessor, with zygote kernels and a per-notebook deadline."""

    notebook_timeout: float = 300.0
    zygote: Zygote | None = None
    events: list[str] = []  # noqa: RUF012 - reset per notebook by the worker

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["kernel_manager_class"] = ZygoteKernelManager
        super().__init__(*args, **kwargs)
        self.shutdown_kernel = "immediate"

    def preprocess(self, nb: Any, resources: Any, *args: Any, **kwargs: Any) -> Any:
        zygote = type(self).zygote
        assert zygote is not None
        zygote.reset()
        zygote.restore = sorted({source_digest(str(cell.get("source", "")))
                                 for cell in nb.get("cells", []) if _is_test_cell(cell)})
        src = Path(resources.get("metadata", {}).get("path") or ".")
        for item in src.iterdir() if src.is_dir() else []:
            if item.suffix != ".ipynb":
                dest = zygote.work / item.name
                if item.is_dir():
                    shutil.copytree(item, dest, dirs_exist_ok=True)
                else:
                    shutil.copy(item, dest)
        expired = threading.Event()

        def _deadline() -> None:
            expired.set()
            type(self).events.append("notebook_timeout")
            km = getattr(self, "km", None)
            provisioner = getattr(km, "provisioner", None)
            process = getattr(provisioner, "process", None)
            if process is not None:
                process.kill()

        timer = threading.Timer(self.notebook_timeout, _deadline)
        timer.daemon = True
        timer.start()
        try:
            return super().preprocess(nb, resources, *args, **kwargs)
        except Exception:
            type(self).events.append("kernel_died" if not expired.is_set() else "notebook_timeout")
            raise
        finally:
            timer.cancel()
            zygote.reset()

    async def async_execute_cell(self, cell: Any, cell_index: int, *args: Any, **kwargs: Any) -> Any:
        result = await super().async_execute_cell(cell, cell_index, *args, **kwargs)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and out.get("ename") == "CellTimeoutError":
                type(self).events.append("cell_timeout")
        return result

    execute_cell = run_sync(async_execute_cell)


class _CachedJsonschema:
    """``jsonschema.validate`` for nbgrader's metadata checks, without re-checking the schema.

    nbgrader validates every cell's metadata with the module-level ``jsonschema.validate``,
    which checks the schema itself against its meta-schema and builds a new validator each
    time: about half of the worker's time outside the kernel. The schema is one of nbgrader's
    own files, so the checked validator is cached by the schema's content; every instance is
    validated and every error raised exactly as before.
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


_SCRATCH_DBS: set[str] = set()


def relax_scratch_sqlite(scratch: Path) -> None:
    """No fsync for SQLite files under ``scratch`` (a worker's private, throw-away gradebook).

    The course gradebook is written only by the runner, with SQLite's normal durability; the
    worker's copy is rebuilt on every run, so waiting for the disk on each of nbgrader's many
    small commits buys nothing.
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


_CREATED: set[int] = set()  # ids of shared scratch engines whose tables are known to exist


class _KnownTables:
    def __init__(self, names: list[str]) -> None:
        self._names = names

    def get_table_names(self, *args: Any, **kwargs: Any) -> list[str]:
        return list(self._names)


def _forget_tables(url: str) -> None:
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

    nbgrader opens a new ``Gradebook`` (a new SQLAlchemy engine) about a dozen times per
    notebook, and each new engine compiles every SQL statement again. Sharing the engine keeps
    its compiled-statement cache; sessions, connections and the SQL sent stay the same
    (``Gradebook.close`` still disposes the pool, which the engine simply rebuilds).

    Each ``Gradebook`` also lists the tables and runs ``create_all`` (a query per table). On a
    shared scratch engine that has already been through ``create_all`` once, the tables exist:
    the check is skipped (the worker is the only process using its scratch gradebook).
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


def install_metadata_validator_cache() -> None:
    """Make nbgrader's cell-metadata validation reuse one checked validator per schema."""
    from nbgrader.nbgraderformat import common

    if not isinstance(common.jsonschema, _CachedJsonschema):
        common.jsonschema = _CachedJsonschema()


class LimitOutputSize(NbGraderPreprocessor):
    """Cap the text of any single output (nbgrader's LimitOutput counts lines, not bytes)."""

    max_chars: int = 1_000_000

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            text = out.get("text")
            if isinstance(text, str) and len(text) > self.max_chars:
                out["text"] = (text[: self.max_chars]
                               + f"\n…（输出过长，已截断：共 {len(text)} 个字符）\n")
                type(self).truncated = True
            for mime, value in list(out.get("data", {}).items()):
                if isinstance(value, str) and len(value) > self.max_chars:
                    out["data"][mime] = value[: self.max_chars]
                    type(self).truncated = True
        return cell, resources

    truncated = False


def copy_structure(src_url: str, dst_url: str, assignments: list[str]) -> None:
    """Copy assignments' notebooks and cells (no learners, no grades) into another gradebook."""
    from nbgrader.api import Gradebook

    from course.grading.gradebook import ensure_tools_on_path

    ensure_tools_on_path()
    _stamp_like(src_url, dst_url)
    with Gradebook(src_url) as src, Gradebook(dst_url) as dst:
        for name in assignments:
            a = src.find_assignment(name)
            dst.update_or_create_assignment(name, duedate=a.duedate)
            for nb in a.notebooks:
                dst.update_or_create_notebook(nb.name, name, kernelspec=nb.kernelspec)
                for c in nb.grade_cells:
                    dst.update_or_create_grade_cell(c.name, nb.name, name, max_score=c.max_score,
                                                    cell_type=c.cell_type)
                for c in nb.solution_cells:
                    dst.update_or_create_solution_cell(c.name, nb.name, name)
                for c in nb.task_cells:
                    dst.update_or_create_task_cell(c.name, nb.name, name, max_score=c.max_score,
                                                   cell_type=c.cell_type)
                for c in nb.source_cells:
                    dst.update_or_create_source_cell(c.name, nb.name, name, cell_type=c.cell_type,
                                                     locked=c.locked, source=c.source,
                                                     checksum=c.checksum)


def _stamp_like(src_url: str, dst_url: str) -> None:
    """Give a new, empty gradebook the source gradebook's alembic version.

    nbgrader stamps a new gradebook by running the ``alembic`` command in a subprocess (about
    two seconds); a gradebook that already has an ``alembic_version`` table is left alone, and
    the copy must carry the source's version anyway.
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


def named_rows(gb: Any, model: Any, notebook_id: str) -> list[tuple[Any, str]]:
    """A submitted notebook's ``Grade`` or ``Comment`` rows with their cells' names, in one query.

    (``row.name`` would load each row's cell with a query of its own.)
    """
    from nbgrader.api import BaseCell

    return (gb.db.query(model, BaseCell.name).join(BaseCell, model.cell_id == BaseCell.id)
            .filter(model.notebook_id == notebook_id).all())


def read_submission(url: str, assignment: str, student: str) -> dict[str, Any]:
    """What nbgrader wrote for one submission, as plain data."""
    from nbgrader.api import Comment, Grade, Gradebook, MissingEntry

    with Gradebook(url) as gb:
        try:
            sub = gb.find_submission(assignment, student)
        except MissingEntry:
            return {}
        out: dict[str, Any] = {"timestamp": sub.timestamp.isoformat() if sub.timestamp else None,
                               "notebooks": {}}
        for nb in sub.notebooks:
            out["notebooks"][nb.name] = {
                "penalty": nb.late_submission_penalty,
                "grades": {name: [g.auto_score, g.needs_manual_grade]
                           for g, name in named_rows(gb, Grade, nb.id)},
                "comments": {name: c.auto_comment for c, name in named_rows(gb, Comment, nb.id)},
            }
        return out


class Worker:
    """Grades submissions one at a time in a private gradebook and zygote."""

    def __init__(self, root: Path, scratch: Path, main_url: str, assignments: list[str],
                 sandbox: bool, limits: dict[str, int], cell_timeout: int | None,
                 notebook_timeout: float, template: Path | None = None,
                 preload: list[str] | None = None) -> None:
        from course.grading.gradebook import course_api
        from course.grading.sandbox import sandbox_status, zygote_command

        self.root = root
        self.scratch = scratch
        self.shapes: dict[str, Any] = {}
        scratch.mkdir(parents=True, exist_ok=True)
        db = scratch / "gradebook.db"
        if db.exists():
            db.unlink()
        self.url = f"sqlite:///{db}"
        _forget_tables(self.url)
        relax_scratch_sqlite(scratch)
        if template is not None and template.exists():
            shutil.copy(template, db)
        else:
            copy_structure(main_url, self.url, assignments)
        self.sandboxed = sandbox and sandbox_status().available
        env = {k: v for k, v in os.environ.items() if not k.startswith(("COURSE_DB", "JPY_"))}
        env.update({"MPLBACKEND": "module://matplotlib_inline.backend_inline",
                    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                    "PYDEVD_DISABLE_FILE_VALIDATION": "1", "NBGRADER_EXECUTION": "autograde"})
        base = "numpy,pandas,matplotlib,matplotlib.pyplot,yaml,course,course.grading.checks"
        env["COURSE_ZYGOTE_PRELOAD"] = ",".join([base, *(preload or [])])
        if self.sandboxed:
            env["MPLCONFIGDIR"] = str(scratch / "mpl")
        argv = zygote_command(scratch, root, self.sandboxed)
        limits = dict(limits)
        if os.getuid() != 0 and limits.get("nproc"):
            # RLIMIT_NPROC counts all of this user's tasks, not just the kernel's.
            limits["nproc"] += _user_tasks()
        self.zygote = Zygote(argv, scratch, env, limits, self.sandboxed)
        self.zygote.start()
        ZygoteKernelManager.zygote = self.zygote
        SandboxExecute.zygote = self.zygote
        SandboxExecute.notebook_timeout = notebook_timeout
        # Validate the notebook once after all preprocessors (not after each of ~13): the same
        # checks on the notebook nbgrader writes, at a fraction of the cost.
        overrides: dict[str, Any] = {"CourseDirectory.db_url": self.url,
                                     "Exporter.optimistic_validation": True}
        if cell_timeout:
            overrides["ExecutePreprocessor.timeout"] = cell_timeout
        self.api = course_api(root, **overrides)
        self.api.log.setLevel("INFO")
        from nbgrader.converters import Autograde

        configured = self.api.config.Autograde.get("autograde_preprocessors")
        default = Autograde.class_traits()["autograde_preprocessors"].default()
        pps = []
        for pp in configured or default:
            pps.append(SandboxExecute if pp is Execute else pp)
            if pp is LimitOutput:
                pps.append(LimitOutputSize)
        self.api.config.Autograde.autograde_preprocessors = pps
        install_metadata_validator_cache()
        share_scratch_engines()

    def grade(self, assignment: str, student: str) -> dict[str, Any]:
        """Autograde one submission; return nbgrader's results plus Chinese flags."""
        from course.grading.inspect import assignment_shape, inspect_submission

        if assignment not in self.shapes:
            self.shapes[assignment] = assignment_shape(self.root, self.url, assignment)
        SandboxExecute.events = []
        LimitOutputSize.truncated = False
        flags = inspect_submission(self.root, self.shapes[assignment], assignment, student)
        cwd = os.getcwd()
        try:
            if not self.zygote.alive():
                self.zygote.start()
            result = self.api.autograde(assignment, student, force=True, create=True)
        finally:
            os.chdir(cwd)
        events = list(SandboxExecute.events)
        if "notebook_timeout" in events:
            flags.append("整本 notebook 运行超时，已终止（可能有死循环）。")
        elif "kernel_died" in events or (not result.get("success") and "DeadKernel" in
                                         (result.get("log", "") + str(result.get("error", "")))):
            flags.append("评分内核意外退出（例如代码调用了 os._exit 或耗尽内存）。")
        if "cell_timeout" in events:
            flags.append("有单元格运行超时（可能是死循环），该单元格记 0 分。")
        if LimitOutputSize.truncated:
            flags.append("输出过多（超过 100 万字符），已截断保存。")
        if not result.get("success") and not flags:
            flags.append("nbgrader 无法评分这份提交，请查看日志。")
        data = read_submission(self.url, assignment, student)
        return {"assignment": assignment, "student": student,
                "success": bool(result.get("success")), "flags": flags, "result": data,
                "log": (result.get("log") or "")[-4000:]}

    def close(self) -> None:
        self.zygote.close()


def _user_tasks() -> int:
    """Number of threads currently owned by this user (for a relative RLIMIT_NPROC)."""
    uid, count = os.getuid(), 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            if os.stat(f"/proc/{name}").st_uid == uid:
                count += len(os.listdir(f"/proc/{name}/task"))
        except OSError:
            continue
    return count


def run_worker(index: int, jobs: Any, results: Any, config: dict[str, Any]) -> None:
    """Process entry point: take (assignment, student) jobs until ``None``."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    worker = None
    try:
        worker = Worker(Path(config["root"]), Path(config["scratch"]) / f"w{index}",
                        config["db_url"], config["assignments"], config["sandbox"],
                        config["limits"], config["cell_timeout"], config["notebook_timeout"],
                        Path(config["template"]) if config.get("template") else None,
                        config.get("preload"))
        results.put({"ready": index, "sandboxed": worker.sandboxed})
        while True:
            job = jobs.get()
            if job is None:
                break
            assignment, student = job
            try:
                out = worker.grade(assignment, student)
            except Exception as exc:
                out = {"assignment": assignment, "student": student, "success": False,
                       "flags": [f"评分进程出错：{type(exc).__name__}: {exc}"], "result": {},
                       "log": ""}
            results.put(json.loads(json.dumps(out, default=str)))
    except Exception as exc:
        results.put({"fatal": index, "error": f"{type(exc).__name__}: {exc}"})
    finally:
        if worker is not None:
            worker.close()
