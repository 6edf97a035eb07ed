"""``course paper``: an nbgrader assignment assembled from the item bank (题库组卷).

A paper spec (YAML, kept on the instructor's side next to ``source/``, never released) lists
items of the bank, their points and, for choice and ordering items, the right option ids::

    name: pretest
    title: 课前诊断
    minutes: 20
    attempt: 0            # the post-test uses 1: same items, fresh numbers
    mode: exam            # optional: no feedback before the window closes (course.grading.exam)
    window: {open: "2026-12-10 09:00", close: "2026-12-10 09:30"}
    intro: 说明文字
    items:
      - {ref: diag.bill_month, points: 2}
      - {ref: diag.policy_a, points: 2, correct: true_point}

:func:`build_paper` writes ``source/<name>/<name>.ipynb``: per item a locked question cell,
a locked cell showing the learner's own variant, an answer cell and a graded test cell whose
hidden part computes the expected answer for the same learner (tagged with the item's skill,
so ``course report`` can show mastery and learning gain per skill).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import yaml

from course.itembank import ItemBankError, get_item, variant

__all__ = ["PaperError", "PaperSpec", "build_paper", "load_spec"]

_FORMAT = {"bill": "金额（元），只写数字", "rollover": "用水量（立方米），只写数字",
           "chart": "一个数（立方米或元/立方米，看题目问的是什么），只写数字",
           "choice": "一个字母，例如 B", "multi": "所有正确选项的字母，写在花括号里，例如 {A, C}",
           "order": "按先后顺序排好的字母列表，例如 [C, A, B, D]", "drill": "一个字母，例如 B",
           "rewrite": "一段中文回复，写在引号里，例如 \"王先生，……\""}
#: A rewrite earns one point for each part the reply coach judges (see course.grading.reply_checks).
REWRITE_PARTS = ("clean", "core", "next")


class PaperError(ValueError):
    """A bad paper spec, explained in Chinese."""


@dataclass(frozen=True)
class PaperSpec:
    """What a paper holds: its name, title, time, attempt and items."""

    name: str
    title: str
    minutes: int
    attempt: int
    intro: str
    items: tuple[dict[str, Any], ...]
    exam: dict[str, str] | None = None  # exam mode: {"open": …, "close": …} (either optional)


def load_spec(path: Path | str) -> PaperSpec:
    """Read and check a paper spec; every problem names the item and field in Chinese."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise PaperError(f"读不了组卷文件 {path}：{exc}") from exc
    for field in ("name", "title", "items"):
        if not raw.get(field):
            raise PaperError(f"组卷文件 {path.name} 缺少 {field}。")
    items = []
    for n, entry in enumerate(raw["items"], start=1):
        where = f"{path.name} 第 {n} 题"
        if not isinstance(entry, dict) or "ref" not in entry:
            raise PaperError(f"{where}：要写 ref（题库里的题目编号，例如 diag.bill_month）。")
        try:
            item = get_item(entry["ref"])
        except ItemBankError as exc:
            raise PaperError(f"{where}：{exc}") from exc
        points = entry.get("points", len(REWRITE_PARTS) if item.kind == "rewrite" else 2)
        if not isinstance(points, int | float) or points <= 0:
            raise PaperError(f"{where}：points 应当是正数。")
        if item.kind == "rewrite" and points != len(REWRITE_PARTS):
            raise PaperError(f"{where}：改写题固定 {len(REWRITE_PARTS)} 分（没有禁语、回应了这条投诉、"
                             "有具体的下一步，各 1 分），不用写 points。")
        if item.kind in ("choice", "multi", "order"):
            _check_correct(where, item.kind, entry.get("correct"), variant(item.ref, "check"))
        items.append({**entry, "points": points, "kind": item.kind, "skill": item.skill})
    return PaperSpec(str(raw["name"]), str(raw["title"]), int(raw.get("minutes") or 0),
                     int(raw.get("attempt") or 0), str(raw.get("intro") or "").strip(),
                     tuple(items), _exam(path, raw))


def _exam(path: Path, raw: dict[str, Any]) -> dict[str, str] | None:
    from course.grading.exam import parse_time

    mode = raw.get("mode", "practice")
    if mode not in ("practice", "exam"):
        raise PaperError(f"{path.name}：mode 只能是 practice（练习）或 exam（考试）。")
    if mode == "practice":
        if raw.get("window"):
            raise PaperError(f"{path.name}：window（考试时间）只用于 mode: exam。")
        return None
    window = raw.get("window") or {}
    if not isinstance(window, dict) or set(window) - {"open", "close"}:
        raise PaperError(f"{path.name}：window 写成 {{open: 开始时间, close: 截止时间}}。")
    try:
        times = {k: parse_time(v, f"window.{k}") for k, v in window.items() if v}
    except ValueError as exc:
        raise PaperError(f"{path.name}：{exc}") from exc
    if len(times) == 2 and times["close"] <= times["open"]:
        raise PaperError(f"{path.name}：window 的 close 要晚于 open。")
    return {k: f"{v:%Y-%m-%d %H:%M}" for k, v in times.items()}


def _check_correct(where: str, kind: str, correct: Any, shown: Any) -> None:
    ids = {oid for _, oid, _ in shown.options}
    wanted = [correct] if kind == "choice" else correct
    if not wanted or not isinstance(wanted, list) or any(c not in ids for c in wanted):
        raise PaperError(f"{where}：correct 要写正确选项的 id（可选：{'、'.join(sorted(ids))}）"
                         + ("，一个" if kind == "choice" else "，写成列表") + "。")
    if kind == "order" and sorted(wanted) != sorted(ids):
        raise PaperError(f"{where}：排序题的 correct 要把每一步的 id 都按顺序列出。")


def _most_options(item: Any) -> int:
    from course.crisis import incident

    return max(len(cp.options) for i in item.spec["incidents"] for cp in incident(i).checkpoints)


_PART_TEXT = {"clean": "没有禁语和语言地雷", "core": "回应了这条投诉", "next": "有具体的下一步"}


def _q(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _meta(cell: Any, grade_id: str, *, grade: bool = False, solution: bool = False,
          points: float | None = None, locked: bool = True) -> Any:
    cell.metadata["nbgrader"] = {"grade": grade, "grade_id": grade_id, "locked": locked,
                                 "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        cell.metadata["nbgrader"]["points"] = points
    cell.id = grade_id.replace("_", "-")
    return cell


def _call(kind: str, ref: str, entry: dict[str, Any], attempt: int, module: str = "") -> str:
    if kind in ("bill", "rollover", "chart"):
        extra = f", attempt={attempt}" if attempt else ""
        return f"{module}answer({_q(ref)}{extra})"
    if kind in ("drill", "rewrite"):
        extra = f", attempt={attempt}" if attempt else ""
        return f"{module}{'best' if kind == 'drill' else 'model_reply'}({_q(ref)}{extra})"
    fn = {"choice": "letter", "multi": "letters", "order": "sequence"}[kind]
    return f"{module}{fn}({_q(ref)}, {_q(entry['correct'])})"


def _check(kind: str, var: str, ref: str, entry: dict[str, Any], attempt: int) -> tuple[str, str]:
    """(visible format check, hidden check) of one item."""
    n = len(variant(ref, "check").options) if kind != "drill" else _most_options(get_item(ref))
    letters = "ABCDEFGH"[:n]
    if kind in ("bill", "rollover", "chart"):
        visible = f"expect_number({var}, {_q(var)}, minimum=0, maximum=100000)"
        extra = f", attempt={attempt}" if attempt else ""
        hidden = (f"expect_close({var}, {_call(kind, ref, entry, attempt, 'bank.')}, {_q(var)}, "
                  f"tol=0.01,\n             hint=bank.hint({_q(ref)}{extra}))")
        return visible, hidden
    if kind == "rewrite":
        return (f"expect_text({var}, {_q(var)}, min_chars=30, max_chars=600)",
                f'fresh_module("course.grading.reply_checks").expect_rewrite({var}, {_q(var)}, {_q(ref)}, '
                '{part!r}' + (f", attempt={attempt})" if attempt else ")"))
    expect = {"choice": "expect_choice", "multi": "expect_choices", "order": "expect_order",
              "drill": "expect_choice"}[kind]
    visible = f"{expect}({var}, {_q(var)}, {_q(letters)})"
    hidden = (f"expect_same({visible}, {_call(kind, ref, entry, attempt, 'bank.')}, {_q(var)},\n"
              f"            hint=bank.hint({_q(ref)}))")
    return visible, hidden


def build_paper(spec: PaperSpec, root: Path | str) -> Path:
    """Write ``source/<name>/<name>.ipynb`` for ``spec`` under the course ``root``."""
    total = sum(e["points"] for e in spec.items)
    lines = [f"# {spec.title}", "",
             f"**满分 {total:g} 分**，共 {len(spec.items)} 题，全部自动评分"
             + (f"，建议用时 {spec.minutes} 分钟" if spec.minutes else "") + "。"]
    if spec.intro:
        lines += ["", spec.intro]
    if spec.exam is not None:
        from course.grading.exam import ExamSettings, parse_time

        settings = ExamSettings(*(parse_time(spec.exam[k], k) if spec.exam.get(k) else None
                                  for k in ("open", "close")))
        lines += ["", f"**这是考试**（{settings.describe()}）：交卷评分之前看不到对错，"
                      "考试结束后才能取回得分和反馈。请独立完成，按时提交。"]
    lines += ["", "**怎么做**：从上到下依次运行每个格子；每题先运行显示题目的格子，再把 `None` 换成你的答案。"
              "每位学员的数字和选项顺序都不一样。每题下面的“检查格式”格子只检查格式，不告诉你对错；"
              "提交后系统评分，再取回得分和反馈。"]
    cells = [_meta(nbformat.v4.new_markdown_cell("\n".join(lines)), "intro")]
    kinds = {e["kind"] for e in spec.items}
    scene_names = "".join(f", {n}" for k, n in (("drill", "best"), ("rewrite", "model_reply")) if k in kinds)
    text_check = ", expect_text" if "rewrite" in kinds else ""
    cells.append(_meta(nbformat.v4.new_code_cell(
        "# 准备：运行这个格子（不用修改）\n"
        "import course.learner\n"
        f"from course.itembank import show, answer, letter, letters, sequence{scene_names}\n"
        "from course.grading.checks import expect_number, expect_close, expect_choice, "
        f"expect_choices, expect_order, expect_same, fresh_module{text_check}\n"
        "course.learner.setup()  # 中文输入法的标点也能识别；写错时显示中文提示"), "setup"))
    for n, entry in enumerate(spec.items, start=1):
        ref, kind, var = entry["ref"], entry["kind"], f"q{n}"
        text = (f"**第 {n} 题（{entry['points']:g} 分）** 运行下一格显示题目；"
                f"答案写成{_FORMAT[kind]}。")
        cells.append(_meta(nbformat.v4.new_markdown_cell(text), f"{var}_text"))
        extra = f", attempt={spec.attempt}" if spec.attempt and kind not in ("choice", "multi", "order") else ""
        cells.append(_meta(nbformat.v4.new_code_cell(f"show({_q(ref)}{extra})"), f"{var}_show"))
        solution = _call(kind, ref, entry, spec.attempt)
        cells.append(_meta(nbformat.v4.new_code_cell(
            f"{var} = (\n    ### BEGIN SOLUTION\n    {solution}\n    ### END SOLUTION\n)"),
            f"{var}_answer", solution=True, locked=False))
        visible, hidden = _check(kind, var, ref, entry, spec.attempt)
        parts = REWRITE_PARTS if kind == "rewrite" else (None,)
        for part in parts:
            gid = var if part is None else f"{var}_{part}"
            what = "" if part is None else f"（1 分：{_PART_TEXT[part]}）"
            test = nbformat.v4.new_code_cell(
                f'"""检查 {var} 的格式{what}。"""\n{visible}\n### BEGIN HIDDEN TESTS\n'
                f'bank = fresh_module("course.itembank")\n{hidden if part is None else hidden.format(part=part)}\n### END HIDDEN TESTS')
            _meta(test, gid, grade=True, points=entry["points"] if part is None else 1)
            if entry.get("skill"):
                test.metadata["course"] = {"skills": [entry["skill"]], "item": ref}
            cells.append(test)
    nb = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"name": "python"},
        **({"course": {"exam": spec.exam}} if spec.exam is not None else {})})
    nbformat.validate(nb)
    path = Path(root) / "source" / spec.name / f"{spec.name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path
