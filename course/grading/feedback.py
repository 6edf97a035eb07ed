"""``course feedback``: nbgrader's feedback pages without the hidden tests (nbgrader #917).

nbgrader renders feedback from the autograded notebook, which still contains every hidden
test, and its tracebacks quote the failing hidden line. Here a preprocessor runs before the
HTML export: it cuts the ``### BEGIN HIDDEN TESTS`` regions out of every cell, replaces the
traceback of a failed test cell with a short Chinese explanation, and scrubs every output of
every cell (the learner's own included) of any line of hidden-test source and any secret of
the instructor's environment (:func:`known_secrets`), however the output was produced.
``course grade`` already keeps both out of the learner's kernel; this is the second wall.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

__all__ = ["HIDDEN_NOTE", "SCRUBBED", "StripHiddenTests", "generate_feedback", "known_secrets",
           "scrub"]

HIDDEN_NOTE = "这道题的隐藏测试没有通过：请对照题目要求再检查一遍你的答案。"
SCRUBBED = "［已隐藏］"
BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
_SECRET_NAME = ("PASS", "TOKEN", "SECRET", "KEY", "CREDENTIAL", "AUTH", "DB_URL", "DATABASE_URL",
                "COOKIE")
MIN_SECRET_CHARS = 6
MIN_HIDDEN_CHARS = 12


def known_secrets(extra: tuple[str, ...] = ()) -> list[str]:
    """Values that must never appear in a learner's feedback: secret-looking environment
    variables of this process, passwords inside URLs, and ``extra`` (e.g. the gradebook URL)."""
    import re
    from urllib.parse import urlsplit

    values = [v for k, v in os.environ.items()
              if any(word in k.upper() for word in _SECRET_NAME) and len(v) >= MIN_SECRET_CHARS]
    for text in [*os.environ.values(), *extra]:
        for url in re.findall(r"[a-z][a-z0-9+.-]*://\S+", text):
            try:
                password = urlsplit(url).password
            except ValueError:
                continue
            if password and len(password) >= MIN_SECRET_CHARS:
                values += [password, url]
    return sorted(set(values), key=len, reverse=True)


def scrub(text: str, needles: list[str]) -> str:
    """``text`` with every needle replaced by :data:`SCRUBBED`."""
    for needle in needles:
        if needle and needle in text:
            text = text.replace(needle, SCRUBBED)
    return text


def _hidden_lines(nb: Any) -> list[str]:
    lines: set[str] = set()
    for cell in nb.cells:
        hiding = False
        for line in str(cell.get("source", "")).splitlines():
            if BEGIN in line:
                hiding = True
            elif END in line:
                hiding = False
            elif hiding and len(line.strip()) >= MIN_HIDDEN_CHARS:
                lines.add(line.strip())
    return sorted(lines, key=len, reverse=True)


def _scrub_output(out: Any, needles: list[str]) -> None:
    if isinstance(out.get("text"), str):
        out["text"] = scrub(out["text"], needles)
    for mime, value in list(out.get("data", {}).items()):
        if isinstance(value, str):
            out["data"][mime] = scrub(value, needles)
    if isinstance(out.get("evalue"), str):
        out["evalue"] = scrub(out["evalue"], needles)
    if isinstance(out.get("traceback"), list):
        out["traceback"] = [scrub(str(t), needles) for t in out["traceback"]]


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
    """Remove hidden-test source, the tracebacks that would quote it, and known secrets."""

    enabled = Bool(True)
    secrets: list[str] = []  # noqa: RUF012 - set by generate_feedback

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        self._needles = [*type(self).secrets, *_hidden_lines(nb)]
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        for out in cell.get("outputs", []):
            _scrub_output(out, getattr(self, "_needles", []))
        source, found = _strip(cell.source)
        meta = cell.metadata.get("nbgrader", {})
        if found:
            cell.source = source
        if cell.cell_type == "code" and (found or meta.get("grade")) and not meta.get("solution"):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    note = _teaching_message(out) or HIDDEN_NOTE
                    out["traceback"] = [f"× {note}"]
                    out["evalue"] = note
        return cell, resources


def _teaching_message(out: Any) -> str | None:
    """A check's own Chinese message, when the error carries nothing else.

    ``course grade`` writes a failed check as one line (the message, no code); such a message
    is written to teach without giving the answer away, so the learner sees it. A traceback
    of several lines (stock ``nbgrader autograde``) may quote hidden code: never shown.
    """
    import re

    lines = [str(t) for t in out.get("traceback") or []]
    message = str(out.get("evalue") or "")
    if len(lines) == 1 and message and re.search(r"[\u4e00-\u9fff]", message) and (
            lines[0].endswith(message)):
        return message
    return None


TEMPLATES = Path(__file__).with_name("templates")


def _pending_grades() -> type:
    """nbgrader's ``GetGrades``, also marking cells that await the trainer (built on first use)."""
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.preprocessors import GetGrades

    class GetGradesPending(GetGrades):
        def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
            nb, resources = super().preprocess(nb, resources)
            pending = 0.0
            with Gradebook(self.db_url) as gb:
                for cell in nb.cells:
                    meta = cell.metadata.get("nbgrader", {})
                    if not (meta.get("grade") or meta.get("task")):
                        continue
                    try:
                        grade = gb.find_grade(meta["grade_id"], self.notebook_id,
                                              self.assignment_id, self.student_id)
                    except MissingEntry:
                        continue
                    if grade.needs_manual_grade:
                        meta["pending"] = True
                        pending += float(grade.max_score or 0)
            resources["nbgrader"]["pending_points"] = pending
            return nb, resources

    return GetGradesPending


def generate_feedback(root: Path | str, assignment: str, student: str | None = None,
                      release: bool = False) -> dict:
    """Generate feedback HTML for ``assignment`` (one learner or all) with hidden tests removed.

    With ``release`` the pages are also put in nbgrader's exchange (``release_feedback``), where
    learners fetch them from the Assignments page.
    """
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor

    from course.grading.gradebook import GradingError, course_api

    api = course_api(root)
    StripHiddenTests.secrets = known_secrets((str(api.coursedir.db_url),))
    api.config.GenerateFeedback.preprocessors = [_pending_grades(), StripHiddenTests,
                                                 CSSHTMLHeaderPreprocessor]
    import nbgrader

    # nbgrader's API insists on the template name "feedback": ours (Chinese, with the parts
    # that await the trainer marked) is found first.
    api.config.HTMLExporter.extra_template_basedirs = [
        str(TEMPLATES), str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader"
                            / "templates")]
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
