"""Every notebook in notebooks/, source/ and release/ executes top to bottom.

Lessons and source assignments run without any error or stderr output (a lesson cell tagged
``raises-exception`` shows a course error on purpose: it must be Chinese). Released assignments
run with their answers still blank: the only errors allowed are the visible tests'
``AnswerError`` ("还没有填写…"), which tell the learner what to do. In lessons and released
assignments no output shows a raw Python value (``True``, a tuple, a dict, ``104.0``, an
echoed ``'B'``, a long float, an object repr): learners read formatted Chinese.
"""

from __future__ import annotations

import os
import re
import sys
from functools import cache
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(
    p.relative_to(REPO).as_posix()
    for folder in ("notebooks", "source", "release")
    for p in (REPO / folder).rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)

pytestmark = pytest.mark.notebooks


def _execute(path: Path, allow_errors: bool) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]
    client = NotebookClient(
        nb,
        timeout=180,
        kernel_name="python3",
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return nb


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _problems(nb: nbformat.NotebookNode, released: bool) -> list[str]:
    problems = []
    for i, cell in enumerate(nb.cells):
        expected = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and out.name == "stderr":
                problems.append(f"cell {i}: stderr: {out.text[:300]}")
            if out.output_type != "error":
                continue
            shown = "\n".join(out.get("traceback", []))
            if released and out.ename == "AnswerError":
                continue
            if expected and _CJK.search(shown) and "Traceback" not in shown:
                continue
            problems.append(f"cell {i}: {out.ename}: {out.evalue[:300]}")
    return problems


RAW = (
    (re.compile(r"^(True|False|None)$"), "True/False/None"),
    (re.compile(r"^\(.*,.*\)$", re.S), "a tuple"),
    (re.compile(r"^\{.*:.*\}$", re.S), "a dict"),
    (re.compile(r"^\[.*\]$", re.S), "a list"),
    (re.compile(r"^-?\d+\.\d*$"), "a bare float"),
    (re.compile(r"^'.*'$|^\".*\"$", re.S), "a quoted string"),
    (re.compile(r"\d\.\d{5,}"), "a long float"),
    (re.compile(r"<[\w.]+ object at 0x|<function "), "an object repr"),
    # "把 None 换成……" names the placeholder learners replace: that one is not a value
    (re.compile(r"(?<![\w.\"'])(True|False|(?<!把 )None(?! 换成))(?![\w\"'])"), "True/False/None"),
)


def _plain_texts(cell: nbformat.NotebookNode) -> list[str]:
    out: list[str] = []
    for o in cell.get("outputs", []):
        if o.output_type == "execute_result":
            data = o.get("data", {})
            if "text/html" in data:
                out.append(re.sub(r"<[^>]+>", " ", "".join(data["text/html"])))
            elif not any(k in data for k in ("image/png", "text/markdown",
                                              "application/vnd.jupyter.widget-view+json")):
                out.append("".join(data.get("text/plain", "")))
        elif o.output_type == "display_data" and "text/html" in o.get("data", {}):
            out.append(re.sub(r"<[^>]+>", " ", "".join(o["data"]["text/html"])))
        elif o.output_type == "stream" and o.name == "stdout":
            out += o.text.splitlines()
    return out


def raw_values(nb: nbformat.NotebookNode) -> list[str]:
    """Outputs a learner would see as raw Python (calculator cells excepted)."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "计算器" in cell.source.split("\n", 1)[0]:
            continue
        for text in _plain_texts(cell):
            for pattern, kind in RAW:
                if pattern.search(text.strip()):
                    found.append(f"cell {i} shows {kind}: {text.strip()[:80]!r}")
                    break
    return found


@cache
def _executed(relpath: str) -> nbformat.NotebookNode:
    return _execute(REPO / relpath, allow_errors=True)


@pytest.mark.parametrize("relpath", NOTEBOOKS)
def test_notebook_executes_top_to_bottom(relpath):
    released = relpath.startswith("release/")
    nb = _executed(relpath)
    assert _problems(nb, released) == []
    if not relpath.startswith("source/"):
        assert raw_values(nb) == [], "learners would see raw Python values"


def test_the_raw_value_scan_finds_what_it_looks_for():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    def cell(text, kind="execute_result"):
        if kind == "stream":
            out = new_output("stream", name="stdout", text=text)
        else:
            out = new_output("execute_result", data={"text/plain": text}, execution_count=1)
        return new_code_cell("x", outputs=[out])

    bad = ["True", "(10.16, 14.9)", "{'水费': 454.0}", "104.0", "'B'", "三层结构： True",
           "0.6774193548387097", "<course.Foo object at 0x7f>"]
    nb = new_notebook(cells=[cell(t) for t in bad[:5]] + [cell(t, "stream") for t in bad[5:]])
    assert len(raw_values(nb)) == len(bad)
    good = new_notebook(cells=[cell("104.00 元"), cell("三层结构：成立", "stream"),
                               cell("第1档 0–15 立方米", "stream")])
    assert raw_values(good) == []
