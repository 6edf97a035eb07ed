"""What a lesson's code cells show from the course data when run (checklists, tables, cards).

Lessons often render a seed's list from ``course/data`` (``checklist("principles")``,
``roleplay.strategies()``), so an item's name is on screen though not in the notebook's source.
Each known call is matched in a section's code and replaced by the text it displays — only the
fields the lesson shows (a strategy table shows 是什么 and 边界, not the 示范话术 behind
``roleplay.strategy(...)``).
"""

from __future__ import annotations

import ast
import html
import importlib
import re
from collections.abc import Callable, Iterable
from functools import cache

__all__ = ["shown_text"]


def _join(rows: Iterable[Iterable[object]]) -> str:
    return "\n".join("　".join(str(x) for x in row if x) for row in rows)


def _checklist(m: re.Match, code: str) -> str:
    from course.coach.knowledge import checklist

    c = checklist(m.group(1))
    extra = ".phone" in code or ".door" in code
    return c.title + "\n" + _join((i.name, i.tip, *((i.phone, i.door) if extra else ())) for i in c.items)


def _techniques(m: re.Match, code: str) -> str:
    from course import coach

    group = re.search(r'group\s*==\s*"([^"]+)"', code)
    return _join((t.name, t.description, t.example) for t in coach.list_techniques()
                 if not group or t.group == group.group(1))


def _forbidden(m: re.Match, code: str) -> str:
    from course import coach

    return _join((x.name, x.example, x.message, x.suggestion) for x in coach.list_forbidden_rules())


def _psychologies(m: re.Match, code: str) -> str:
    from course.coach.knowledge import psychologies

    return _join((p.name, p.description, p.response, p.examples[0] if p.examples else "")
                 for p in psychologies())


def _difficult(m: re.Match, code: str) -> str:
    from course.coach.knowledge import difficult_customers

    return _join((d.name, d.traits, d.tip) for d in difficult_customers())


def _non_compensation(m: re.Match, code: str) -> str:
    from course.coach.knowledge import non_compensation_questions

    return _join(non_compensation_questions())


def _strategies(m: re.Match, code: str) -> str:
    from course import roleplay

    return _join((s.number, s.name, s.what, s.boundary) for s in roleplay.strategies())


_TAG = re.compile(r"<(style|script)\b.*?</\1>|<[^>]+>", re.S | re.I)


def _display(obj: object) -> str:
    """The text Jupyter shows for ``obj``: its HTML with the tags stripped, else ``str``."""
    if hasattr(obj, "_repr_html_"):
        return html.unescape(_TAG.sub(" ", obj._repr_html_()))
    return str(obj)


def _call(module: str, func: str) -> Callable[[re.Match, str], str]:
    """A renderer that calls ``module.func(<literal args>)`` and returns what it displays."""

    def render(m: re.Match, code: str) -> str:
        args = ast.literal_eval(f"({m.group(1)},)") if m.group(1).strip() else ()
        return _display(getattr(importlib.import_module(module), func)(*args))

    return render


def _dialogue(m: re.Match, code: str) -> str:
    from course.dialogues import show_dialogue

    first = m.group(1).split(",")[0]  # the dialogue id; the coach's notes are not needed for the text
    return _display(show_dialogue(ast.literal_eval(first), coach=False))


def _sorting(m: re.Match, code: str) -> str:
    from course import exercises

    ex = exercises.load(ast.literal_eval(m.group(1)))
    return _join([(ex.title, ex.instructions, *ex.categories)] + [(i.text,) for i in ex.items])


def _escalation(m: re.Match, code: str) -> str:
    from course import roleplay

    return _join((s.name, s.what, s.boundary, s.legal) for s in roleplay.escalation_strategies())


def _levels(m: re.Match, code: str) -> str:
    from course import roleplay

    return _join((lv.name, lv.focus, lv.response) for lv in roleplay.escalation_levels())


def _customer_types(m: re.Match, code: str) -> str:
    from course import roleplay

    return _join((name, *pair) for name, pair in roleplay.customer_types().items())


def _safety(m: re.Match, code: str) -> str:
    from course import roleplay

    return _join([(str(s),) for s in roleplay.safety_protocol()] + [(x,) for x in roleplay.safety_never()])


def _incidents(m: re.Match, code: str) -> str:
    from course import crisis

    return _join((i.title, i.summary) for i in crisis.incidents())


_RENDERERS: tuple[tuple[re.Pattern[str], Callable[[re.Match, str], str]], ...] = (
    (re.compile(r'\bchecklist\(\s*"(\w+)"\s*\)'), _checklist),
    (re.compile(r"\blist_techniques\(\)"), _techniques),
    (re.compile(r"\blist_forbidden_rules\(\)"), _forbidden),
    (re.compile(r"\bpsychologies\(\)"), _psychologies),
    (re.compile(r"\bdifficult_customers\(\)"), _difficult),
    (re.compile(r"\bnon_compensation_questions\(\)"), _non_compensation),
    (re.compile(r"\broleplay\.strategies\(\)"), _strategies),
    (re.compile(r"\broleplay\.strategy\(([^()]*)\)"), _call("course.roleplay", "strategy")),
    (re.compile(r"\bservice\.topic\(([^()]*)\)"), _call("course.service", "topic")),
    (re.compile(r"(?<![\w.])topic\(([^()]*)\)"), _call("course.coach.topics", "topic")),
    (re.compile(r"\blegal\.card\(([^()]*)\)"), _call("course.legal", "card")),
    (re.compile(r"\bwellbeing\.debrief_card\(([^()]*)\)"), _call("course.wellbeing", "debrief_card")),
    (re.compile(r"\bwellbeing\.aftercare\(([^()]*)\)"), _call("course.wellbeing", "aftercare")),
    (re.compile(r"(?<![\w.])strategy_cards\(([^()]*)\)"), _call("course.dialogues", "strategy_cards")),
    (re.compile(r"(?<![\w.])show_dialogue\(([^()]*)\)"), _dialogue),
    (re.compile(r"(?<![\w.])walkthrough\(([^()]*)\)"), _call("course.coach.walkthrough", "walkthrough")),
    (re.compile(r"\bSortingExercise\(\s*(\"[^\"]+\")"), _sorting),
    (re.compile(r"\bescalation_strategies\(\)"), _escalation),
    (re.compile(r"\bescalation_levels\(\)"), _levels),
    (re.compile(r"\bcustomer_types\(\)"), _customer_types),
    (re.compile(r"\bsafety_protocol\(\)"), _safety),
    (re.compile(r"\bcrisis\.incidents\(\)"), _incidents),
)


@cache
def shown_text(code: str) -> str:
    """The data text that running ``code`` (one code cell) displays, for the calls known here."""
    parts = []
    for pattern, render in _RENDERERS:
        for m in pattern.finditer(code):
            parts.append(render(m, code))
    return "\n".join(parts)
