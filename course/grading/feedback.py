"""``course feedback``: nbgrader's feedback pages without the hidden tests (nbgrader #917).

nbgrader renders feedback from the autograded notebook, which still contains every hidden
test, and its tracebacks quote the failing hidden line. Here a preprocessor runs before the
HTML export: it cuts the ``### BEGIN HIDDEN TESTS`` regions out of every cell and replaces
the traceback of a failed test cell with a short Chinese explanation.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

__all__ = ["HIDDEN_NOTE", "StripHiddenTests", "generate_feedback"]

HIDDEN_NOTE = "这道题的隐藏测试没有通过：请对照题目要求再检查一遍你的答案。"
BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def _strip(source: str) -> tuple[str, bool]:
    out, hiding, found = [], False, False
    for line in source.splitlines():
        if BEGIN in line:
            hiding, found = True, True
            continue
        if END in line:
            hiding = False
            continue
        if not hiding:
            out.append(line)
    return "\n".join(out), found


class StripHiddenTests(Preprocessor):
    """Remove hidden-test source and the tracebacks that would quote it."""

    enabled = Bool(True)

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        source, found = _strip(cell.source)
        meta = cell.metadata.get("nbgrader", {})
        if found:
            cell.source = source
        if cell.cell_type == "code" and (found or meta.get("grade")) and not meta.get("solution"):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    out["traceback"] = [f"{out.get('ename', 'Error')}: {HIDDEN_NOTE}"]
                    out["evalue"] = HIDDEN_NOTE if found else out.get("evalue", "")
        return cell, resources


def generate_feedback(root: Path | str, assignment: str, student: str | None = None,
                      release: bool = False) -> dict:
    """Generate feedback HTML for ``assignment`` (one learner or all) with hidden tests removed.

    With ``release`` the pages are also put in nbgrader's exchange (``release_feedback``), where
    learners fetch them from the Assignments page.
    """
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    from course.grading.gradebook import GradingError, course_api

    api = course_api(root)
    api.config.GenerateFeedback.preprocessors = [GetGrades, StripHiddenTests,
                                                 CSSHTMLHeaderPreprocessor]
    cwd = os.getcwd()
    try:
        result = api.generate_feedback(assignment, student) if student else (
            api.generate_feedback(assignment))
    finally:
        os.chdir(cwd)
    if not result.get("success"):
        raise GradingError(f"生成反馈失败（作业 {assignment}）：{result.get('error') or result.get('log')}")
    if release:
        try:
            sent = (api.release_feedback(assignment, student) if student
                    else api.release_feedback(assignment))
        finally:
            os.chdir(cwd)
        if not sent.get("success"):
            raise GradingError("反馈已生成，但没能放进交换目录（请检查 nbgrader_config.py 中的 "
                               f"Exchange.root）：{sent.get('error') or sent.get('log')}")
    return result
