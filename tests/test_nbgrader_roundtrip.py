"""The nbgrader round trip for every assignment in source/, through nbgrader's own API.

* generate_assignment reproduces the committed release/ exactly;
* autograding the source (the solutions) gives full marks on every autograded cell;
* autograding the untouched release gives zero, without errors.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from course.grading.release import assignments, course_root, make_api, normalise_notebook

REPO = course_root()
ASSIGNMENTS = assignments(REPO)

pytestmark = pytest.mark.nbgrader


@pytest.fixture
def keep_cwd():
    """nbgrader's converters chdir into the course root (process-global): restore it."""
    cwd = os.getcwd()
    yield
    os.chdir(cwd)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Autograde solutions and blank releases of every assignment once; return the gradebook."""
    cwd = os.getcwd()
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(REPO / "source", root / "source")
    api = make_api(root)
    results = {}
    try:
        for name in ASSIGNMENTS:
            gen = api.generate_assignment(name, force=True, create=True)
            assert gen["success"], gen["error"]
            for student, folder in (("solutions", "source"), ("blank", "release")):
                dest = root / "submitted" / student / name
                dest.mkdir(parents=True, exist_ok=True)
                for nb in (root / folder / name).glob("*.ipynb"):
                    shutil.copy(nb, dest / nb.name)
                res = api.autograde(name, student, force=True, create=True)
                results[(name, student)] = res
    finally:
        os.chdir(cwd)
    return root, api, results


def test_there_is_at_least_one_assignment():
    assert "ch1_tiered_pricing" in ASSIGNMENTS


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_generate_assignment_reproduces_the_committed_release(name, tmp_path, keep_cwd):
    from course.grading.release import generate

    out = generate(name, out=tmp_path / name)
    committed = sorted(p.name for p in (REPO / "release" / name).glob("*.ipynb"))
    generated = sorted(p.name for p in out.glob("*.ipynb"))
    assert committed == generated, "release/ is out of date"
    for nb in generated:
        assert normalise_notebook(out / nb) == normalise_notebook(REPO / "release" / name / nb), (
            f"release/{name}/{nb} differs from what nbgrader generates from source/: run "
            f"`.venv/bin/python -m course.grading.release {name}` and commit the result"
        )


def _notebook_scores(api, name: str, student: str) -> list[tuple[str, float, float, bool]]:
    from nbgrader.api import Gradebook

    out = []
    with Gradebook(api.coursedir.db_url) as gb:
        sub = gb.find_submission(name, student)
        for nb in sub.notebooks:
            for grade in nb.grades:
                if grade.cell_type == "code" and grade.auto_score is not None:
                    out.append((grade.name, grade.auto_score, grade.max_score, grade.needs_manual_grade))
    return out


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_source_solutions_score_full_marks(name, graded):
    _root, api, results = graded
    assert results[(name, "solutions")]["success"], results[(name, "solutions")]["log"]
    scores = _notebook_scores(api, name, "solutions")
    assert scores, "no autograded cells found"
    lost = [(cell, got, best) for cell, got, best, _ in scores if got != best]
    assert lost == [], f"solutions lose points on {lost}"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_untouched_release_scores_zero_without_errors(name, graded):
    root, api, results = graded
    assert results[(name, "blank")]["success"], results[(name, "blank")]["log"]
    scores = _notebook_scores(api, name, "blank")
    assert scores and all(got == 0 for _, got, _, _ in scores), scores
    for nb in (root / "autograded" / "blank" / name).glob("*.ipynb"):
        data = json.loads(nb.read_text(encoding="utf-8"))
        for cell in data["cells"]:
            for output in cell.get("outputs", []):
                if output["output_type"] == "error":
                    assert output["ename"] == "AnswerError", output
                assert output.get("name") != "stderr", output


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_manual_part_has_a_mark_scheme(name):
    for nb in (REPO / "source" / name).glob("*.ipynb"):
        data = json.loads(nb.read_text(encoding="utf-8"))
        for cell in data["cells"]:
            meta = cell["metadata"].get("nbgrader", {})
            manual = meta.get("task") or (meta.get("grade") and meta.get("solution"))
            if manual:
                text = "".join(cell["source"])
                assert "=== BEGIN MARK SCHEME ===" in text, f"{nb.name}:{meta['grade_id']}"
