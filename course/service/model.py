"""The objects of the service-awareness material: a topic (服务三层次, 柜面七步法 …) and its items."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

__all__ = ["ServiceError", "ServiceItem", "Topic"]


class ServiceError(ValueError):
    """A topic that cannot be found, or a data file that is wrong (Chinese message)."""


@dataclass(frozen=True)
class ServiceItem:
    """One item of a topic: what it means and how it looks in a water utility's service hall."""

    number: int
    name: str
    explain: str
    example: str
    selfcheck: str = ""  # "set.question" of a self-check that (also) practises this item


@dataclass(frozen=True)
class Topic:
    """A numbered list from seed 003, explained, with examples, and the exercise that practises it."""

    id: str
    title: str
    source: str
    intro: str
    exercise: str  # id of the sorting exercise in course/data/exercises/
    items: tuple[ServiceItem, ...]
    drill: str = ""  # a group drill for the workshop, where the seed has one

    def item(self, name: str) -> ServiceItem:
        """The item called ``name`` (an unknown name: :class:`ServiceError` in Chinese)."""
        for it in self.items:
            if it.name == name:
                return it
        names = "、".join(i.name for i in self.items)
        raise ServiceError(f"“{self.title}”里没有“{name}”这一条；有的是：{names}。")

    @property
    def names(self) -> tuple[str, ...]:
        """The items' names, in the seed's order."""
        return tuple(i.name for i in self.items)

    def __str__(self) -> str:
        lines = [self.title, self.intro]
        for i in self.items:
            lines += [f"{i.number}. {i.name}：{i.explain}", f"   例：{i.example}"]
        if self.drill:
            lines.append(f"小组演练：{self.drill}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f'<tr><td style="text-align:left;white-space:nowrap"><b>{i.number}. {escape(i.name)}</b></td>'
            f'<td style="text-align:left">{escape(i.explain)}</td>'
            f'<td style="text-align:left;color:#444">{escape(i.example)}</td></tr>'
            for i in self.items)
        drill = (f'<p><b>小组演练</b>：{escape(self.drill)}</p>' if self.drill else "")
        return (f'<div class="course-service-topic"><h4>{escape(self.title)}</h4>'
                f"<p>{escape(self.intro)}</p>"
                '<table><thead><tr><th style="text-align:left">要点</th>'
                '<th style="text-align:left">怎么理解</th>'
                '<th style="text-align:left">营业厅里的例子</th></tr></thead>'
                f"<tbody>{rows}</tbody></table>{drill}"
                f'<p style="color:#777;font-size:smaller">出处：{escape(self.source)}</p></div>')
