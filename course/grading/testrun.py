"""The clean interpreter of ``course grade``: the instructor's cells on the learner's answers.

Runs in a process forked from the grading zygote after the learner's kernel and everything it
started were killed, so no learner code ever ran in it. It executes the setup and test cells
of a :class:`~course.grading.plan.Plan` in notebook order, binding each test's answers (plain
data, :mod:`course.grading.answers`) just before it, and records what each test cell would
have shown in a kernel: stream output, the value of a last expression, or the error. Those
outputs are what nbgrader grades, so scores follow nbgrader's own rules. Error outputs carry
only the check's Chinese message, never a traceback with test source.
"""

from __future__ import annotations

import ast
import contextlib
import io
import signal
import sys
from typing import Any

from course.grading.answers import MISSING, decode

__all__ = ["CellTimeout", "run"]

_MISSING_NOTE = "{name} 还没有答案：请运行它的答案格子，并确认格子没有报错（例如标点要用英文半角）。"
_ERROR_NOTE = "检查这道题时出错（{ename}）：请确认答案的格式符合题目要求。"


class CellTimeout(Exception):
    """A test cell ran longer than the per-cell limit."""


def _on_alarm(_signum: int, _frame: Any) -> None:
    raise CellTimeout


def _error(ename: str, message: str) -> dict[str, Any]:
    line = f"{ename}: {message}" if message else ename
    return {"output_type": "error", "ename": ename, "evalue": message, "traceback": [line]}


def _streams(out: io.StringIO, err: io.StringIO) -> list[dict[str, Any]]:
    outputs = []
    for name, buf in (("stdout", out), ("stderr", err)):
        text = buf.getvalue()
        if text:
            outputs.append({"output_type": "stream", "name": name, "text": text})
    return outputs


def _execute(source: str, ns: dict[str, Any]) -> Any:
    """Run a cell like IPython's ``last_expr`` mode; return the last expression's value."""
    tree = ast.parse(source, mode="exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, "<检查>", "exec"), ns)
    if last is not None:
        return eval(compile(last, "<检查>", "eval"), ns)
    return None


def _run_cell(source: str, ns: dict[str, Any], timeout: float, missing: set[str],
              detail: list[str]) -> list[dict[str, Any]]:
    out, err = io.StringIO(), io.StringIO()
    outputs: list[dict[str, Any]] = []
    if timeout:
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            value = _execute(source, ns)
    except CellTimeout:
        outputs = [*_streams(out, err), _error("CellTimeoutError", "检查这道题超时。")]
    except NameError as exc:
        name = getattr(exc, "name", None)
        message = (_MISSING_NOTE.format(name=name) if name in missing
                   else _ERROR_NOTE.format(ename="NameError"))
        detail.append(f"NameError: {exc}")
        outputs = [*_streams(out, err), _error("AnswerError", message)]
    except AssertionError as exc:  # AnswerError included: its message is the teaching text
        outputs = [*_streams(out, err), _error(type(exc).__name__, str(exc))]
    except Exception as exc:
        detail.append(f"{type(exc).__name__}: {exc}")
        outputs = [*_streams(out, err), _error(type(exc).__name__,
                                               _ERROR_NOTE.format(ename=type(exc).__name__))]
    else:
        outputs = _streams(out, err)
        if value is not None and not hasattr(value, "_ipython_display_"):  # as IPython shows it
            try:
                text = repr(value)
            except Exception:  # a repr that fails shows nothing, as in IPython
                text = ""
            outputs.append({"output_type": "execute_result", "execution_count": None,
                            "data": {"text/plain": text}, "metadata": {}})
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return outputs


def run(steps: list[dict[str, Any]], answers: dict[str, dict[str, Any]],
        cell_timeout: float = 0) -> dict[str, Any]:
    """Execute ``steps`` (dicts of :class:`~course.grading.plan.Step`) with ``answers``.

    ``answers`` maps each test's cell index (as text) to its snapshot (names → encoded values),
    or lacks it when the learner's kernel produced no snapshot there. Returns the outputs of
    every test cell by index and the details of unexpected errors (for the instructor's log).
    """
    import course.grading.checks as checks

    checks.CLEAN_INTERPRETER = True
    signal.signal(signal.SIGALRM, _on_alarm)
    ns: dict[str, Any] = {"__name__": "__main__", "__builtins__": __builtins__}
    results: dict[str, list[dict[str, Any]]] = {}
    detail: list[str] = []
    for step in steps:
        if step["kind"] == "setup":
            out, err = io.StringIO(), io.StringIO()
            try:
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    _execute(step["source"], ns)
            except Exception as exc:
                detail.append(f"准备格子 {step['grade_id']} 出错：{type(exc).__name__}: {exc}")
            continue
        snapshot = answers.get(str(step["index"]))
        missing: set[str] = set()
        if snapshot is None:
            missing = set(step["names"])
        else:
            for name in step["names"]:
                value = decode(snapshot.get(name, {"$": "missing"}))
                if value is MISSING:
                    missing.add(name)
                else:
                    ns[name] = value
        for name in missing:
            ns.pop(name, None)
        results[str(step["index"])] = _run_cell(step["source"], ns, cell_timeout, missing,
                                                detail)
    sys.stdout.flush()
    return {"outputs": results, "detail": detail}
