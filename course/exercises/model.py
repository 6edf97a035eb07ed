"""The objects of a sorting exercise: its items, and the result of checking a learner's answers."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

__all__ = ["Exercise", "ExerciseError", "Item", "ItemResult", "Result"]


class ExerciseError(ValueError):
    """A sorting exercise that cannot be found or whose data file is wrong (Chinese message)."""


@dataclass(frozen=True)
class Item:
    """One statement or scene to sort; ``number`` is its place in the shown (shuffled) order."""

    number: int
    text: str
    answer: str
    why: str


@dataclass(frozen=True)
class Exercise:
    """A sorting exercise: put each item into one of the categories."""

    id: str
    title: str
    instructions: str
    source: str
    categories: tuple[str, ...]
    items: tuple[Item, ...]  # in the order shown to the learner

    def item(self, number: int) -> Item:
        """The item shown as ``number`` (1-based)."""
        if not 1 <= number <= len(self.items):
            raise ExerciseError(f"第 {number} 条不存在：这个练习只有第 1 到第 {len(self.items)} 条。")
        return self.items[number - 1]

    def _repr_html_(self) -> str:
        cats = "、".join(f"<b>{escape(c)}</b>" for c in self.categories)
        rows = "".join(f"<li>{escape(i.text)}</li>" for i in self.items)
        return (f"<h4>{escape(self.title)}</h4><p>{escape(self.instructions)}</p>"
                f"<p>可选的类别：{cats}</p><ol>{rows}</ol>")


#: status of one checked item
RIGHT, WRONG, BLANK, INVALID = "right", "wrong", "blank", "invalid"
_MARKS = {RIGHT: ("√", "#2e7d32"), WRONG: ("×", "#c62828"), BLANK: ("○", "#777"),
          INVALID: ("！", "#ef6c00")}


@dataclass(frozen=True)
class ItemResult:
    """How one item was answered: ``status`` is right / wrong / blank / invalid."""

    number: int
    text: str
    given: str  # the category as the learner wrote it (normalised when it is a known one)
    answer: str
    why: str
    status: str
    message: str  # one Chinese line of feedback

    @property
    def correct(self) -> bool:
        """Whether the item was put into its right category."""
        return self.status == RIGHT

    def html(self) -> str:
        """The feedback line for this item, with the explanation."""
        mark, colour = _MARKS[self.status]
        verdict = (f'<div class="course-sorting-verdict" data-status="{self.status}" '
                   f'style="color:{colour}">{mark} {escape(self.message)}</div>')
        if not self.shows_why:
            return verdict
        return verdict + (f'<div class="course-sorting-why" style="color:#444">'
                          f"讲解：{escape(self.why)}</div>")

    @property
    def shows_why(self) -> bool:
        """Whether the explanation is shown: not before the item is answered (it gives it away)."""
        return self.status in (RIGHT, WRONG)


@dataclass(frozen=True)
class Result:
    """The learner's answers to one exercise, checked."""

    exercise_id: str
    title: str
    items: tuple[ItemResult, ...]
    problems: tuple[str, ...]  # answers that could not be used (unknown item numbers …)
    summary: str  # what went well and what to do next, in Chinese

    @property
    def right(self) -> int:
        """Number of items in their right category."""
        return sum(r.correct for r in self.items)

    @property
    def total(self) -> int:
        """Number of items in the exercise."""
        return len(self.items)

    @property
    def answered(self) -> int:
        """Number of items that were given a known category."""
        return sum(r.status in (RIGHT, WRONG) for r in self.items)

    @property
    def score(self) -> int:
        """Percentage of items right (0–100, rounded)."""
        return round(100 * self.right / self.total) if self.total else 0

    @property
    def score_line(self) -> str:
        """One Chinese line with the score."""
        return f"答对 {self.right} / {self.total} 条（{self.score} 分）"

    def __str__(self) -> str:
        lines = [f"{self.title}：{self.score_line}"]
        for r in self.items:
            mark = _MARKS[r.status][0]
            lines.append(f"{mark} 第 {r.number} 条 {r.text}\n    {r.message}")
            if r.status == WRONG:
                lines.append(f"    讲解：{r.why}")
        lines.extend(self.problems)
        lines.append(self.summary)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f'<li class="course-sorting-result" data-status="{r.status}">'
            f"{escape(r.text)}{r.html()}</li>" for r in self.items)
        problems = "".join(f'<p style="color:#ef6c00">{escape(p)}</p>' for p in self.problems)
        return (f'<div class="course-sorting-report" data-right="{self.right}" '
                f'data-total="{self.total}"><h4>{escape(self.title)}</h4>'
                f"<p><b>{escape(self.score_line)}</b></p><ol>{rows}</ol>{problems}"
                f"<p><b>{escape(self.summary)}</b></p></div>")
