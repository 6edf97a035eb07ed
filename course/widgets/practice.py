"""PracticeItem: practise one item of the bank — check, read the hint, take a fresh variant."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as w

from course.itembank.practice import check_practice, practice_variant
from course.widgets._drafts import DraftStore

__all__ = ["PracticeItem"]


class PracticeItem(w.VBox):
    """One practice question that can be retried with new numbers; tries are counted and saved.

    ``right`` names the right option id(s) for choice and ordering items (numeric items know
    their answer). The attempt, the typed answer and the counts survive a kernel restart.
    """

    def __init__(self, ref: str, right: object = None, *, key: str | None = None) -> None:
        self.ref, self.right = ref, right
        self._store = DraftStore(key or f"PracticeItem-{ref}")
        saved = self._store.load()
        self.attempt = int(saved.get("attempt") or 0)
        self.tries, self.solved = int(saved.get("tries") or 0), int(saved.get("solved") or 0)
        self._question = w.HTML("")
        self._question.add_class("course-practice-question")
        self.answer = w.Text(value=str(saved.get("typed") or ""), placeholder="在这里写答案",
                             layout=w.Layout(width="16em"))
        self.answer.add_class("course-practice-answer")
        self.answer.observe(lambda _c: self._save(), names="value")
        check = w.Button(description="检查", button_style="primary", icon="check")
        check.add_class("course-practice-check")
        check.on_click(lambda _b: self.check())
        fresh = w.Button(description="换一题", icon="refresh", tooltip="同样的题型，换一组数字或选项顺序")
        fresh.add_class("course-practice-next")
        fresh.on_click(lambda _b: self.next())
        self._feedback = w.HTML("")
        self._feedback.add_class("course-practice-feedback")
        self._count = w.HTML("")
        self._count.add_class("course-practice-count")
        super().__init__([self._question, w.HBox([self.answer, check, fresh],
                                                 layout=w.Layout(flex_flow="row wrap", gap="0.5em")),
                          self._feedback, self._count],
                         layout=w.Layout(width="100%", max_width="60em", padding="4px 0"))
        self.add_class("course-practice")
        self._show()

    def check(self) -> bool:
        """Check the typed answer; count the try; show the verdict (never raises)."""
        result = check_practice(self.variant, self.answer.value, self.right)
        if result.valid:
            self.tries += 1
            self.solved += int(result.correct)
        colour = "#1b5e20" if result.correct else ("#b26a00" if not result.valid else "#c62828")
        self._feedback.value = (f'<div style="color:{colour};white-space:normal" '
                                f'data-correct="{int(result.correct)}">{escape(result.message)}</div>')
        self._save()
        self._show_count()
        return result.correct

    def next(self) -> None:
        """A fresh variant of the same item."""
        self.attempt += 1
        self.answer.value = ""
        self._feedback.value = ""
        self._save()
        self._show()

    @property
    def variant(self) -> Any:
        return practice_variant(self.ref, self.attempt)

    def _show(self) -> None:
        self._question.value = (f'<div style="white-space:normal">'
                                f"<b>练习（第 {self.attempt + 1} 题，不计分）</b>"
                                f"{self.variant._repr_html_()}</div>")
        self._show_count()

    def _show_count(self) -> None:
        self._count.value = (f'<span style="color:#555" data-tries="{self.tries}">'
                             f"已检查 {self.tries} 次，答对 {self.solved} 次。</span>")

    def _save(self) -> None:
        self._store.save({"attempt": self.attempt, "tries": self.tries, "solved": self.solved,
                          "typed": self.answer.value})

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # plain-text fallback, no widget ids
        p.text(f"练习题：{self.variant}")
