"""One grading worker: nbgrader's own Autograde converter with a two-step, sandboxed Execute.

A worker owns a private scratch directory (mode 0700): a SQLite gradebook holding only the
structure of the assignments it grades (cells, checksums, points, due dates), a staging
folder where each submission is copied without following links
(:mod:`course.grading.staging`), and a zygote whose sandbox sees only the worker's *box*. For
each submission it runs nbgrader's ``Autograde`` converter unchanged except for the
``Execute`` step (:func:`course.grading.internals.two_step_execute`: learner cells in a forked
kernel, hidden tests in a clean interpreter on the answers as data), then reads back exactly
what nbgrader wrote and hands it to the runner, the only process that writes to the course
gradebook.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from nbgrader.preprocessors import Execute, LimitOutput, NbGraderPreprocessor

from course.grading import internals
from course.grading.kernels import Zygote

__all__ = ["LimitOutputSize", "Worker", "copy_structure", "named_rows", "read_submission",
           "run_worker"]


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
    internals.stamp_like(src_url, dst_url)
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
    """Grades submissions one at a time in a private gradebook, staging folder and zygote."""

    def __init__(self, root: Path, scratch: Path, main_url: str, assignments: list[str],
                 sandbox: bool, limits: dict[str, int], cell_timeout: int | None,
                 notebook_timeout: float, template: Path | None = None,
                 preload: list[str] | None = None) -> None:
        from course.grading.gradebook import course_api
        from course.grading.plan import trusted_cells
        from course.grading.sandbox import kernel_environment, sandbox_status, zygote_command

        self.root = root
        self.scratch = scratch
        self.shapes: dict[str, Any] = {}
        scratch.mkdir(parents=True, exist_ok=True)
        os.chmod(scratch, 0o700)  # the gradebook copy and logs: not for the kernels' user
        self.staged = scratch / "staged"
        db = scratch / "gradebook.db"
        if db.exists():
            db.unlink()
        self.url = f"sqlite:///{db}"
        internals.forget_tables(self.url)
        internals.relax_scratch_sqlite(scratch)
        if template is not None and template.exists():
            shutil.copy(template, db)
        else:
            copy_structure(main_url, self.url, assignments)
        self.sandboxed = sandbox and sandbox_status().available
        base = "numpy,pandas,matplotlib,matplotlib.pyplot,yaml,course,course.grading.checks"
        box = scratch / "box"
        env = kernel_environment(box, ",".join([base, *(preload or [])]))
        env["COURSE_PROFILE_JSON"] = _profile_json(root)
        argv = zygote_command(box, root, self.sandboxed)
        limits = dict(limits)
        if os.getuid() != 0 and limits.get("nproc"):
            # RLIMIT_NPROC counts all of this user's tasks, not just the kernel's.
            limits["nproc"] += _user_tasks()
        self.zygote = Zygote(argv, scratch, env, limits, self.sandboxed)
        self.zygote.start()
        from nbgrader.api import Gradebook

        self.execute = internals.two_step_execute()
        with Gradebook(self.url) as gb:
            self.execute.trusted = {(name, nb.name): trusted_cells(gb, nb)
                                    for name in assignments
                                    for nb in gb.find_assignment(name).notebooks}
        from course.grading.kernels import ZygoteKernelManager

        ZygoteKernelManager.zygote = self.zygote
        self.execute.zygote = self.zygote
        self.execute.notebook_timeout = notebook_timeout
        self.execute.cell_timeout = cell_timeout
        # Validate the notebook once after all preprocessors (not after each of ~13): the same
        # checks on the notebook nbgrader writes, at a fraction of the cost. Submissions are
        # read from the staging folder, never from submitted/ itself.
        overrides: dict[str, Any] = {"CourseDirectory.db_url": self.url,
                                     "CourseDirectory.submitted_directory": str(self.staged),
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
            pps.append(self.execute if pp is Execute else pp)
            if pp is LimitOutput:
                pps.append(LimitOutputSize)
        self.api.config.Autograde.autograde_preprocessors = pps
        self.warnings = internals.install_worker_patches()

    def grade(self, assignment: str, student: str) -> dict[str, Any]:
        """Autograde one submission; return nbgrader's results plus Chinese flags and a log."""
        from course.grading.inspect import assignment_shape, inspect_submission
        from course.grading.staging import stage_submission

        if assignment not in self.shapes:
            self.shapes[assignment] = assignment_shape(self.root, self.url, assignment)
        self.execute.events = []
        self.execute.details = []
        LimitOutputSize.truncated = False
        flags = stage_submission(self.root, student, assignment, self.staged)
        flags += inspect_submission(self.staged, self.shapes[assignment], assignment, student)
        flags += _exam_flags(self.root, self.staged / student / assignment, assignment)
        cwd = os.getcwd()
        try:
            if not self.zygote.alive():
                self.zygote.start()
            self.zygote.learner = student
            result = self.api.autograde(assignment, student, force=True, create=True)
        finally:
            os.chdir(cwd)
        events = list(self.execute.events)
        if "notebook_timeout" in events:
            flags.append("整本 notebook 运行超时，已终止（可能有死循环）；超时前的答案照常评分。")
        elif "kernel_died" in events or (not result.get("success") and "DeadKernel" in
                                         (result.get("log", "") + str(result.get("error", "")))):
            flags.append("评分内核意外退出（例如代码调用了 os._exit 或耗尽内存）；退出前的答案照常评分。")
        if "cell_timeout" in events:
            flags.append("有单元格运行超时（可能是死循环），该单元格记 0 分。")
        if "tests_timeout" in events or "tests_failed" in events:
            flags.append("隐藏测试没能全部运行完，未完成的题记 0 分；请查看评分日志。")
        if "bad_answers" in events:
            flags.append("有答案不是可以评分的数据（例如过大），这些题记 0 分。")
        if LimitOutputSize.truncated:
            flags.append("输出过多（超过 100 万字符），已截断保存。")
        if not result.get("success") and not flags:
            flags.append("nbgrader 无法评分这份提交，请查看评分日志。")
        data = read_submission(self.url, assignment, student)
        log = "\n".join([*self.execute.details, (result.get("log") or "")[-4000:]])
        return {"assignment": assignment, "student": student,
                "success": bool(result.get("success")), "flags": flags, "result": data,
                "log": log}

    def close(self) -> None:
        self.zygote.close()


def _exam_flags(root: Path, staged: Path, assignment: str) -> list[str]:
    """A flag when an exam paper was submitted outside its window (course.grading.exam)."""
    from course.grading.exam import exam_settings, window_flag

    settings = exam_settings(root, assignment)
    if settings is None:
        return []
    stamp = staged / "timestamp.txt"
    try:
        text = stamp.read_text(encoding="utf-8")[:100] if stamp.is_file() else None
    except (OSError, UnicodeDecodeError):
        text = None
    flag = window_flag(settings, text)
    return [flag] if flag else []


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
        results.put({"ready": index, "sandboxed": worker.sandboxed, "warnings": worker.warnings})
        while True:
            job = jobs.get()
            if job is None:
                break
            assignment, student = job
            try:
                out = worker.grade(assignment, student)
            except Exception as exc:
                out = {"assignment": assignment, "student": student, "success": False,
                       "flags": ["评分进程处理这份提交时出错，没有评分（详情见评分日志）。"],
                       "result": {}, "log": f"worker: {type(exc).__name__}: {exc}"}
            results.put(json.loads(json.dumps(out, default=str)))
    except Exception as exc:
        results.put({"fatal": index, "error": f"{type(exc).__name__}: {exc}"})
    finally:
        if worker is not None:
            worker.close()


def _profile_json(root: Path) -> str:
    """The course's local profile, for kernels that cannot read the course folder."""
    from course import local

    return json.dumps(local.current(root).as_dict(), ensure_ascii=False, default=str)
