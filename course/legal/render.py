"""The legal card as learners and trainers see it: HTML (one printed A4 page) and plain text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

from course.legal.model import Entry, checked_text

__all__ = ["CSS", "NOTE", "Card"]

NOTE = "本卡只作一般性说明，不是法律意见；出处见课程数据文件 course/data/legal.yaml。"
HEADS = ("事项", "依据（现行版本）", "通俗说明", "可以这样说", "必须转交 / 上报")
WIDTHS = ("9%", "24%", "24%", "22%", "21%")

# Scoped to the card, so printing a notebook is not restyled; the print rules keep it on one A4 page.
CSS = """
.course-legal-card{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",
 "PingFang SC",sans-serif;font-size:13px;line-height:1.45;color:#111;max-width:1100px}
.course-legal-card h3{margin:0 0 4px;font-size:1.35em}
.course-legal-card p{margin:2px 0 6px}
.course-legal-card table{border-collapse:collapse;width:100%;table-layout:fixed}
.course-legal-card th,.course-legal-card td{border:1px solid #888;padding:3px 4px;
 vertical-align:top;text-align:left;overflow-wrap:anywhere}
.course-legal-card th{background:#e8eef5}
.course-legal-card .cite{font-weight:bold}
.course-legal-card .version,.course-legal-card .local{color:#444;font-size:.88em}
.course-legal-card ul{margin:0;padding-left:1.1em}
.course-legal-card .note{font-size:.85em;color:#444}
@media print{
 @page{size:A4 portrait;margin:8mm}
 .course-legal-card{font-size:7.4pt;line-height:1.3;max-width:none}
 .course-legal-card th,.course-legal-card td{padding:1.5px 2.5px}
 .course-legal-card tr{break-inside:avoid}
 .course-legal-card th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""


def _items(lines: tuple[str, ...]) -> str:
    if len(lines) == 1:
        return escape(lines[0])
    return "<ul>" + "".join(f"<li>{escape(s)}</li>" for s in lines) + "</ul>"


def _local_names(e: Entry) -> str:
    from course.local import TOPICS

    return "、".join(f"「{TOPICS[t]}」" for t in e.local)


def _row(e: Entry) -> str:
    basis = "<br>".join(
        f'<span class="cite">{escape(b.cite())}</span><br>'
        f'<span class="version">{escape(b.issuer)}；{escape(b.version)}</span>' for b in e.basis)
    gist = escape(e.gist)
    if e.local:
        gist += f'<br><span class="local">本单位做法：见本地规定卡{escape(_local_names(e))}</span>'
    cells = (f"<b>{escape(e.topic)}</b>", basis, gist, _items(e.may_say), _items(e.refer))
    return f'<tr data-entry="{escape(e.id)}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


@dataclass(frozen=True)
class Card:
    """The legal card (all entries, or the ones a lesson picked): HTML in a notebook, text in print()."""

    title: str
    scope: str
    checked: date
    entries: tuple[Entry, ...]

    def html(self) -> str:
        """The card as an HTML fragment with its own (scoped) styles."""
        cols = "".join(f'<col style="width:{w}">' for w in WIDTHS)
        head = "".join(f"<th>{h}</th>" for h in HEADS)
        rows = "".join(_row(e) for e in self.entries)
        return (f'<div class="course-legal-card"><style>{CSS}</style>'
                f"<h3>{escape(self.title)}</h3>"
                f"<p><b>{escape(self.scope)}</b> 核对日期：{checked_text(self.checked)}。</p>"
                f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
                f"<tbody>{rows}</tbody></table>"
                f'<p class="note">{escape(NOTE)}</p></div>')

    def page(self) -> str:
        """A standalone HTML page to open in a browser and print (one A4 page)."""
        return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
                f"<title>{escape(self.title)}</title>"
                "<style>@page{size:A4 portrait;margin:8mm}body{margin:12px}"
                "@media print{body{margin:0}}</style></head>"
                f"<body>{self.html()}</body></html>")

    def save(self, path: str | Path = "法律依据卡.html") -> None:
        """Write :meth:`page` to a file, to open in a browser and print on one A4 page."""
        target = Path(path)
        target.write_text(self.page(), encoding="utf-8")
        print(f"已保存：{target}。用浏览器打开后打印（A4 纸，纵向），正好一页。")

    def text(self) -> str:
        """The card as plain text."""
        parts = [self.title, self.scope, f"核对日期：{checked_text(self.checked)}", ""]
        for e in self.entries:
            parts.append(str(e))
            if e.local:
                parts.append(f"  本单位做法：见本地规定卡{_local_names(e)}")
            parts.append("")
        parts.append(NOTE)
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return self.html()

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"<Card {self.title}: {len(self.entries)} entries>"
