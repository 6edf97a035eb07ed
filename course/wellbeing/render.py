"""HTML for the debrief card and the after-care checklist, with styles for printing.

Both render the same in a notebook and on paper: ``@media print`` drops colours and shadows,
keeps each block on one page, and leaves room to write. :func:`debrief_page` wraps the card in a
standalone A4 page (:func:`page`) to open in a browser and print.
"""

from __future__ import annotations

from html import escape
from typing import Any

# The cards' own methods call these functions, so this module does not import the model
# (no import cycle): ``card`` is a DebriefCard and ``protocol`` an AftercareProtocol.

__all__ = ["PRINT_CSS", "aftercare_html", "debrief_html", "page"]

PRINT_CSS = """
.course-print-card{font-size:15px;line-height:1.7;max-width:46em;border:1px solid #bbb;
  border-radius:6px;padding:12px 18px;margin:8px 0;background:#fff;color:#222}
.course-print-card h3{margin:4px 0 8px;font-size:1.25em}
.course-print-card h4{margin:10px 0 4px;font-size:1.05em}
.course-print-card .course-note{color:#555;font-size:.92em}
.course-print-card .course-lines{border-bottom:1px dashed #999;height:2.2em;margin:0 0 2px}
.course-print-card ul.course-checklist{list-style:none;padding-left:0;margin:4px 0}
.course-print-card ul.course-checklist li{padding-left:1.6em;text-indent:-1.6em;margin:3px 0}
.course-print-card .course-box{display:inline-block;width:1.6em;text-indent:0}
.course-print-card .course-who{color:#555;font-size:.9em}
.course-print-card .course-trainer{border-top:2px solid #ddd;margin-top:12px;padding-top:6px}
@media print{
  .course-print-card{border:1px solid #000;box-shadow:none;max-width:none;color:#000;
    font-size:12pt;page-break-inside:avoid;break-inside:avoid}
  .course-print-card .course-block{page-break-inside:avoid;break-inside:avoid}
  .course-print-card .course-trainer{page-break-before:always;break-before:page}
  .course-print-card a{color:#000;text-decoration:none}
  .course-print-card a[href]::after{content:" (" attr(href) ")";font-size:9pt}
}
"""

_PAGE_CSS = """
@page{size:A4;margin:15mm}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:0}
@media print{.course-print-card{border:none;padding:0;margin:0}}
"""


def _style() -> str:
    return f"<style>{PRINT_CSS}</style>"


def debrief_html(card: Any, *, lines: int = 2) -> str:
    """The pair debrief card: how to use it, the five questions with room to write, and a
    section for the trainer (printed on its own page)."""
    questions = "".join(
        f'<div class="course-block"><h4>{n}. {escape(q.title)}</h4>'
        f'<div class="course-note">{escape(q.prompt)}</div>'
        + '<div class="course-lines"></div>' * lines + "</div>"
        for n, q in enumerate(card.questions, 1))
    listener = "".join(f"<li>{escape(x)}</li>" for x in card.listener)
    rules = "".join(f"<li>{escape(x)}</li>" for x in card.rules)
    return (f'{_style()}<div class="course-print-card course-debrief-card">'
            f"<h3>{escape(card.title)}</h3>"
            f'<p class="course-note">{escape(card.how)}</p>{questions}'
            f'<div class="course-block"><h4>听的人可以这样问</h4><ul>{listener}</ul></div>'
            f'<div class="course-trainer course-block"><h4>给讲师：怎样组织</h4>'
            f"<p><b>时间：</b>{escape(card.timing)}</p><ul>{rules}</ul>"
            f'<p class="course-note">依据：{escape(card.basis)}</p></div></div>')


def page(title: str, body: str) -> str:
    """A standalone HTML page holding only ``body`` (a card), ready to print on A4."""
    return ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{_PAGE_CSS}</style></head>"
            f"<body>{body}</body></html>")


def _source_note(numbers: list[int]) -> str:
    return "".join(f"<sup>[{n}]</sup>" for n in numbers)


def aftercare_html(protocol: Any) -> str:
    """The after-care protocol as a checklist, stage by stage, with its sources at the end."""
    numbers = {s.id: n for n, s in enumerate(protocol.sources, 1)}
    stages = []
    for k, stage in enumerate(protocol.stages, 1):
        items = "".join(
            f'<li class="course-aftercare-step"><span class="course-box">☐</span>{escape(s.text)}'
            f"{_source_note([numbers[x.id] for x in s.sources])}"
            f' <span class="course-who">（{escape(s.who)}）</span></li>'
            for s in stage.steps)
        stages.append(f'<div class="course-block course-aftercare-stage" data-stage="{stage.id}">'
                      f"<h4>{k}. {escape(stage.title)}<span class=\"course-who\">　{escape(stage.when)}"
                      f'</span></h4><ul class="course-checklist">{items}</ul></div>')
    sources = "".join(
        f"<li>{escape(s.text)}"
        + (f' <a href="{escape(s.url, quote=True)}">{escape(s.url)}</a>' if s.url else "")
        + "</li>" for s in protocol.sources)
    employer = f"（{escape(protocol.utility)}）" if protocol.utility else ""
    return (f'{_style()}<div class="course-print-card course-aftercare">'
            f"<h3>{escape(protocol.title)}{employer}</h3>"
            f'<p class="course-note">{escape(protocol.scope)}</p>{"".join(stages)}'
            f'<div class="course-block course-note"><b>来源</b><ol>{sources}</ol>'
            f"<p>依据：{escape(protocol.basis)}</p></div></div>")
