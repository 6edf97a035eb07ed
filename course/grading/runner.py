"""``course grade``: nbgrader autograde semantics, in parallel, sandboxed and resumable.

The runner finds submissions in ``submitted/<learner>/<assignment>/``, skips those whose
files, source assignment and config have not changed since they were last graded, hands the
rest to worker processes (one per core plus one by default) and writes every result into the course
gradebook itself, one submission per transaction: it is the only writer, so SQLite is safe and
an interrupted run loses at most the submissions in flight. The state file
``.course/grade_state.json`` records what was graded from which inputs.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from course.grading.gradebook import GradingError, load_config
from course.grading.sandbox import Limits, sandbox_status

__all__ = ["STATE_FILE", "Flag", "GradeSummary", "default_jobs", "find_submissions", "grade",
           "preload_modules"]

STATE_FILE = Path(".course") / "grade_state.json"


@dataclass(frozen=True)
class Flag:
    """A submission that needs an instructor's eye, with the reason in Chinese."""

    student: str
    assignment: str
    reason: str

    def __str__(self) -> str:
        return f"{self.student} / {self.assignment}：{self.reason}"


@dataclass(frozen=True)
class GradeSummary:
    """What one ``course grade`` run did."""

    graded: int
    skipped: int
    failed: int
    workers: int
    sandboxed: bool
    seconds: float
    flags: tuple[Flag, ...] = field(default_factory=tuple)
    log: str = ""

    def by_submission(self) -> dict[tuple[str, str], list[str]]:
        """The flags grouped per (assignment, student), in order."""
        out: dict[tuple[str, str], list[str]] = {}
        for f in self.flags:
            out.setdefault((f.assignment, f.student), []).append(f.reason)
        return out

    def __str__(self) -> str:
        lines = [f"评分完成：新评 {self.graded} 份，未变化跳过 {self.skipped} 份，"
                 f"未能评分 {self.failed} 份；{self.workers} 个进程，用时 {self.seconds:.1f} 秒。",
                 "沙箱：已启用。" if self.sandboxed else "！沙箱未启用：学员代码没有隔离运行。"]
        groups = self.by_submission()
        if groups:
            lines.append(f"需要关注的提交（{len(groups)} 份）：")
            lines += [f"  - {student} / {assignment}：{'；'.join(r.rstrip('。') for r in reasons)}。"
                      for (assignment, student), reasons in groups.items()]
        if self.log:
            lines.append(f"评分日志（每份提交的详情）：{self.log}")
        return "\n".join(lines)


def find_submissions(root: Path, assignment: str | None = None,
                     students: list[str] | None = None) -> list[tuple[str, str]]:
    """(assignment, student) pairs present in ``submitted/``, sorted."""
    base = root / "submitted"
    out = []
    for sdir in sorted(base.iterdir()) if base.is_dir() else []:
        if not sdir.is_dir() or (students and sdir.name not in students):
            continue
        for adir in sorted(sdir.iterdir()):
            if adir.is_dir() and (assignment is None or adir.name == assignment):
                out.append((adir.name, sdir.name))
    return sorted(out)


def preload_modules(root: Path, assignments: list[str]) -> list[str]:
    """Modules the assignments' notebooks import (``from course import tariff`` → course.tariff).

    The zygote imports them once so every forked kernel starts with them loaded.
    """
    import re

    import nbformat

    found: set[str] = set()
    pattern = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import\s+([\w, ()]+)|import\s+([\w., ]+))",
                         re.M)
    for name in assignments:
        for path in sorted((root / "source" / name).glob("*.ipynb")):
            try:
                nb = nbformat.read(str(path), as_version=4)
            except Exception:  # an unreadable source is reported elsewhere
                continue
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                for m in pattern.finditer(cell.source):
                    if m.group(1):
                        found.add(m.group(1))
                        found |= {f"{m.group(1)}.{n.strip(' ()')}" for n in m.group(2).split(",")
                                  if n.strip(" ()")}
                    else:
                        found |= {n.strip().split(" ")[0] for n in m.group(3).split(",")}
    return sorted(f for f in found if f and not f.startswith("."))


def _digest(paths: list[Path]) -> str:
    """Digest of the files under ``paths``; a link contributes its target's name, never its
    content (a link to ``/dev/zero`` must not hang the run)."""
    h = hashlib.sha256()
    for base in paths:
        files: list[Path] = []
        for current, dirs, names in os.walk(base, followlinks=False):
            files += [Path(current) / n for n in names + [d for d in dirs
                                                          if (Path(current) / d).is_symlink()]]
        for p in sorted(files):
            h.update(str(p.relative_to(base.parent)).encode())
            h.update(b"\0")
            if p.is_symlink():
                h.update(b"link:" + os.readlink(p).encode("utf-8", "surrogateescape"))
            elif p.is_file():
                h.update(p.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


def _load_state(root: Path) -> dict[str, Any]:
    path = root / STATE_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_state(root: Path, state: dict[str, Any]) -> None:
    path = root / STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True),
                   encoding="utf-8")
    os.replace(tmp, path)


def _merge(gb: Any, res: dict[str, Any]) -> None:
    """Write one worker result into the course gradebook (one transaction)."""
    data = res.get("result") or {}
    assignment, student = res["assignment"], res["student"]
    gb.update_or_create_student(student)
    ts = data.get("timestamp")
    if ts:
        gb.update_or_create_submission(assignment, student, timestamp=datetime.fromisoformat(ts))
    else:
        gb.update_or_create_submission(assignment, student)
    from nbgrader.api import Comment, Grade

    from course.grading.worker import named_rows

    for nb_name, nb in data.get("notebooks", {}).items():
        sub_nb = gb.find_submission_notebook(nb_name, assignment, student)
        sub_nb.late_submission_penalty = nb.get("penalty")
        for grade, name in named_rows(gb, Grade, sub_nb.id):
            if name in nb["grades"]:
                auto, needs = nb["grades"][name]
                grade.auto_score = auto
                grade.needs_manual_grade = True if grade.manual_score is not None else bool(needs)
        for comment, name in named_rows(gb, Comment, sub_nb.id):
            if name in nb["comments"]:
                comment.auto_comment = nb["comments"][name]
    gb.db.commit()


def grade(root: Path | str = ".", assignment: str | None = None, jobs: int | None = None,
          sandbox: bool = True, force: bool = False, progress: bool = True,
          students: list[str] | None = None, cell_timeout: int | None = None,
          notebook_timeout: float = 600.0, limits: Limits | None = None) -> GradeSummary:
    """Autograde every new or changed submission (of ``assignment``, or of all assignments)."""
    import multiprocessing as mp

    from course.grading import internals

    internals.skip_unused_iri_grammar()
    from nbgrader.api import Gradebook, MissingEntry

    start = time.monotonic()
    root = Path(root).resolve()
    if jobs is not None and (not isinstance(jobs, int) or jobs < 1):
        raise GradingError(f"并行进程数（--jobs）必须是不小于 1 的整数，收到的是 {jobs!r}。")
    cfg = load_config(root)
    url = str(cfg.CourseDirectory.db_url)
    pairs = find_submissions(root, assignment, students)
    if assignment and not pairs:
        raise GradingError(f"作业（ASSIGNMENT）“{assignment}”没有任何提交：submitted/*/{assignment}/ 为空。")
    with Gradebook(url) as gb:
        known = {a.name for a in gb.assignments}
    unknown = sorted({a for a, _ in pairs} - known)
    if assignment and assignment in unknown:
        raise GradingError(f"作业（ASSIGNMENT）“{assignment}”不在成绩册中：请先运行 course release。"
                           f"已有的作业：{'、'.join(sorted(known)) or '无'}。")
    flags: list[Flag] = [Flag(s, a, "作业不在成绩册中（没有发布过？），未评分。")
                         for a, s in pairs if a in unknown]
    pairs = [(a, s) for a, s in pairs if a not in unknown]

    state = _load_state(root)
    config_text = (root / "nbgrader_config.py").read_bytes()
    source_digest = {a: _digest([root / "source" / a]) + hashlib.sha256(config_text).hexdigest()
                     for a in {a for a, _ in pairs}}
    todo, digests, skipped = [], {}, 0
    log_lines: list[str] = []
    for a, s in pairs:
        d = _digest([root / "submitted" / s / a]) + source_digest[a]
        key = f"{a}/{s}"
        digests[key] = d
        done = state.get(key, {})
        if not force and done.get("digest") == d and (root / "autograded" / s / a).is_dir():
            skipped += 1
            flags += [Flag(s, a, r) for r in done.get("flags", [])]
            continue
        todo.append((a, s))

    status = sandbox_status()
    use_sandbox = sandbox and status.available
    if sandbox and not status.available:
        print(f"！{status.message}")
    n = max(1, min(jobs or default_jobs(), len(todo))) if todo else 0
    graded = failed = 0
    pending: set[tuple[str, str]] = set()
    if todo:
        _remove_stale_scratch()
        scratch = Path(tempfile.mkdtemp(prefix=f"cg-{os.getpid()}-"))
        os.chmod(scratch, 0o755)
        ctx = mp.get_context("fork")
        job_q: Any = ctx.Queue()
        res_q: Any = ctx.Queue()
        config = {"root": str(root), "scratch": str(scratch), "db_url": url,
                  "assignments": sorted({a for a, _ in todo}), "sandbox": use_sandbox,
                  "limits": (limits or Limits()).as_dict(), "cell_timeout": cell_timeout,
                  "notebook_timeout": notebook_timeout,
                  "preload": preload_modules(root, sorted({a for a, _ in todo}))}
        from course.grading.worker import copy_structure, run_worker

        internals.relax_scratch_sqlite(scratch)
        template = scratch / "template.db"
        copy_structure(url, f"sqlite:///{template}", config["assignments"])
        config["template"] = str(template)

        procs = [ctx.Process(target=run_worker, args=(i, job_q, res_q, config), daemon=True)
                 for i in range(n)]
        for p in procs:
            p.start()
        for job in todo:
            job_q.put(job)
        for _ in procs:
            job_q.put(None)
        pending = set(todo)
        warned: set[str] = set()
        bar = _progress(len(todo), progress)
        try:
            with Gradebook(url) as gb:
                while pending:
                    try:
                        res = res_q.get(timeout=1.0)
                    except queue.Empty:
                        if not any(p.is_alive() for p in procs):
                            break
                        continue
                    if "ready" in res:
                        for warning in res.get("warnings") or ():
                            if warning not in warned:
                                warned.add(warning)
                                print(f"！{warning}")
                        continue
                    if "fatal" in res:
                        print(f"！评分进程 {res['fatal']} 启动失败（{res['error']}）："
                              "请运行 course doctor 检查安装。")
                        continue
                    key = (res["assignment"], res["student"])
                    pending.discard(key)
                    try:
                        _merge(gb, res)
                    except MissingEntry as exc:
                        gb.db.rollback()
                        res["flags"].append("写入成绩册失败，这份提交的分数没有保存（详情见评分日志）。")
                        res["log"] = f"{res.get('log', '')}\ngradebook: {exc}"
                    ok = bool(res.get("success"))
                    graded += ok
                    failed += not ok
                    flags += [Flag(key[1], key[0], r) for r in res.get("flags", [])]
                    log_lines += _log_entry(key, res)
                    state[f"{key[0]}/{key[1]}"] = {"digest": digests[f"{key[0]}/{key[1]}"],
                                                   "flags": res.get("flags", []),
                                                   "success": ok}
                    _save_state(root, state)
                    bar.update(1)
        finally:
            bar.close()
            for p in procs:
                if p.is_alive():
                    p.terminate()
            for p in procs:
                p.join(timeout=10)
            shutil.rmtree(scratch, ignore_errors=True)
        for a, s in sorted(pending):
            failed += 1
            flags.append(Flag(s, a, "评分进程异常退出，这份提交没有评完；再次运行 course grade 会重评。"))
    flags += _coach_opinions(root, [k for k in todo if k not in pending])
    log_path = _write_log(root, log_lines) if log_lines else ""
    return GradeSummary(graded=graded, skipped=skipped, failed=failed, workers=n,
                        sandboxed=use_sandbox, seconds=time.monotonic() - start,
                        flags=tuple(sorted(flags, key=lambda f: (f.assignment, f.student))),
                        log=log_path)


def _coach_opinions(root: Path, done: list[tuple[str, str]]) -> list[Flag]:
    """Write the reply coach's opinion into the comments of trainer-graded free-text cells."""
    from course.grading.coach_review import suggest

    flags: list[Flag] = []
    for a in sorted({a for a, _ in done}):
        students = sorted({s for aa, s in done if aa == a})
        try:
            suggest(root, a, students)
        except Exception as exc:
            flags += [Flag(s, a, f"回复教练的参考意见没有写入（{type(exc).__name__}），"
                                 "分数不受影响；请讲师直接阅读答案。") for s in students]
    return flags


def _log_entry(key: tuple[str, str], res: dict[str, Any]) -> list[str]:
    lines = [f"== {key[1]} / {key[0]}: {'graded' if res.get('success') else 'NOT graded'}"]
    lines += [f"  flag: {r}" for r in res.get("flags", [])]
    lines += [f"  {line}" for line in str(res.get("log") or "").splitlines() if line.strip()]
    return lines


def _write_log(root: Path, lines: list[str]) -> str:
    """Write this run's details to ``.course/logs/grade-<time>.log``; return its path."""
    folder = root / ".course" / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"grade-{datetime.now():%Y%m%d-%H%M%S-%f}.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def default_jobs() -> int:
    """Workers to start when ``--jobs`` is not given: one per core, plus one.

    A worker spends about a fifth of each submission waiting (kernel messages, SQLite, file
    copies), so with one spare worker the cores stay busy while another waits.
    """
    return (os.cpu_count() or 1) + 1


def _remove_stale_scratch() -> None:
    """Delete scratch folders left by runs that were killed (their process is gone)."""
    for path in Path(tempfile.gettempdir()).glob("cg-*-*"):
        pid = path.name.split("-")[1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(path, ignore_errors=True)


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, enabled: bool, desc: str = "评分", unit: str = "份") -> Any:
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, dynamic_ncols=True)
