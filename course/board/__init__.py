"""Class board: learners' problems, observer sheets, polls and plans, aggregated for the trainer."""

from __future__ import annotations

from typing import Any

from course.board.store import KINDS, Board, BoardError, Post, open_board

__all__ = ["KINDS", "Board", "BoardError", "Post", "cases", "cases_html", "open_board"]


def cases(chapter: str, root: Any = None) -> list[Post]:
    """The learners' problems the trainer filed under ``chapter`` (``"01"`` … ``"05"``)."""
    return open_board(root).rows("problem", chapter=chapter)


def cases_html(chapter: str, root: Any = None) -> str:
    """An HTML block “学员提出的难题” for a lesson cell (``display(HTML(cases_html("01")))``)."""
    from html import escape

    try:
        posts = cases(chapter, root)
    except BoardError as exc:
        return f'<div class="course-board-cases"><b>学员提出的难题</b>：{escape(str(exc))}</div>'
    if not posts:
        items = "<li>（本章还没有归入学员的难题。）</li>"
    else:
        items = "".join(f"<li>{escape(p.payload['text'])}</li>" for p in posts)
    return (f'<div class="course-board-cases"><b>学员提出的难题</b>'
            f'<ul>{items}</ul></div>')
