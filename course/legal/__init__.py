"""The legal card for frontline staff: what the law says, what staff may say, what they must refer.

Facts live in ``course/data/legal.yaml`` (each entry with its law, articles, issuer, the version in
force and the pages it was checked against); this package checks them once and renders the card
as HTML (one printed A4 page) or plain text. Used by lessons 03 and 04 and by the role-play's
“运用法律知识”.

>>> from course import legal
>>> legal.entry("arrears_suspension").cite()
'《中华人民共和国民法典》第六百五十四条、第六百五十六条'
>>> len(legal.card("public_order", "petition").entries)
2
"""

from __future__ import annotations

from course.legal.catalog import LegalError
from course.legal.lookup import card, entries, entry, ids, unconfirmed
from course.legal.model import Basis, Entry, Source, Unconfirmed
from course.legal.render import Card

__all__ = ["Basis", "Card", "Entry", "LegalError", "Source", "Unconfirmed", "card", "entries",
           "entry", "ids", "unconfirmed"]
