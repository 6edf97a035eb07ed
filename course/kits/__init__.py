"""Role-play kits: customer cards, staff cards and observer sheets, generated from the scenario data.

>>> from course import kits
>>> kits.customer_card("rude_customer").audience[:3]
'顾客卡'
"""

from course.kits.cards import (
    Card,
    Item,
    KitError,
    Score,
    Section,
    customer_card,
    observer_sheet,
    score,
    sheet_items,
    staff_card,
)
from course.kits.render import build_kits, kit_cards, render_html

__all__ = ["Card", "Item", "KitError", "Score", "Section", "build_kits", "customer_card",
           "kit_cards", "observer_sheet", "render_html", "score", "sheet_items", "staff_card"]
