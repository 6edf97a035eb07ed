"""ThoughtJournal: write down a hot thought and your own reframe — saved as you type, not scored."""

from __future__ import annotations

import ipywidgets as w

from course.widgets._common import Debouncer, status_html
from course.widgets._drafts import DraftStore

__all__ = ["ThoughtJournal"]

_FIELDS = (("thought", "当时冒出的想法", "例如：他凭什么这样骂我？"),
           ("reframe", "换个角度，我会对自己说", "例如：他是冲着账单来的，不是冲我。我先帮他把读数调出来。"),
           ("next", "下次我会先做的一件小事", "例如：先请他坐下，再调读数。"))


class ThoughtJournal(w.VBox):
    """Three boxes for the learner's own words. Nothing is judged: what you write is saved next
    to the notebook (like the other widgets' drafts) and comes back when the cell runs again."""

    def __init__(self, *, key: str = "ThoughtJournal", delay: float = 0.6) -> None:
        self._store = DraftStore(key)
        saved = self._store.load()
        self._boxes: dict[str, w.Textarea] = {}
        rows: list[w.Widget] = []
        for name, label, hint in _FIELDS:
            box = w.Textarea(value=str(saved.get(name) or ""), placeholder=hint,
                             layout=w.Layout(width="100%", height="4.5em"))
            box.add_class(f"course-journal-{name}")
            box.observe(lambda _c: self._save_later(), names="value")
            self._boxes[name] = box
            rows += [w.HTML(f"<b>{label}</b>"), box]
        self._status = w.HTML(status_html("这里写的只给你自己看，不评分；写的内容随写随存。"))
        self._status.add_class("course-journal-status")
        self._save_later = Debouncer(delay, self._save)
        super().__init__([*rows, self._status], layout=w.Layout(max_width="46em"))
        self.add_class("course-thought-journal")

    @property
    def entries(self) -> dict[str, str]:
        """What is written in each box."""
        return {name: box.value for name, box in self._boxes.items()}

    def _save(self) -> None:
        self._store.save(self.entries)
        where = "已保存在本课的草稿里" if self._store.path else "已记下（不在课程环境里时不保存到文件）"
        self._status.value = status_html(f"{where}。不评分，只给你自己看。")
