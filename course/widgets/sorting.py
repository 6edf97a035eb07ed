"""SortingExercise: sort each situation into a category, check, read why (thin over the engine)."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as w

from course import exercises
from course.exercises import Result
from course.widgets._drafts import DraftStore

__all__ = ["SortingExercise"]

_NONE = "（请选择）"


class SortingExercise(w.VBox):
    """Each item of exercise ``exercise_id`` with a drop-down of the categories and a 检查 button.

    The learner's choices are saved next to the notebook as they are made (keyed by the item's
    text, so a reordered data file keeps them) and come back when the cell runs again.
    """

    def __init__(self, exercise_id: str, *, key: str | None = None) -> None:
        self.exercise = exercises.load(exercise_id)  # unknown id: ExerciseError in Chinese
        self._store = DraftStore(key or f"SortingExercise-{self.exercise.id}")
        saved = self._store.load()
        by_text: dict[str, str] = dict(saved.get("choices") or {})
        self.result: Result | None = None
        self._pickers: list[w.Dropdown] = []
        self._feedback: list[w.HTML] = []
        rows: list[w.Widget] = []
        for item in self.exercise.items:
            text = w.HTML(f'<div style="white-space:normal;line-height:1.6">'
                          f"<b>{item.number}.</b> {escape(item.text)}</div>",
                          layout=w.Layout(flex="1 1 22em", min_width="0"))
            text.add_class("course-sorting-text")
            value = by_text.get(item.text, "")
            picker = w.Dropdown(options=[(_NONE, "")] + [(c, c) for c in self.exercise.categories],
                                value=value if value in self.exercise.categories else "",
                                layout=w.Layout(width="16em", max_width="100%", flex="0 0 auto"))
            picker.add_class("course-sorting-choice")
            picker.observe(lambda change, n=item.number: self._on_pick(n), names="value")
            feedback = w.HTML("")
            feedback.add_class("course-sorting-feedback")
            row = w.HBox([text, picker], layout=w.Layout(flex_flow="row wrap", align_items="center",
                                                         gap="0.3em 1em", width="100%"))
            box = w.VBox([row, feedback], layout=w.Layout(
                border_bottom="1px solid #eee", padding="4px 0", width="100%"))
            box.add_class("course-sorting-item")
            self._pickers.append(picker)
            self._feedback.append(feedback)
            rows.append(box)
        self._button = w.Button(description="检查", button_style="primary", icon="check",
                                tooltip="看看每一条分得对不对，以及为什么")
        self._button.add_class("course-sorting-check")
        self._button.on_click(lambda _b: self.check())
        self._score = w.HTML("")
        self._score.add_class("course-sorting-score")
        super().__init__([
            w.HTML(f"<h4>{escape(self.exercise.title)}</h4>"
                   f'<p style="white-space:normal">{escape(self.exercise.instructions)}</p>'
                   f'<p style="white-space:normal">可选的类别：'
                   f'{"、".join(f"<b>{escape(c)}</b>" for c in self.exercise.categories)}</p>'),
            *rows, self._button, self._score,
        ], layout=w.Layout(width="100%", max_width="60em"))
        self.add_class("course-sorting")
        if saved.get("checked"):
            self.check()

    # -- public -------------------------------------------------------------------------------

    @property
    def choices(self) -> dict[int, str]:
        """The category chosen for each item number (items not yet sorted are left out)."""
        return {n: p.value for n, p in enumerate(self._pickers, 1) if p.value}

    def select(self, number: int, category: str) -> None:
        """Choose ``category`` for item ``number`` (as the drop-down would)."""
        key = exercises.normalize(category)
        match = [c for c in self.exercise.categories if exercises.normalize(c) == key]
        self.exercise.item(number)  # an unknown number: a Chinese message
        if not match and key:
            raise exercises.ExerciseError(
                f"“{category}”不是这个练习的类别，只能选：{'、'.join(self.exercise.categories)}。")
        self._pickers[number - 1].value = match[0] if match else ""

    def check(self) -> Result:
        """Check the current choices and show each item's verdict, its explanation and the score."""
        self.result = exercises.check(self.exercise, self.choices)
        for feedback, item in zip(self._feedback, self.result.items, strict=True):
            feedback.value = (f'<div style="white-space:normal;line-height:1.6;'
                              f'padding-left:1.5em">{item.html()}</div>')
        r = self.result
        self._score.value = (
            f'<div data-right="{r.right}" data-total="{r.total}" style="white-space:normal">'
            f"<b>{escape(r.score_line)}</b><br>{escape(r.summary)}</div>")
        self._save(checked=True)
        return r

    # -- events -------------------------------------------------------------------------------

    def _on_pick(self, number: int) -> None:
        if self.result is not None:
            self._feedback[number - 1].value = ""
            self._score.value = ('<div style="color:#b26a00">有改动：点“检查”看新的结果。</div>')
        self._save(checked=False)

    def _save(self, checked: bool) -> None:
        choices = {item.text: p.value for item, p in zip(self.exercise.items, self._pickers,
                                                         strict=True) if p.value}
        self._store.save({"choices": choices, "checked": checked})

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # plain-text fallback, no widget ids
        p.text(f"分类练习：{self.exercise.title}")
