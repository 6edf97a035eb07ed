"""Notebook sections: a heading and everything up to the next heading of the same or higher level."""

from __future__ import annotations

import json
import re
import time
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["Section", "normalise", "read_notebook", "read_sections"]

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_DROP = re.compile(r"[\s*]+")


def normalise(text: str) -> str:
    """Text for matching: full/half-width folded (NFKC), no whitespace or ``*`` emphasis, lower case."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text)).lower()


def heading_key(text: str) -> str:
    """A heading as looked up: NFKC-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class Section:
    """One section of a notebook: its heading, its markdown text and the source of its code cells."""

    notebook: str
    heading: str
    level: int
    markdown: str
    code: tuple[str, ...]

    @property
    def source_text(self) -> str:
        return "\n".join([self.heading, self.markdown, *self.code])


def _chunks(nb: dict) -> tuple[list[tuple[str, str]], list[tuple[int, int, str]]]:
    """Flatten a notebook into (kind, text) chunks and (chunk index, level, heading) marks."""
    chunks: list[tuple[str, str]] = []
    marks: list[tuple[int, int, str]] = []
    for cell in nb.get("cells", []):
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        if cell.get("cell_type") == "code":
            chunks.append(("code", src))
            continue
        if cell.get("cell_type") != "markdown":
            continue
        fenced = False
        for line in src.splitlines():
            if _FENCE.match(line):
                fenced = not fenced
            m = None if fenced else _HEADING.match(line)
            if m:
                marks.append((len(chunks), len(m.group(1)), m.group(2)))
                chunks.append(("heading", m.group(2)))
            else:
                chunks.append(("markdown", line))
    return chunks, marks


def read_notebook(path: Path) -> dict:
    """A notebook's JSON. A file caught half-written (another editor saving it) is read again."""
    from course.syllabus.model import SyllabusError

    for attempt in range(5):
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            if attempt == 4:
                raise SyllabusError(f"笔记本 {path} 不是有效的 .ipynb 文件：{exc}") from exc
            time.sleep(0.3)
    raise AssertionError  # unreachable


@cache
def _read(path: str, mtime: float) -> tuple[Section, ...]:
    nb = read_notebook(Path(path))
    chunks, marks = _chunks(nb)
    sections = []
    for i, (start, level, heading) in enumerate(marks):
        end = next((s for s, lv, _ in marks[i + 1:] if lv <= level), len(chunks))
        body = chunks[start + 1:end]
        sections.append(Section(
            notebook=path, heading=heading, level=level,
            markdown="\n".join(t for k, t in body if k != "code"),
            code=tuple(t for k, t in body if k == "code"),
        ))
    return tuple(sections)


def read_sections(path: Path) -> tuple[Section, ...]:
    """Every section of the notebook at ``path`` (cached while the file is unchanged)."""
    return _read(str(path), path.stat().st_mtime)
