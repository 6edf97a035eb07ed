"""Classroom widgets on the class board: Poll (a quick vote) and ActionPlan (学习总结与行动计划)."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w

from course.board import Board, BoardError
from course.widgets._common import Debouncer, status_html
from course.widgets._drafts import DraftStore
from course.widgets.board import BoardWidget

__all__ = ["ActionPlan", "Poll"]


class Poll(BoardWidget):
    """A one-question vote: pick an option, 「提交」, then see the class's current counts.

    One answer per learner counts (the latest); the choice is kept as a draft."""

    def __init__(self, question: str, options: list[str], *, poll_id: str | None = None,
                 board: Board | None = None, root: Path | None = None,
                 learner: str | None = None, key: str | None = None) -> None:
        if not isinstance(question, str) or not question.strip():
            raise BoardError("“问题”不能为空：请写一句要大家投票的问题。")
        if (not isinstance(options, (list, tuple)) or len(options) < 2
                or not all(isinstance(o, str) and o.strip() for o in options)):
            raise BoardError("“选项”必须是至少两条文字的列表，例如 [\"A 方案\", \"B 方案\"]。")
        opts = [o.strip() for o in options]
        if len(set(opts)) != len(opts):
            raise BoardError("“选项”里有重复的文字：每个选项要不一样。")
        self.question, self.options = question.strip(), opts
        self.poll_id = (poll_id or "").strip() or self.question
        self._board, self._root, self._learner = board, root, learner
        self._store = DraftStore(key or f"Poll-{self.poll_id}")
        saved = self._store.load()
        answer = saved.get("answer")
        self.choice = w.RadioButtons(options=opts, value=answer if answer in opts else None,
                                     layout=w.Layout(width="auto", max_width="100%"))
        self.choice.add_class("course-poll-choice")
        self.choice.observe(lambda _c: self._save(), names="value")
        self.submit_button = w.Button(description="提交", button_style="primary", icon="check")
        self.submit_button.add_class("course-poll-submit")
        self.submit_button.on_click(lambda _b: self.submit())
        self.refresh_button = w.Button(description="刷新结果", icon="refresh",
                                       layout=w.Layout(display="none"))
        self.refresh_button.add_class("course-poll-refresh")
        self.refresh_button.on_click(lambda _b: self.show_counts())
        self.status = w.HTML("")
        self.status.add_class("course-poll-status")
        self.counts_view = w.HTML("")
        self.counts_view.add_class("course-poll-counts")
        super().__init__([
            w.HTML(f'<div style="font-size:110%;white-space:normal"><b>投票：</b>'
                   f"{escape(self.question)}</div>"),
            self.choice, w.HBox([self.submit_button, self.refresh_button],
                                layout=w.Layout(gap="0.6em")),
            self.status, self.counts_view,
        ], layout=w.Layout(max_width="46em"))
        self.add_class("course-poll")
        if saved.get("submitted"):
            self.show_counts()

    def submit(self) -> Any:
        """Post the chosen answer (kind ``poll``) and show the counts; returns the post or ``None``."""
        if self.choice.value is None:
            self.status.value = status_html("请先选一个答案，再点“提交”。", "warn")
            return None
        payload = {"question": self.question, "answer": self.choice.value, "poll_id": self.poll_id}
        try:
            post = self._get_board().post("poll", payload, learner=self._who())
        except BoardError as exc:
            self.status.value = status_html(str(exc), "error")
            return None
        self._save(submitted=True)
        self.status.value = status_html(f"已提交：{post.payload['answer']}。改主意了可以重新选再提交，"
                                        "只算你最后一次的答案。")
        self.show_counts()
        return post

    def counts(self) -> list[tuple[str, int]]:
        """The class's votes per option (this poll, last answer per learner)."""
        from course.board import aggregate as ag

        return ag.poll_counts(self._get_board().rows("poll"), self.poll_id, self.options)

    def show_counts(self) -> None:
        """Show the class's current counts as bars."""
        try:
            counts = self.counts()
        except BoardError as exc:
            self.status.value = status_html(str(exc), "error")
            return
        total = sum(n for _, n in counts) or 1
        rows = "".join(
            f'<div data-answer="{escape(a)}" data-votes="{n}" style="margin:0.15em 0">'
            f'<span style="display:inline-block;min-width:9em">{escape(a)}</span>'
            f'<span style="display:inline-block;background:#1565c0;height:0.9em;'
            f'width:{round(12 * n / total, 2)}em;vertical-align:middle"></span> <b>{n}</b> 票</div>'
            for a, n in counts)
        voters = sum(n for _, n in counts)
        self.counts_view.value = (f'<div style="white-space:normal"><b>全班目前的结果'
                                  f"（{voters} 人投票）</b>{rows}</div>")
        self.refresh_button.layout.display = None

    def _save(self, submitted: bool | None = None) -> None:
        data = self._store.load()
        data["answer"] = self.choice.value
        if submitted is not None:
            data["submitted"] = submitted
        self._store.save(data)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # plain-text fallback, no widget ids
        p.text(f"投票：{self.question}")


_PLAN_FIELDS = (
    ("learned", "学到了什么", "例如：先接住情绪，再讲政策；三层要诀：积极情感—核心问题—积极情感"),
    ("action", "回岗位后第一件要做的事（行动计划）",
     "例如：下周起接每个投诉电话，先说一句“您别急，我来帮您查”，再查账单"),
    ("support", "需要的支持", "（可不填）例如：希望班长把常见问题的答复口径整理成一张卡片"),
)


class ActionPlan(BoardWidget):
    """学习总结与行动计划: three boxes (saved as drafts), 「提交到班级看板」 posts kind ``plan``."""

    def __init__(self, board: Board | None = None, *, root: Path | None = None,
                 learner: str | None = None, key: str = "ActionPlan", delay: float = 0.6) -> None:
        self._board, self._root, self._learner = board, root, learner
        self._store = DraftStore(key)
        saved = self._store.load()
        self._save_later = Debouncer(delay, self._save)
        self._boxes: dict[str, w.Textarea] = {}
        rows: list[w.Widget] = []
        for name, label, hint in _PLAN_FIELDS:
            box = w.Textarea(value=str(saved.get(name) or ""), placeholder=hint,
                             layout=w.Layout(width="100%", height="4.5em"))
            box.add_class(f"course-plan-{name}")
            box.observe(lambda _c: self._save_later(), names="value")
            self._boxes[name] = box
            rows += [w.HTML(f"<b>{escape(label)}</b>"), box]
        self.submit_button = w.Button(description="提交到班级看板", button_style="primary",
                                      icon="paper-plane", layout=w.Layout(width="auto"))
        self.submit_button.add_class("course-plan-submit")
        self.submit_button.on_click(lambda _b: self.submit())
        self.status = w.HTML(status_html("写的内容随写随存；写好后点“提交到班级看板”。"))
        self.status.add_class("course-plan-status")
        super().__init__([w.HTML('<h3 style="margin:0.2em 0">学习总结与行动计划</h3>'), *rows,
                          self.submit_button, self.status], layout=w.Layout(max_width="46em"))
        self.add_class("course-action-plan")

    @property
    def entries(self) -> dict[str, str]:
        """What is written in each box (``learned`` / ``action`` / ``support``)."""
        return {name: box.value for name, box in self._boxes.items()}

    def submit(self) -> Any:
        """Post the plan (kind ``plan``); the boxes keep their text either way."""
        self._save()
        try:
            post = self._get_board().post("plan", self.entries, learner=self._who())
        except BoardError as exc:
            self.status.value = status_html(str(exc), "error")
            return None
        self.status.value = status_html(f"已提交到班级看板（第 {post.id} 条）。"
                                        "修改后可以再次提交。")
        return post

    def _save(self) -> None:
        self._store.save(self.entries)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # plain-text fallback, no widget ids
        p.text("学习总结与行动计划")
