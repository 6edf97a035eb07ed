"""Learners' answers and the scores stock nbgrader gives them (the expected values)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from course.grading.synthetic import answer_cells, answers_for

REPO = Path(__file__).resolve().parents[2]


def answered(nb: dict, assignment: str, notebook: str, kind: str) -> dict:
    """``nb`` (a fetched notebook) with the ``kind`` answers (full, partial, blank) filled in."""
    nb = json.loads(json.dumps(nb))
    cells = answer_cells(nb)
    for gid, text in answers_for(REPO, assignment, notebook, nb, kind).items():
        cells[gid]["source"] = text
    return nb


def stock_totals(assignment: str, notebooks: dict[str, dict[str, dict]]) -> dict[str, float]:
    """Total auto score per learner from stock ``nbgrader autograde`` in a scratch SQLite course.

    ``notebooks``: learner → notebook file name → notebook JSON.
    """
    from course.grading.gradebook import course_api, generate_assignment, scores

    cwd = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="wc-expected-") as tmp:
        root = Path(tmp)
        shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
        shutil.copytree(REPO / "source" / assignment, root / "source" / assignment)
        try:
            generate_assignment(root, assignment)
            for learner, files in notebooks.items():
                dest = root / "submitted" / learner / assignment
                dest.mkdir(parents=True)
                for name, nb in files.items():
                    (dest / name).write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
                (dest / "timestamp.txt").write_text("2026-11-25 09:00:00.000000 UTC")
            api = course_api(root)
            for learner in notebooks:
                result = api.autograde(assignment, learner, force=True, create=True)
                assert result["success"], result["log"]
            totals = dict.fromkeys(notebooks, 0.0)
            url = f"sqlite:///{root / 'gradebook.db'}"
            for (learner, _a, _nb, _gid), (score, _manual) in scores(url, assignment).items():
                totals[learner] += score or 0.0
            return totals
        finally:
            os.chdir(cwd)
