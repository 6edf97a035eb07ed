"""Every model answer the course shows passes the course's own checks.

A model answer is a reply the course holds up as good: the lessons' “参考说法”/“参考写法”/“参考回复”
quotes, the replies pre-filled for learners to start from (``my_…reply = "…"``), the sample
replies a lesson runs through the coach (``samples = {…}``), and the role-play options the data
marks as the way to success (an option whose signals meet its step's goal and carry nothing the
rules block). The graded solutions of ``source/`` are held to the same standard by the nbgrader
round trip (they score full marks, coach-graded items included).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from course.coach import review

REPO = Path(__file__).resolve().parents[1]
_QUOTED = re.compile(r"参考(?:说法|写法|回复)[^“\n]{0,30}?[：:]\s*“(.+?)”(?=[—\s。（]|$)")


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Dict):
        return [s for v in node.values if v is not None for s in _strings(v)]
    return []


def lesson_model_answers() -> list[tuple[str, str]]:
    """(where, text) of every model reply in the lessons."""
    found = []
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            source = "".join(cell["source"])
            where = f"{path.name} cell {i}"
            if cell["cell_type"] == "markdown":
                found += [(where, m.group(1)) for m in _QUOTED.finditer(source)]
                continue
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign) and any(
                        isinstance(t, ast.Name) and (t.id == "samples" or
                                                     (t.id.startswith("my_") and t.id.endswith("reply")))
                        for t in node.targets):
                    found += [(where, s) for s in _strings(node.value)]
    return found


def test_the_lessons_model_answers_are_found():
    answers = lesson_model_answers()
    places = {where.split(" ")[0] for where, _ in answers}
    assert len(answers) >= 8
    assert {"01_阶梯水价.ipynb", "02_巧妙应答.ipynb", "05_综合演练.ipynb"} <= places


@pytest.mark.parametrize(("where", "text"), lesson_model_answers(),
                         ids=[f"{w}:{t[:12]}" for w, t in lesson_model_answers()])
def test_a_lesson_model_answer_passes_the_reply_coach(where, text):
    r = review(text)
    problems = [f"{f.name}：{f.excerpt or f.message}" for f in r.findings if f.level == "bad"]
    assert not r.forbidden and r.sandwich and r.passed, f"{where} ({r.score} 分)：{problems}"


def _role_play_model_options() -> list[tuple[str, str]]:
    from course import roleplay
    from course.roleplay import catalog

    rs = catalog.rules()
    out = []
    for sid in roleplay.scenarios():
        sc = catalog.load_scenario(sid)
        if sc.safety_protocol:
            continue  # a safety drill's right moves are calls for help, not customer replies
        for beat in sc.beats:
            for option in beat.options:
                if set(option.signals) & set(beat.goal) and not set(option.signals) & rs.blocking:
                    out.append((f"{sid}/{beat.id}", option.text))
    return out


def test_role_play_success_options_use_no_forbidden_language():
    flagged = [(w, t, [f.name for f in review(t).forbidden])
               for w, t in _role_play_model_options() if review(t).forbidden]
    assert flagged == []
