"""The chapter 3 lesson: its contents cell matches its headings, and every hard case is taught."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from course import roleplay as rp

LESSON = Path(__file__).resolve().parents[1] / "notebooks" / "03_恶意投诉.ipynb"
NB = nbformat.read(LESSON, as_version=4)
SKIP = {"目录", "学习目标", "怎样使用本页"}


def _headings() -> list[str]:
    out = []
    for cell in NB.cells:
        if cell.cell_type != "markdown" or "<!-- toc -->" in cell.source:
            continue
        for line in cell.source.splitlines():
            m = re.match(r"^#{2,3} (.+)$", line)
            if m and m.group(1) not in SKIP:
                out.append(m.group(1))
    return out


def test_contents_cell_lists_every_heading_in_order():
    toc = next(c for c in NB.cells if "<!-- toc -->" in c.source)
    listed = re.findall(r"- \[(.+?)\]\(#", toc.source)
    assert listed == _headings()


def test_every_hard_case_has_its_own_analysis():
    text = "\n".join(c.source for c in NB.cells if c.cell_type == "markdown")
    sections = re.findall(r"^### 8\.(\d) ", text, flags=re.M)
    assert sorted(int(n) for n in sections) == sorted(rp.scenario(s).case for s in rp.scenarios() if rp.scenario(s).case)


def test_lesson_opens_with_objectives_and_ends_with_key_points():
    assert "学习目标" in NB.cells[0].source and "预计用时" in NB.cells[0].source
    assert NB.cells[-1].source.startswith("## 要点回顾")
