"""Worked examples for the chapter 2 checklists: one water-utility scene, walked item by item.

Each checklist of ``course/data/coach/process.yaml`` that has a worked example gets one scene in
``course/data/coach/walkthroughs.yaml``: for every item, in the checklist's order, what the
customer says (if anything), what the staff member says or does, and why. Local facts are
written as ``{本地.hotline.number}`` placeholders, filled from the current local profile.

>>> w = walkthrough("routine_steps")
>>> [s.number for s in w.steps]
[1, 2, 3, 4, 5]
>>> w.steps[0].item == checklist("routine_steps").items[0].name
True
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from course._data import load_yaml
from course.coach.knowledge import checklist
from course.coach.model import CoachError

__all__ = ["FILE", "Step", "Walkthrough", "parse_walkthroughs", "walkthrough", "walkthrough_ids"]

FILE = "coach/walkthroughs.yaml"
_FIELDS = ("title", "scene", "steps")
_STEP_FIELDS = ("item", "customer", "staff", "why")


@dataclass(frozen=True)
class Step:
    """One checklist item acted out: the customer's words, the staff's words or action, why."""

    number: int
    item: str
    customer: str
    staff: str
    why: str


@dataclass(frozen=True)
class Walkthrough:
    """A scene that walks through every item of one checklist, in order."""

    list_id: str
    title: str
    scene: str
    steps: tuple[Step, ...]

    def __str__(self) -> str:
        lines = [self.title, self.scene]
        for s in self.steps:
            lines.append(f"{s.number}. {s.item}")
            if s.customer:
                lines.append(f"   客户：{s.customer}")
            lines.append(f"   工作人员：{s.staff}")
            lines.append(f"   为什么：{s.why}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = []
        for s in self.steps:
            said = (f'<div style="background:#fff3e0;border-radius:6px;padding:2px 8px;'
                    f'margin:2px 0">客户：{escape(s.customer)}</div>' if s.customer else "")
            rows.append(
                f'<li class="course-walkthrough-step" style="margin:6px 0">'
                f"<b>{escape(s.item)}</b>{said}"
                f'<div style="background:#e3f2fd;border-radius:6px;padding:2px 8px;margin:2px 0">'
                f"工作人员：{escape(s.staff)}</div>"
                f'<div style="color:#555">为什么：{escape(s.why)}</div></li>')
        return (f'<div class="course-walkthrough"><h4>示例：{escape(self.title)}</h4>'
                f'<p style="color:#444">{escape(self.scene)}</p><ol>{"".join(rows)}</ol></div>')


def _text(value: Any, where: str, fill: Any, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise CoachError(f"{where} 是空的：请写一段中文。")
    try:
        return fill(value.strip())
    except (KeyError, TypeError):
        raise CoachError(f"{where} 里有本地档案中没有的占位符（形如 {{本地.xxx}}）："
                         f"{value.strip()[:40]}……") from None


def parse_walkthroughs(data: Any, fill: Any = None) -> dict[str, Walkthrough]:
    """Validate the walkthroughs file's contents (``fill`` replaces ``{本地.…}`` placeholders)."""
    if fill is None:
        from course import local

        fill = local.current().fill
    where = f"课程数据 {FILE}"
    if not isinstance(data, dict) or not isinstance(data.get("walkthroughs"), dict):
        raise CoachError(f"{where} 应当有 walkthroughs 一项，下面按清单名写示例。")
    out: dict[str, Walkthrough] = {}
    for list_id, entry in data["walkthroughs"].items():
        at = f"{where} 的 walkthroughs.{list_id}"
        try:
            items = checklist(list_id).items
        except CoachError as exc:
            raise CoachError(f"{at}：{exc}") from None
        if not isinstance(entry, dict) or set(entry) - set(_FIELDS) or set(_FIELDS) - set(entry):
            raise CoachError(f"{at} 应当正好有 title、scene、steps 三项。")
        steps_raw = entry["steps"]
        if not isinstance(steps_raw, list) or len(steps_raw) != len(items):
            raise CoachError(f"{at} 的 steps 应当有 {len(items)} 步，和清单一一对应。")
        steps = []
        for n, (raw, expected) in enumerate(zip(steps_raw, items, strict=True), 1):
            sat = f"{at} 的 steps 第 {n} 步"
            if not isinstance(raw, dict) or set(raw) - set(_STEP_FIELDS):
                raise CoachError(f"{sat} 只能写 item、customer、staff、why。")
            if raw.get("item") != expected.name:
                raise CoachError(f"{sat} 的 item 应当是清单的第 {n} 项“{expected.name}”，"
                                 f"现在是“{raw.get('item')}”。")
            steps.append(Step(number=n, item=expected.name,
                              customer=_text(raw.get("customer"), f"{sat} 的 customer", fill,
                                             required=False),
                              staff=_text(raw.get("staff"), f"{sat} 的 staff", fill),
                              why=_text(raw.get("why"), f"{sat} 的 why", fill)))
        out[list_id] = Walkthrough(list_id=list_id,
                                   title=_text(entry["title"], f"{at} 的 title", fill),
                                   scene=_text(entry["scene"], f"{at} 的 scene", fill),
                                   steps=tuple(steps))
    return out


def walkthrough_ids() -> tuple[str, ...]:
    """Ids of the checklists that have a worked example."""
    return tuple(load_yaml(FILE)["walkthroughs"])


def walkthrough(list_id: str) -> Walkthrough:
    """The worked example of checklist ``list_id`` (with this utility's local facts)."""
    known = walkthrough_ids()
    if list_id not in known:
        raise CoachError(f"清单“{list_id}”没有示例：有示例的清单是 {'、'.join(known)}。")
    return parse_walkthroughs(load_yaml(FILE))[list_id]
