"""Chapter 2 reference material as data: checklists (十大步骤, 十五个动作 …) and customer psychology.

>>> checklist("ten_steps").items[0].name
'认识到客户的情绪'
>>> [p.name for p in psychologies()]
['发泄心理', '尊重心理', '补救心理', '补偿心理']
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from course._data import load_yaml
from course.coach.model import CoachError

__all__ = [
    "Checklist",
    "ChecklistItem",
    "DifficultCustomer",
    "Psychology",
    "checklist",
    "checklist_ids",
    "difficult_customers",
    "non_compensation_questions",
    "psychologies",
]


@dataclass(frozen=True)
class ChecklistItem:
    """One numbered item of a checklist."""

    number: int
    name: str
    tip: str
    phone: str = ""  # the same action on the telephone (热线客服), where there is no body language
    door: str = ""  # the same action at a resident's door (抄表员)


@dataclass(frozen=True)
class Checklist:
    """A numbered checklist from the seeds, printable and shown as ticking boxes in a notebook."""

    id: str
    title: str
    source: str
    items: tuple[ChecklistItem, ...]

    def __str__(self) -> str:
        lines = [self.title]
        lines += [f"□ {i.number}. {i.name}：{i.tip}" for i in self.items]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f'<li style="list-style:none"><label><input type="checkbox"> '
            f"<b>{i.number}. {escape(i.name)}</b>　<span style=\"color:#555\">{escape(i.tip)}"
            "</span></label></li>"
            for i in self.items
        )
        return (f'<div class="course-checklist"><b>{escape(self.title)}</b>'
                f'<ul style="padding-left:0.5em">{rows}</ul>'
                '</div>')


@dataclass(frozen=True)
class Psychology:
    """A complaint psychology (发泄/尊重/补救) with how to respond and example utterances."""

    id: str
    name: str
    description: str
    response: str
    examples: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class DifficultCustomer:
    """One of the five hard-to-handle customer types of seed 003."""

    name: str
    traits: str
    tip: str
    source: str


def checklist_ids() -> tuple[str, ...]:
    """Ids of the checklists in ``course/data/coach/process.yaml``."""
    return tuple(load_yaml("coach/process.yaml")["lists"])


def checklist(list_id: str) -> Checklist:
    """A checklist by id (``ten_steps``, ``fifteen_actions``, ``routine_steps`` …)."""
    lists = load_yaml("coach/process.yaml")["lists"]
    if not isinstance(list_id, str) or list_id not in lists:
        raise CoachError(f"清单只能是以下之一：{'、'.join(lists)}；收到的是 {list_id!r}。")
    data = lists[list_id]
    items = tuple(ChecklistItem(n, it["name"], it["tip"], it.get("phone", ""), it.get("door", "")) for n, it in enumerate(data["items"], 1))
    return Checklist(id=list_id, title=data["title"], source=data["source"], items=items)


def psychologies() -> tuple[Psychology, ...]:
    """The four complaint psychologies: 发泄, 尊重, 补救 (seed 001) and 补偿 (the 补偿型 customer)."""
    return tuple(
        Psychology(id=p["id"], name=p["name"], description=p["description"],
                   response=p["response"], examples=tuple(p["examples"]), source=p["source"])
        for p in load_yaml("coach/psychology.yaml")["psychologies"]
    )


def difficult_customers() -> tuple[DifficultCustomer, ...]:
    """The five hard-to-handle customer types of seed 003."""
    return tuple(DifficultCustomer(**d) for d in load_yaml("coach/psychology.yaml")["difficult_customers"])


def non_compensation_questions() -> tuple[tuple[str, str], ...]:
    """(question, course answer) pairs about non-compensation difficult customers (seed 000)."""
    data = load_yaml("coach/psychology.yaml")["non_compensation_questions"]
    return tuple((q["question"], q["answer"]) for q in data["items"])
