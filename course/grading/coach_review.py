"""The reply coach's second opinion on manually graded free-text answers, for the trainer.

A task cell of a source notebook that carries ``metadata.course.coach`` (``variable``: the answer
variable; ``scenario``: the complaint of a reply, or ``kind: statement`` for a crisis statement,
with ``incident`` and ``checkpoint`` when it answers one checkpoint) is graded by the trainer. After ``course grade``,
:func:`suggest` reads each learner's answer from the graded notebook (statically, never by running
it), reviews it with :mod:`course.coach`, and writes the findings and a suggested score into
nbgrader's automatic comment of that cell, so formgrader shows them next to the box where the
trainer confirms or corrects the score. The suggestions are kept in
``.course/coach_suggestions.json``; :func:`agreement` compares them with the trainer's final scores.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Agreement", "Suggestion", "agreement", "coach_cells", "read_answer", "suggest",
           "suggested_points"]

STORE = Path(".course") / "coach_suggestions.json"


@dataclass(frozen=True)
class Suggestion:
    """The coach's suggestion for one learner's answer to one trainer-graded cell."""

    assignment: str
    student: str
    notebook: str
    cell: str
    points: float
    suggested: float
    coach_score: int | None
    comment: str


def coach_cells(nb: dict[str, Any]) -> list[tuple[str, float, dict[str, Any]]]:
    """(grade id, points, coach settings) of every trainer-graded cell the coach reads."""
    out = []
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        grading = meta.get("nbgrader", {})
        settings = (meta.get("course") or {}).get("coach")
        if settings and grading.get("grade_id") and grading.get("points"):
            out.append((grading["grade_id"], float(grading["points"]), settings))
    return out


def read_answer(nb: dict[str, Any], variable: str) -> str | None:
    """The text a notebook assigns to ``variable`` (a string literal), read without running it."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if variable not in source:
            continue
        try:
            tree = ast.parse(source)
        except SyntaxError:  # typed with a Chinese input method: read it as the kernel does
            from course.fullwidth import normalize_code

            try:
                tree = ast.parse(normalize_code(source))
            except SyntaxError:
                continue
        for node in tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name) and node.targets[0].id == variable):
                try:
                    value = ast.literal_eval(node.value)
                except ValueError:
                    return None
                return value if isinstance(value, str) else None
    return None


def suggested_points(score: int, points: float, passed: bool) -> float:
    """Full points for a reply the coach scores 85 or more, half for a passing one, else none."""
    if passed and score >= 85:
        return points
    if passed:
        return round(points / 2, 2)
    return 0.0


def _comment(review: Any, points: float, suggested: float) -> str:
    lines = [f"【回复教练的意见】建议得分 {suggested:g} / {points:g}"
             f"（教练评分 {review.score}/100，60 分及格）。"]
    if review.gaming:
        lines.append("不像真正的回复：" + "；".join(review.gaming))
    bad = [f for f in review.findings if f.level == "bad" and f.rule != "gaming"]
    good = [f for f in review.findings if f.level == "good"]
    if bad:
        lines.append("问题：" + "；".join(
            f"{f.name}" + (f"「{f.excerpt}」" if f.excerpt else "") for f in bad[:5]))
    if good:
        lines.append("做到了：" + "；".join(f.name for f in good[:6]))
    lines.append("三层结构" + ("成立" if review.sandwich else "不成立")
                 + "；具体下一步" + ("有" if review.next_step else "没有")
                 + "；" + ("回应了这条投诉的核心问题" if review.addresses_core else "没有回应核心问题"))
    return "\n".join(lines)


def _statement_comment(review: Any, points: float, suggested: float) -> str:
    lines = [f"【危机评分的意见】建议得分 {suggested:g} / {points:g}"
             f"（综合评分 {review.score}/100，{'通过' if review.passed else '未通过'}）。"]
    missed = [c for c in review.criteria if not c.met]
    met = [c for c in review.criteria if c.met]
    if review.problems:
        lines.append("问题：" + "；".join(f"{p.name}「{p.text}」" for p in review.problems[:5]))
    forbidden = getattr(review.coach, "forbidden", ()) or ()
    if forbidden:
        lines.append("禁语：" + "；".join(f"{f.name}「{f.excerpt}」" for f in forbidden[:5]))
    if missed:
        lines.append("缺少：" + "；".join(f"{c.name}（{c.hint}）" for c in missed))
    if met:
        lines.append("做到了：" + "；".join(c.name for c in met))
    return "\n".join(lines)


def _opinion(text: str, settings: dict[str, Any], points: float) -> tuple[float, int, str]:
    """(suggested points, score, comment) for one answer."""
    if settings.get("kind") == "statement":
        from course.crisis import incident
        from course.crisis.rubric import review_statement

        keys = None
        if settings.get("checkpoint"):
            keys = next(cp.keys for cp in incident(settings["incident"]).checkpoints
                        if cp.id == settings["checkpoint"])
        s = review_statement(text, keys=keys)
        suggested = suggested_points(s.score, points, s.passed)
        return suggested, s.score, _statement_comment(s, points, suggested)
    from course.coach import review

    r = review(text, scenario=settings.get("scenario"))
    suggested = suggested_points(r.score, points, r.passed)
    return suggested, r.score, _comment(r, points, suggested)


def _load(root: Path) -> dict[str, Any]:
    path = root / STORE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def suggest(root: Path | str, assignment: str,
            students: list[str] | None = None) -> list[Suggestion]:
    """Review the coach-read answers of graded submissions; write comments and suggestions."""
    from nbgrader.api import Gradebook, MissingEntry

    from course.grading.gradebook import db_url

    root = Path(root).resolve()
    source_dir = root / "source" / assignment
    url = db_url(root)
    store = _load(root)
    out: list[Suggestion] = []
    with Gradebook(url) as gb:
        for src in sorted(source_dir.glob("*.ipynb")):
            cells = coach_cells(json.loads(src.read_text(encoding="utf-8")))
            if not cells:
                continue
            for graded in sorted((root / "autograded").glob(f"*/{assignment}/{src.name}")):
                student = graded.parts[-3]
                if students and student not in students:
                    continue
                nb = json.loads(graded.read_text(encoding="utf-8"))
                for cell, points, settings in cells:
                    text = read_answer(nb, settings["variable"])
                    if text is None or not text.strip():
                        suggested, score = 0.0, None
                        comment = ("【回复教练】没能读出这道题的答案（没有作答，或答案不是一段文字），"
                                   "请在上面的答案格子里直接阅读。")
                    else:
                        suggested, score, comment = _opinion(text, settings, points)
                    try:
                        c = gb.find_comment(cell, src.stem, assignment, student)
                    except MissingEntry:
                        continue
                    c.auto_comment = comment
                    s = Suggestion(assignment, student, src.stem, cell, points, suggested, score,
                                   comment)
                    store[f"{assignment}/{student}/{src.stem}/{cell}"] = {
                        "points": points, "suggested": suggested, "coach_score": score}
                    out.append(s)
        gb.db.commit()
    path = root / STORE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(store, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    return out


@dataclass(frozen=True)
class Agreement:
    """How often the trainer kept the coach's suggested score, and where not."""

    compared: int
    agreed: int
    pending: int
    mean_difference: float  # trainer minus coach, in points
    overrides: tuple[tuple[str, str, str, float, float, int | None], ...]

    def __str__(self) -> str:
        if not self.compared:
            return (f"还没有可比较的评分：{self.pending} 份答案有教练建议，但讲师还没有评分。"
                    if self.pending else "还没有教练建议：请先运行 course grade。")
        lines = [f"讲师已评 {self.compared} 份，与回复教练的建议一致 {self.agreed} 份"
                 f"（{self.agreed / self.compared:.0%}）；讲师平均比教练"
                 f"{'高' if self.mean_difference >= 0 else '低'} {abs(self.mean_difference):.2f} 分；"
                 f"还有 {self.pending} 份待讲师评分。"]
        if self.overrides:
            lines.append("讲师改动了教练建议的答案（作业 / 学员 / 题目：教练建议 → 讲师评分，教练评分）：")
            lines += [f"  {a} / {s} / {c}：{sug:g} → {fin:g}（{score if score is not None else '无'}/100）"
                      for a, s, c, sug, fin, score in self.overrides]
        return "\n".join(lines)


def agreement(root: Path | str, assignment: str | None = None) -> Agreement:
    """Compare the coach's suggestions with the trainer's final manual scores in the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    from course.grading.gradebook import db_url

    root = Path(root).resolve()
    store = _load(root)
    url = db_url(root)
    compared = agreed = pending = 0
    diffs: list[float] = []
    overrides = []
    with Gradebook(url) as gb:
        for key, s in sorted(store.items()):
            a, student, notebook, cell = key.split("/", 3)
            if assignment and a != assignment:
                continue
            try:
                g = gb.find_grade(cell, notebook, a, student)
            except MissingEntry:
                continue
            if g.manual_score is None:
                pending += 1
                continue
            compared += 1
            final = float(g.manual_score)
            diffs.append(final - s["suggested"])
            if abs(final - s["suggested"]) < 1e-6:
                agreed += 1
            else:
                overrides.append((a, student, cell, s["suggested"], final, s["coach_score"]))
    return Agreement(compared, agreed, pending, sum(diffs) / len(diffs) if diffs else 0.0,
                     tuple(overrides))
