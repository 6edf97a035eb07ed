"""Class-board widgets: ProblemBox (learner sends 难题) and BoardView (trainer's projector view)."""

from __future__ import annotations

import asyncio
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w

from course.board import Board, BoardError, open_board
from course.widgets._common import Debouncer, status_html
from course.widgets._drafts import DraftStore

__all__ = ["BoardView", "ProblemBox"]


class BoardWidget(w.VBox):
    """Shared plumbing of the board's widgets: the board (opened on first use) and who posts."""

    _board: Board | None
    _root: Path | None
    _learner: str | None

    def _get_board(self) -> Board:
        if self._board is None:
            self._board = open_board(self._root)
        return self._board

    def _who(self) -> str:
        if self._learner is None:
            from course.itembank.learner import learner_id

            self._learner = learner_id()
        return self._learner


class ProblemBox(BoardWidget):
    """One box for a 难题 (kept as a draft until sent), a 发送 button, and the learner's sent list."""

    def __init__(self, *, board: Board | None = None, root: Path | None = None,
                 learner: str | None = None, key: str = "ProblemBox", delay: float = 0.6) -> None:
        self._board, self._root, self._learner = board, root, learner
        self._store = DraftStore(key)
        saved = self._store.load()
        self.text = w.Textarea(value=str(saved.get("draft") or ""),
                               placeholder="一句话写一个难题，例如：用户说阶梯水价就是变相涨价，怎么解释都不听",
                               layout=w.Layout(width="100%", height="4em"))
        self.text.add_class("course-problem-text")
        self.text.observe(lambda _c: self._save_later(), names="value")
        self.send_button = w.Button(description="发送到班级看板", button_style="primary", icon="paper-plane")
        self.send_button.add_class("course-problem-send")
        self.send_button.on_click(lambda _b: self.send())
        self.status = w.HTML("")
        self.status.add_class("course-problem-status")
        self.sent = w.HTML("")
        self.sent.add_class("course-problem-sent")
        self._save_later = Debouncer(delay, self._save)
        super().__init__([w.HTML("<b>我的难题</b>"), self.text, self.send_button, self.status, self.sent],
                         layout=w.Layout(max_width="46em"))
        self.add_class("course-problem-box")
        self._show_sent()

    def _save(self) -> None:
        self._store.save({"draft": self.text.value})

    def send(self) -> None:
        """Send the typed problem; the draft is cleared only once the board has it."""
        try:
            post = self._get_board().post("problem", {"text": self.text.value}, learner=self._who())
        except BoardError as exc:
            self.status.value = status_html(str(exc), "error")
            return
        self.text.value = ""
        self._save()
        self.status.value = status_html(f"已发送（第 {post.id} 条）。可以继续写下一条。")
        self._show_sent()

    def mine(self) -> list[str]:
        """The problems this learner has sent (oldest first)."""
        from course.board.store import existing_board

        try:
            board = self._board or existing_board(self._root)
            posts = board.rows("problem") if board is not None else []
        except BoardError:
            return []
        return [p.payload["text"] for p in posts if p.learner == self._who()]

    def _show_sent(self) -> None:
        items = self.mine()
        if not items:
            self.sent.value = ""
            return
        lis = "".join(f"<li>{escape(t)}</li>" for t in items)
        self.sent.value = f"<div><b>我已发送的难题（{len(items)} 条）</b><ol>{lis}</ol></div>"


def _board_html(posts: list[Any], top: int = 15) -> str:
    from course.board import aggregate as ag
    from course.board.store import KIND_NAMES

    big = 'style="font-size:150%;line-height:1.5"'
    cnt = "　".join(f"{KIND_NAMES[k]} <b>{n}</b>" for k, n in ag.counts(posts).items())
    words = "　".join(f'<span style="font-size:{100 + 20 * min(n, 5)}%">{escape(t)}</span>'
                     f"<sub>{n}</sub>" for t, n in ag.word_list(posts, top=top)) or "（暂无）"
    groups = []
    for name, items in ag.by_chapter(posts).items():
        lis = "".join(f"<li>[{p.id}] {escape(p.payload['text'])}"
                      f' <span style="color:#777">—— {escape(p.learner)}</span></li>' for p in items)
        h3 = 'style="font-size:110%;margin:0.4em 0 0.1em' + ('"' if items else ';color:#999"')
        groups.append(f"<h3 {h3}>{escape(name)}（{len(items)}）</h3><ul>{lis}</ul>" if items
                      else f"<h3 {h3}>{escape(name)}（0）</h3>")
    pairs = "".join(f"<li>{escape(s.pair)}：{s.sheets} 份，平均 {s.mean_percent}%</li>"
                    for s in ag.observer_scores(posts))
    extra = f"<h2>观察员评分（按小组）</h2><ul>{pairs}</ul>" if pairs else ""
    html = (f'<div class="course-board-view" {big}><h2>提交数量</h2><p>{cnt}</p>'
            f"<h2>难题高频词</h2><p>{words}</p><h2>难题（按章节）</h2>{''.join(groups)}{extra}</div>")
    return html.replace("<h2>", '<h2 style="font-size:135%;margin:0.6em 0 0.2em">')


class BoardView(w.VBox):
    """The trainer's projector view: aggregated board, refreshed every few seconds, tagging."""

    def __init__(self, *, board: Board | None = None, root: Path | None = None,
                 every: float = 5.0, auto: bool = True) -> None:
        from course.board.aggregate import CHAPTERS

        self._board = board if board is not None else open_board(root)
        self.every = every
        self.view = w.HTML("")
        self.refresh_button = w.Button(description="刷新", icon="refresh")
        self.refresh_button.add_class("course-board-refresh")
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.problem = w.Dropdown(description="难题", options=[], layout=w.Layout(width="36em"))
        self.problem.add_class("course-board-problem")
        self.chapter = w.Dropdown(description="归入",
                                  options=[(f"{k} {v}", k) for k, v in CHAPTERS.items()])
        self.chapter.add_class("course-board-chapter")
        self.tag_button = w.Button(description="归入本章", button_style="primary")
        self.tag_button.add_class("course-board-tag")
        self.tag_button.on_click(lambda _b: self.tag())
        self.status = w.HTML("")
        self.status.add_class("course-board-status")
        tools = w.HBox([self.problem, self.chapter, self.tag_button, self.refresh_button])
        super().__init__([tools, self.status, self.view])
        self.add_class("course-board")
        self._task: asyncio.Task | None = None
        self.refresh()
        if auto:
            try:
                self._task = asyncio.get_running_loop().create_task(self._loop())
            except RuntimeError:  # no event loop (plain Python): refresh by button only
                self._task = None

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            self.refresh(keep_status=True)

    def stop(self) -> None:
        """Stop the automatic refresh."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def refresh(self, keep_status: bool = False) -> None:
        """Reload the board from the database."""
        try:
            posts = self._board.rows()
        except BoardError as exc:
            self.status.value = status_html(str(exc), "error")
            return
        self.view.value = _board_html(posts)
        options = [(f"[{p.id}] {p.payload['text'][:40]}", p.id) for p in posts if p.kind == "problem"]
        current = self.problem.value
        if [o[1] for o in options] != [o[1] for o in self.problem.options]:
            self.problem.options = options
            ids = [o[1] for o in options]
            if current in ids:
                self.problem.value = current
            elif ids:
                self.problem.value = ids[-1]  # the newest problem, ready to file
        if not keep_status:
            self.status.value = ""

    def tag(self) -> None:
        """File the chosen problem under the chosen chapter."""
        if self.problem.value is None:
            self.status.value = status_html("请先在“难题”里选一条。", "warn")
            return
        try:
            post = self._board.tag(self.problem.value, self.chapter.value)
        except BoardError as exc:
            self.status.value = status_html(str(exc), "error")
            return
        self.refresh()
        self.status.value = status_html(f"已把难题 [{post.id}] 归入第 {post.chapter} 章。")
