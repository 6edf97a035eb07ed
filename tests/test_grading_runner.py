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
    """Each cell's source and outputs; a test cell's outputs only as passed or failed.

    ``course grade`` runs test cells in a clean interpreter, so their error outputs carry the
    check's message alone (no traceback) and a missing answer is explained in Chinese instead
    of a NameError; whether the cell passed is what nbgrader scores.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and cell["cell_type"] == "code":
            failed = any(o["output_type"] == "error" or o.get("name") == "stderr"
                         for o in cell.get("outputs", []))
            out.append((src, "failed" if failed else "passed"))
            continue
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


def test_default_workers_are_one_more_than_the_cores() -> None:
    from course.grading.runner import default_jobs

    assert default_jobs() == (os.cpu_count() or 1) + 1


def test_kernel_clients_retry_connecting_quickly() -> None:
    import zmq

    from course.grading.kernels import RECONNECT_MS, FastKernelClient

    client = FastKernelClient()
    assert client.context.sockopts[zmq.RECONNECT_IVL] == RECONNECT_MS < 100


