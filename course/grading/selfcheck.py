"""Self-checks for self-paced learners: right or wrong, with a hint, without revealing the answer.

Answers are stored only as salted SHA-256 hashes in ``course/data/selfcheck/<set>.yaml``
(nbgrader's ``### HASHED AUTOTEST`` idea), so neither the notebook nor the package contains
them in readable form. Numbers are compared with a tolerance by hashing the answer rounded to
a grid (``tol``) and accepting the neighbouring grid points. A self-check is feedback, not a
grade: a question with four options can be brute-forced, so grades always come from the
hidden tests.

In a lesson::

    from course.grading.selfcheck import check
    check("ch1.q2_bill", 73.2)

Authoring (instructors)::

    from course.grading.selfcheck import add_question
    add_question("ch1", "q2_bill", 73.2, kind="number", tol=0.05, hint="先算第一档……")
"""

from __future__ import annotations

import hashlib
import html
import math
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["SelfCheck", "SelfCheckError", "add_question", "canonical", "check", "make_entry"]

KINDS = ("number", "choice", "choices", "text")


class SelfCheckError(ValueError):
    """Bad input to a self-check (Chinese message naming the field)."""


@dataclass(frozen=True)
class SelfCheck:
    """The outcome of one self-check."""

    question: str
    correct: bool
    message: str
    hint: str = ""

    def __str__(self) -> str:
        mark = "√" if self.correct else "×"
        return f"{mark} {self.message}" + (f"\n提示：{self.hint}" if self.hint else "")

    def __bool__(self) -> bool:
        return self.correct

    def _repr_html_(self) -> str:
        color = "#1a7f37" if self.correct else "#b42318"
        hint = f"<div>提示：{html.escape(self.hint)}</div>" if self.hint else ""
        mark = "√" if self.correct else "×"
        return (f'<div class="course-selfcheck" style="border-left:4px solid {color};'
                f'padding:4px 8px"><b>{mark} {html.escape(self.message)}</b>{hint}</div>')


def _norm_text(value: str) -> str:
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold()
    return "".join(text.split())


def canonical(value: Any, kind: str, tol: float = 0.0) -> list[str]:
    """Canonical forms of ``value`` that the stored hash may match (several for numbers)."""
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            try:
                value = float(_norm_text(str(value)))
            except ValueError:
                raise SelfCheckError(f"答案应该是一个数字，收到的是 {value!r}。") from None
        x = float(value)
        if not math.isfinite(x):
            raise SelfCheckError(f"答案应该是一个有限的数字，收到的是 {value!r}。")
        step = tol if tol > 0 else 1e-9
        k = round(x / step)
        return [f"n:{k + d}" for d in (0, -1, 1)]
    if kind == "choice":
        return [f"c:{_norm_text(value)}"]
    if kind == "choices":
        if isinstance(value, str):
            items = [v for v in value.replace("，", ",").split(",") if v.strip()]
        else:
            items = list(value)
        return ["s:" + ",".join(sorted(_norm_text(v) for v in items))]
    if kind == "text":
        return [f"t:{_norm_text(value)}"]
    raise SelfCheckError(f"题型（kind）必须是 {'、'.join(KINDS)} 之一，收到的是 {kind!r}。")


def _hash(salt: str, form: str) -> str:
    return hashlib.sha256(f"{salt}:{form}".encode()).hexdigest()


def make_entry(answer: Any, *, kind: str = "number", tol: float = 0.0, hint: str = "",
               right: str = "回答正确！", salt: str | None = None, source: str = "",
               also: tuple[Any, ...] = ()) -> dict:
    """A YAML-ready entry for one question (the answer itself is not stored).

    ``also`` lists other accepted forms of the same answer (e.g. "补救心理" besides "补救").
    """
    salt = salt or secrets.token_hex(8)
    forms = canonical(answer, kind, tol)
    entry = {"kind": kind, "tol": tol, "salt": salt, "hash": _hash(salt, forms[0]),
             "hint": hint, "right": right, "source": source}
    if also:
        entry["also"] = [_hash(salt, canonical(alt, kind, tol)[0]) for alt in also]
    return entry


def _path(set_name: str) -> Path:
    from course._data import data_dir

    return data_dir() / "selfcheck" / f"{set_name}.yaml"


def add_question(set_name: str, question: str, answer: Any, **kwargs: Any) -> Path:
    """Add or replace ``question`` in ``course/data/selfcheck/<set_name>.yaml``."""
    import yaml

    path = _path(set_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    data = data or {}
    data[question] = make_entry(answer, **kwargs)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=True), encoding="utf-8")
    return path


def _entry(question_id: str) -> dict:
    from course._data import list_yaml, load_yaml

    if not isinstance(question_id, str) or "." not in question_id:
        raise SelfCheckError(f"题号（question_id）应写成“练习集.题目”，例如 \"ch1.q2_bill\"，"
                             f"收到的是 {question_id!r}。")
    set_name, _, qid = question_id.partition(".")
    if set_name not in list_yaml("selfcheck"):
        raise SelfCheckError(f"没有名为 {set_name!r} 的自测练习集；可用的有："
                             f"{'、'.join(list_yaml('selfcheck')) or '无'}。")
    data = load_yaml(f"selfcheck/{set_name}.yaml") or {}
    if qid not in data:
        raise SelfCheckError(f"练习集 {set_name} 中没有题目 {qid!r}；可用的有：{'、'.join(sorted(data))}。")
    return data[qid]


def _form_problem(answer: Any, kind: str) -> str | None:
    """The grader's format rules for this kind of answer (the same checks the tests run)."""
    from course.grading.checks import AnswerError, expect_choices, expect_number, expect_order

    try:
        if kind == "number":
            expect_number(answer, "答案")
        elif kind == "choice" and not isinstance(answer, str):
            return "答案应该是一个选项字母，例如 B。"
        elif kind == "choices":
            expect_choices(answer, "答案", "ABCDEFGHIJ")
        elif kind == "order":
            expect_order(answer, "答案", sorted({str(v) for v in answer}))
    except AnswerError as exc:
        return str(exc)
    return None


def check(question_id: str, answer: Any) -> SelfCheck:
    """Check ``answer`` to ``question_id`` ("set.question"); says right or wrong, with a hint.

    The answer's form is judged by the same rules as the graded checks (a number in quotes is
    not a number here either), and text is normalised the same way (``"Ｂ"`` is ``B``).
    """
    entry = _entry(question_id)
    if answer is None:
        return SelfCheck(question_id, False, "还没有作答：把 None 换成你的答案再检查。", entry.get("hint", ""))
    problem = _form_problem(answer, entry["kind"])
    if problem:
        return SelfCheck(question_id, False, problem, entry.get("hint", ""))
    try:
        forms = canonical(answer, entry["kind"], float(entry.get("tol") or 0))
    except SelfCheckError as exc:
        return SelfCheck(question_id, False, str(exc), entry.get("hint", ""))
    accepted = {entry["hash"], *entry.get("also", ())}
    ok = any(_hash(entry["salt"], f) in accepted for f in forms)
    if ok:
        return SelfCheck(question_id, True, entry.get("right") or "回答正确！")
    return SelfCheck(question_id, False, "还不对，再想想。", entry.get("hint", ""))
