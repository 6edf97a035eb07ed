"""The utility's own course: its tariff and local rules in one profile (``course/data/local/``).

>>> from course import local
>>> p = local.current()
>>> p.utility
'示例市自来水有限公司'
>>> local.show("meter_test").title   # a card of the local rules, shown in a notebook
'本地规定：示例市自来水有限公司（虚构的教学示例）'
"""

from __future__ import annotations

from course.local.catalog import (
    DEFAULT,
    current,
    current_id,
    load,
    profiles,
    read,
    set_in_config,
    template_path,
    validate,
)
from course.local.model import Profile, ProfileError
from course.local.render import TOPICS, Card, card

__all__ = ["DEFAULT", "TOPICS", "Card", "Profile", "ProfileError", "card", "current",
           "current_id", "load", "profiles", "read", "set_in_config", "show", "template_path",
           "validate"]


def show(*topics: str) -> Card:
    """The current profile's rules on the topics named (all when none), as a card."""
    return card(current(), *topics)
