"""The item bank: each learner's own variant of a question, and its answer for the hidden tests.

In an assignment, a question cell shows the learner's variant and the hidden test computes the
expected answer for the same learner::

    show("ch1.q1_bill_tier1")                                 # the learner's numbers
    expect_close(bill_q1, answer("ch1.q1_bill_tier1"), ...)   # in the hidden test

>>> v = variant("ch1.q1_bill_tier1", learner="learner001")
>>> v.answer == variant("ch1.q1_bill_tier1", learner="learner001").answer
True
"""

from __future__ import annotations

from course.itembank.answers import (
           answer,
           best,
           describe,
           hint,
           letter,
           letters,
           model_reply,
           sequence,
           show,
)
from course.itembank.bank import KINDS, Item, ItemBankError, banks, get_item, items
from course.itembank.learner import ENV, learner_id
from course.itembank.variants import Variant, variant

__all__ = ["ENV", "KINDS", "Item", "ItemBankError", "Variant", "answer", "banks", "best", "describe", "get_item",
           "hint", "items", "learner_id", "letter", "letters", "model_reply", "sequence", "show",
           "variant"]
