"""Tables a learner reads: every cell shown in full, Chinese left-aligned, no row numbers.

pandas' notebook display cuts long text with "…", right-aligns everything and shows a 0-based
index; :class:`Table` shows the same rows the way a printed handout would.

>>> t = table([{"档位": "第一档", "单价": 3.4}, {"档位": "第二档", "单价": 4.4}])
>>> print(t)
档位｜单价
第一档｜3.40
第二档｜4.40
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

__all__ = ["Table", "table"]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.2f}" if not value.is_integer() else f"{value:.0f}"
    return str(value)


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class Table:
    """Rows of values under Chinese column headings."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    caption: str = ""

    def __str__(self) -> str:
        lines = [self.caption] if self.caption else []
        lines.append("｜".join(self.columns))
        lines += ["｜".join(_cell(v) for v in row) for row in self.rows]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(f'<th style="text-align:left">{escape(c)}</th>' for c in self.columns)
        body = "".join(
            "<tr>" + "".join(
                f'<td style="text-align:{"right" if _numeric(v) else "left"};'
                f'white-space:pre-wrap;vertical-align:top">{escape(_cell(v))}</td>'
                for v in row) + "</tr>"
            for row in self.rows)
        caption = (f'<caption style="text-align:left;font-weight:bold;caption-side:top">'
                   f"{escape(self.caption)}</caption>" if self.caption else "")
        return (f'<table class="course-table" style="border-collapse:collapse;'
                f'max-width:100%;line-height:1.6">{caption}<thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")


def table(data: Iterable[Mapping[str, Any]] | Any, columns: Sequence[str] | None = None,
          caption: str = "") -> Table:
    """A :class:`Table` from rows (mappings of heading → value) or a pandas ``DataFrame``."""
    if hasattr(data, "to_dict") and hasattr(data, "columns"):
        data = data.to_dict("records")
    rows = list(data)
    heads = tuple(columns) if columns else tuple(dict.fromkeys(k for r in rows for k in r))
    return Table(columns=heads, rows=tuple(tuple(r.get(c) for c in heads) for r in rows),
                 caption=caption)
