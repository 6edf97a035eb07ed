"""The kit as printed A4 pages: HTML for WeasyPrint (``course.pdf``) and the PDFs on disk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from typing import Any

from course.kits.cards import Card, KitError, customer_card, observer_sheet, staff_card

__all__ = ["KIT_CSS", "build_kits", "kit_cards", "render_html"]

KIT_CSS = """
.cut { border-top: 1pt dashed #555; color: #555; font-size: 8pt; text-align: center;
       margin: 0 0 4pt; padding-top: 1pt; }
.banner { font-weight: bold; font-size: 11pt; padding: 3pt 6pt; margin-bottom: 4pt; color: #fff; }
.customer .banner { background: #b03a2e; } .staff .banner { background: #1f5f8b; }
.observer .banner { background: #3b6e3b; }
.customer, .staff { font-size: 9pt; line-height: 1.32; }
.customer h1, .staff h1 { font-size: 15pt; margin: 2pt 0; }
.customer h2, .staff h2 { font-size: 11.5pt; margin: 6pt 0 2pt; }
.meta { color: #555; font-size: 9pt; margin-bottom: 4pt; }
ul.lines { margin: 0; padding-left: 14pt; } ul.lines li { margin: 1pt 0; }
.hint { color: #444; font-size: 8pt; }
.observer { font-size: 8.5pt; line-height: 1.25; } .observer h2 { font-size: 10.5pt; margin: 4pt 0 1pt; }
.observer h1 { font-size: 14pt; }
.observer table td { padding: 1pt 3pt; border: 0.4pt solid #bbb; }
.observer td.box { width: 12pt; text-align: center; }
.observer .hint { font-size: 7pt; }
.cols { columns: 2; column-gap: 8pt; } ul.cols li { break-inside: avoid; }
.notes { border: 0.6pt solid #999; height: 20pt; margin-top: 3pt; padding: 2pt 4pt; color: #777; }
"""


def _item_li(text: str, hint: str) -> str:
    tail = f'<br><span class="hint">{escape(hint)}</span>' if hint else ""
    return f"<li>{escape(text)}{tail}</li>"


def _sheet_rows(items: Iterable[Any]) -> str:
    rows = "".join(
        f'<tr><td class="box"><span class="box"></span></td><td><b>{escape(i.text)}</b>'
        + (f' <span class="hint">{escape(i.hint)}</span>' if i.hint else "") + "</td></tr>"
        for i in items)
    return f"<table>{rows}</table>"


def _card_html(card: Card, header: str) -> str:
    parts = [f'<section class="page {card.kind}">',
             '<div class="cut">- - - - 剪裁线：沿虚线裁开，每位学员只拿自己的卡 - - - -</div>',
             f'<div class="banner">{escape(card.audience)}</div>',
             f'<div class="meta">{escape(header)}</div>', f"<h1>{escape(card.title)}</h1>"]
    for sec in card.sections:
        parts.append(f"<h2>{escape(sec.title)}</h2>")
        if card.kind == "observer":
            wide = sec.group in ("action", "step", "forbidden")
            body = _sheet_rows(sec.items)
            parts.append(f'<div class="cols">{body}</div>' if wide else body)
        else:
            cols = " cols" if len(sec.items) > 3 and sec.title.startswith("什么会让你更生气") else ""
            parts.append(f'<ul class="lines{cols}">'
                         + "".join(_item_li(i.text, i.hint) for i in sec.items) + "</ul>")
    if card.kind == "observer":
        parts.append('<div class="notes">观察员：________　员工：________　顾客：________　'
                     "做到 ____ / ____ 项　听到禁语 ____ 次　备注：</div>")
    parts.append("</section>")
    return "".join(parts)


def render_html(cards: Sequence[Card]) -> str:
    """One A4 page per card, with a cut line and a banner saying which role may read it."""
    if not cards:
        raise KitError("没有要打印的卡片：请至少给出一个场景。")
    from course import local

    p = local.current()
    body = "".join(_card_html(c, f"角色扮演材料包 · {p.utility} · 场景编号 {c.scenario_id}（观察表小工具里用它选场景）")
                   for c in cards)
    return f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>{body}</body></html>'


def kit_cards(scenario_id: str, profile: Any = None) -> tuple[Card, Card, Card]:
    """The three cards of one scenario: customer, staff, observer."""
    return (customer_card(scenario_id), staff_card(scenario_id, profile),
            observer_sheet(scenario_id))


def build_kits(root: Path, scenario_ids: Sequence[str] | None, out: Path) -> list[Path]:
    """Write ``<out>/<scenario>.pdf`` for each scenario (all when none) and the all-in-one ``全部场景.pdf``.

    ``root`` is the course directory (kept for the CLI contract; the data ship with the package).
    """
    from course import roleplay
    from course.pdf import write_pdf

    css = KIT_CSS

    known = list(roleplay.scenarios())
    ids = list(scenario_ids or known)
    bad = [i for i in ids if i not in known]
    if bad:
        raise KitError(f"场景编号 {'、'.join(bad)} 不存在；可用的场景编号：{'、'.join(known)}。")
    out = Path(out)
    written: list[Path] = []
    every: list[Card] = []
    for sid in ids:
        cards = kit_cards(sid)
        every.extend(cards)
        written.append(write_pdf(render_html(cards), out / f"{sid}.pdf", css=css))
    if ids:
        written.append(write_pdf(render_html(every), out / "全部场景.pdf", css=css))
    return written
