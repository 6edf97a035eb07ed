"""Looking up the card: its entries by id, and the card with the entries a lesson names."""

from __future__ import annotations

from course.legal.catalog import LegalError, data
from course.legal.model import Entry, Unconfirmed
from course.legal.render import Card

__all__ = ["card", "entries", "entry", "ids", "unconfirmed"]


def ids() -> tuple[str, ...]:
    """Ids of the card's entries, in card order."""
    return data().ids()


def entries() -> tuple[Entry, ...]:
    """All entries of the card."""
    return data().entries


def entry(entry_id: str) -> Entry:
    """One entry by its id (e.g. ``"public_order"``)."""
    for e in data().entries:
        if e.id == entry_id:
            return e
    raise LegalError(f"法律依据卡里没有条目 {entry_id!r}；可用的条目：{'、'.join(ids())}。")


def card(*entry_ids: str) -> Card:
    """The card with the entries named (all of them when none is named), in card order."""
    chosen = [entry(i) for i in entry_ids]  # unknown ids raise before anything is shown
    picked = tuple(e for e in data().entries if e in chosen) if entry_ids else data().entries
    d = data()
    return Card(title=d.title, scope=d.scope, checked=d.checked, entries=picked)


def unconfirmed() -> tuple[Unconfirmed, ...]:
    """Claims looked for but not confirmed: they are kept off the card."""
    return data().unconfirmed
