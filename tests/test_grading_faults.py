"""Faulty and hostile submissions end graded or flagged in Chinese; the rest of the cohort is graded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from course.grading.gradebook import db_url, scores
from course.grading.runner import GradeSummary, grade
from course.grading.synthetic import (
    SYNTHETIC_ASSIGNMENT as A,
)
from course.grading.synthetic import (
    SYNTHETIC_NOTEBOOK as NB,
)
from course.grading.synthetic import (
    make_cohort,
    make_course,
    make_submission,
)

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore::Warning")]

HONEST = 4  # learner000..003: full, partial, blank, broken


def _edit(root: Path, student: str, change) -> None:
    path = root / "submitted" / student / A / f"{NB}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    change(nb)
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


def _cell(nb: dict, gid: str) -> dict:
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == gid)


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GradeSummary]:
    root = make_course(tmp_path_factory.mktemp("faults") / "c")
    make_cohort(root, HONEST)
    make_submission(root, "loop", answers={"q2_tier": "while True:\n    pass"})
    make_submission(root, "slow", answers={"q1_bill": "import time\ntime.sleep(2.5)\nbill = 93.15",
                                           "q2_tier": "import time\ntime.sleep(2.5)\ntier = 2"})
    make_submission(root, "exit", answers={"q2_tier": "import os\nos._exit(3)"})
    make_submission(root, "flood", "full",
                    answers={"q2_tier": "for _ in range(100):\n    print('x' * 1_000_000)\n"
                                        "tier = 2"})
    make_submission(root, "deleted", "full")
    _edit(root, "deleted", lambda nb: nb["cells"].remove(_cell(nb, "q1_bill_test")))
    make_submission(root, "edited", "partial")

    def _cheat(nb: dict) -> None:
        _cell(nb, "q1_bill_test")["source"] = "assert True"
    _edit(root, "edited", _cheat)
    make_submission(root, "corrupt", "full")
    (root / "submitted" / "corrupt" / A / f"{NB}.ipynb").write_text('{"cells": [', encoding="utf-8")
    make_submission(root, "missing", "full")
    (root / "submitted" / "missing" / A / f"{NB}.ipynb").unlink()
    make_submission(root, "misnamed", "full")
    folder = root / "submitted" / "misnamed" / A
    shutil.move(folder / f"{NB}.ipynb", folder / f"{NB} (1).ipynb")
    make_submission(root, "foreign", "full")

    def _foreign(nb: dict) -> None:
        for c in nb["cells"]:
            meta = c["metadata"].get("nbgrader")
            if meta:
                meta["grade_id"] = "other_" + meta["grade_id"]
    _edit(root, "foreign", _foreign)
    make_submission(root, "patcher", answers={
        "q4_choice": 'tier_choice = "B"\nfrom course.grading import selfcheck\n'
                     'selfcheck.check = lambda *a, **k: selfcheck.SelfCheck("x", True, "满分")'})
    others = sorted(p.name for p in (root / "submitted").iterdir() if p.name != "slow")
    summary = grade(root, jobs=2, progress=False, students=others, cell_timeout=3,
                    notebook_timeout=120)
    slow = grade(root, jobs=1, progress=False, students=["slow"], cell_timeout=3,
                 notebook_timeout=4)
    merged = GradeSummary(summary.graded + slow.graded, 0, summary.failed + slow.failed,
                          2, summary.sandboxed, 0.0, summary.flags + slow.flags)
    return root, merged


def _reasons(summary: GradeSummary, student: str) -> str:
    return " ".join(f.reason for f in summary.flags if f.student == student)


def _auto(root: Path, student: str) -> dict[str, float | None]:
    return {k[3]: v[0] for k, v in scores(db_url(root)).items() if k[0] == student}


def test_honest_learners_are_all_graded_despite_the_faults(graded) -> None:
    root, summary = graded
    got = scores(db_url(root))
    for i in range(HONEST):
        student = f"learner{i:03d}"
        assert all(v[0] is not None for k, v in got.items()
                   if k[0] == student and k[3] != "q3_explain")
        assert not _reasons(summary, student)
    assert _auto(root, "learner000")["q1_bill_test"] == 2.0


def test_infinite_loop_hits_the_cell_timeout_and_is_flagged(graded) -> None:
    root, summary = graded
    assert "超时" in _reasons(summary, "loop")
    assert _auto(root, "loop")["q2_tier_test"] == 0.0


def test_slow_notebook_hits_the_notebook_timeout_and_is_flagged(graded) -> None:
    _, summary = graded
    assert "整本 notebook 运行超时" in _reasons(summary, "slow")


def test_kernel_that_exits_is_flagged(graded) -> None:
    _, summary = graded
    assert "内核意外退出" in _reasons(summary, "exit")


def test_huge_output_is_truncated_and_graded(graded) -> None:
    root, summary = graded
    assert "输出过多" in _reasons(summary, "flood")
    assert _auto(root, "flood")["q2_tier_test"] == 1.0
    autograded = root / "autograded" / "flood" / A / f"{NB}.ipynb"
    assert autograded.stat().st_size < 10 * 1024**2


def test_deleted_test_cell_is_flagged(graded) -> None:
    root, summary = graded
    assert "1 个评分单元格被删除（q1_bill_test）" in _reasons(summary, "deleted")
    assert _auto(root, "deleted")["q1_bill_test"] is None
    assert _auto(root, "deleted")["q2_tier_test"] == 1.0


def test_edited_read_only_test_cell_is_restored_and_flagged(graded) -> None:
    root, summary = graded
    assert "1 个只读单元格被改动，已换回原始内容（q1_bill_test）" in _reasons(summary, "edited")
    assert _auto(root, "edited")["q1_bill_test"] == 0.0  # the partial answer is wrong


def test_corrupt_json_is_flagged(graded) -> None:
    _, summary = graded
    assert "JSON 损坏" in _reasons(summary, "corrupt")


def test_missing_notebook_is_flagged_and_left_ungraded_like_nbgrader(graded) -> None:
    root, summary = graded
    assert "缺少 notebook" in _reasons(summary, "missing")
    # nbgrader refuses a submission without any notebook: no automatic score is invented
    assert set(_auto(root, "missing").values()) == {None}


def test_misnamed_notebook_is_flagged(graded) -> None:
    _, summary = graded
    reasons = _reasons(summary, "misnamed")
    assert "缺少 notebook" in reasons and "多出的 notebook" in reasons


def test_notebook_from_another_assignment_is_flagged(graded) -> None:
    _, summary = graded
    assert "另一份作业" in _reasons(summary, "foreign")


def test_monkeypatched_helper_does_not_fool_hidden_tests(graded) -> None:
    root, _ = graded
    assert _auto(root, "patcher")["q4_choice_test"] == 0.0
