"""ObserverSheet: the observer ticks the sheet during a live pair role-play and posts it to the board."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w

from course import kits
from course.board import Board, BoardError
from course.widgets._common import Debouncer, status_html
from course.widgets._drafts import DraftStore
from course.widgets.board import BoardWidget

__all__ = ["ObserverSheet"]

_CSS = """<style>
.course-observer .course-observer-check { height: auto; min-height: 28px; width: 100%; }
.course-observer .course-observer-check label { display: flex; align-items: flex-start;
  gap: 0.45em; white-space: normal; overflow: visible; height: auto; line-height: 1.45; }
.course-observer .course-observer-check input[type=checkbox] { width: 1.25em; height: 1.25em;
  flex: 0 0 auto; margin: 0.05em 0 0 0; }
.course-observer .course-observer-check span { white-space: normal; overflow: visible; }
</style>"""


def _sheet(scenario: Any) -> kits.Card:
    """The observer sheet of ``scenario``; an unknown id: a Chinese message listing the choices."""
    from course import roleplay

    known = roleplay.scenarios()
    if not isinstance(scenario, str) or scenario.strip() not in known:
        choices = "；".join(f"{sid}（{roleplay.scenario(sid).title}）" for sid in known)
        raise kits.KitError(
            f"没有编号为 {scenario!r} 的场景。请把下面的场景编号之一（带英文引号）写进括号，"
            f"例如 ObserverSheet(\"{known[0]}\")。可选的场景：{choices}。")
    return kits.observer_sheet(scenario.strip())


class ObserverSheet(BoardWidget):
    """The observer's sheet for ``scenario`` on a laptop or tablet: tick what the staff member
    does (and the 禁语 heard), see the live score, and post it to the class board.

    Ticks, names and the note are saved as drafts while ticking and come back when the cell runs
    again (kernel restart, browser reload)."""

    def __init__(self, scenario: str, *, pair: str = "", board: Board | None = None,
                 root: Path | None = None, learner: str | None = None, key: str | None = None,
                 delay: float = 0.4) -> None:
        self.sheet = _sheet(scenario)
        self._board, self._root, self._learner = board, root, learner
        suffix = f"-{pair}" if pair else ""
        self._store = DraftStore(key or f"ObserverSheet-{self.sheet.scenario_id}{suffix}")
        saved = self._store.load()
        self._save_later = Debouncer(delay, self._save)
        ticks = saved.get("ticks") if isinstance(saved.get("ticks"), dict) else {}

        self.pair = w.Text(value=str(saved.get("pair", pair) or ""),
                           placeholder="例如：第3组 张三", layout=w.Layout(width="16em"))
        self.pair.add_class("course-observer-pair")
        self.observer = w.Text(value=str(saved.get("observer") or self._who()),
                               placeholder="你的名字", layout=w.Layout(width="16em"))
        self.observer.add_class("course-observer-name")
        self.note = w.Textarea(value=str(saved.get("note") or ""),
                               placeholder="一两句话：做得好的地方、下次可以改进的地方",
                               layout=w.Layout(width="100%", height="4.5em"))
        self.note.add_class("course-observer-note")
        for field in (self.pair, self.observer, self.note):
            field.observe(lambda _c: self._save_later(), names="value")

        self._boxes: dict[str, w.Checkbox] = {}
        sections: list[w.Widget] = []
        for sec in self.sheet.sections:
            cells = [self._item(it, bool(ticks.get(it.id)), sec.group) for it in sec.items]
            colour = "#c62828" if sec.group == "forbidden" else "#1565c0"
            head = w.HTML(f'<div style="font-weight:bold;color:{colour};margin-top:0.6em;'
                          f'border-bottom:1px solid #ddd">{escape(sec.title)}</div>')
            grid = w.GridBox(cells, layout=w.Layout(
                grid_template_columns="repeat(auto-fill, minmax(19em, 1fr))",
                grid_gap="0.2em 1.2em", width="100%"))
            box = w.VBox([head, grid], layout=w.Layout(width="100%"))
            box.add_class(f"course-observer-section-{sec.group}")
            sections.append(box)

        self.score_view = w.HTML("")
        self.score_view.add_class("course-observer-score")
        self.submit_button = w.Button(description="提交观察表", button_style="primary",
                                      icon="paper-plane", layout=w.Layout(width="auto"))
        self.submit_button.add_class("course-observer-submit")
        self.submit_button.on_click(lambda _b: self.submit())
        self.clear_button = w.Button(description="清空，观察下一组", icon="eraser",
                                     layout=w.Layout(width="auto"))
        self.clear_button.add_class("course-observer-clear")
        self.clear_button.on_click(lambda _b: self.clear())
        self.status = w.HTML("")
        self.status.add_class("course-observer-status")

        def row(label: str, control: w.Widget) -> w.HBox:
            return w.HBox([w.HTML(f"<b>{label}</b>", layout=w.Layout(width="8.5em")), control],
                          layout=w.Layout(align_items="center", flex_flow="row wrap"))

        header = w.HTML(
            f"{_CSS}<h3 style=\"margin:0.2em 0\">观察员记录表</h3>"
            f'<p style="margin:0.2em 0;font-size:110%"><b>情景：</b>{escape(self.sheet.title)}</p>'
            '<p style="margin:0.2em 0;color:#555;white-space:normal">演练时看到员工做到了就勾上；'
            "听到禁语也勾上（禁语不加分）。勾选随时保存，演练结束后点“提交观察表”。</p>")
        super().__init__([
            header, row("小组/被观察的学员", self.pair), row("观察员", self.observer),
            *sections, w.HTML("<b>备注</b>", layout=w.Layout(margin="0.6em 0 0 0")), self.note,
            self.score_view, w.HBox([self.submit_button, self.clear_button],
                                    layout=w.Layout(gap="0.6em", flex_flow="row wrap")),
            self.status,
        ], layout=w.Layout(width="100%", max_width="64em"))
        self.add_class("course-observer")
        self._show_score()

    def _item(self, item: kits.Item, value: bool, group: str) -> w.Widget:
        box = w.Checkbox(value=value, description=item.text, indent=False,
                         layout=w.Layout(width="100%"))
        box.add_class("course-observer-check")
        box.observe(lambda _c: self._on_tick(), names="value")
        self._boxes[item.id] = box
        parts: list[w.Widget] = [box]
        if item.hint:
            parts.append(w.HTML(f'<div style="color:#777;font-size:88%;line-height:1.35;'
                                f'white-space:normal;padding-left:1.7em">{escape(item.hint)}</div>'))
        cell = w.VBox(parts, layout=w.Layout(padding="2px 0", width="100%"))
        cell.add_class("course-observer-item")
        cell.add_class(f"course-observer-{group}")
        return cell

    # -- public -------------------------------------------------------------------------------

    @property
    def ticks(self) -> dict[str, bool]:
        """Every box of the sheet: ``{item_id: ticked}``."""
        return {k: bool(b.value) for k, b in self._boxes.items()}

    def tick(self, *item_ids: str, value: bool = True) -> None:
        """Tick (or untick) boxes by id (``action1``, ``step3``, ``layer2``, ``move_…``)."""
        unknown = [i for i in item_ids if i not in self._boxes]
        if unknown:
            raise kits.KitError(f"勾选项 {'、'.join(unknown)} 不在本观察表上；可用的编号如 "
                                f"{'、'.join(list(self._boxes)[:4])} ……")
        for i in item_ids:
            self._boxes[i].value = value

    @property
    def result(self) -> kits.Score:
        """The live tally of the ticks."""
        return kits.score(self.sheet, self.ticks)

    def submit(self) -> Any:
        """Post the sheet to the board (kind ``observer``); returns the post or ``None``."""
        r = self.result
        payload = {"scenario": self.sheet.scenario_id, "pair": self.pair.value,
                   "observer": self.observer.value, "ticks": self.ticks, "score": r.score,
                   "max": r.max, "note": self.note.value.strip()}
        try:
            post = self._get_board().post("observer", payload, learner=self._who() or None)
        except BoardError as exc:
            self.status.value = status_html(str(exc), "error")
            return None
        self._save()
        self.status.value = status_html(
            f"已提交观察表（第 {post.id} 条）：{post.payload['pair']}，{r}。"
            "要观察下一组，点“清空，观察下一组”。")
        return post

    def clear(self) -> None:
        """Untick everything and empty 小组 and 备注 (the observer's name stays)."""
        for b in self._boxes.values():
            b.value = False
        self.pair.value = ""
        self.note.value = ""
        self._save()
        self.status.value = status_html("已清空，可以观察下一组。")

    # -- internals ----------------------------------------------------------------------------

    def _on_tick(self) -> None:
        self._show_score()
        self._save_later()

    def _show_score(self) -> None:
        r = self.result
        self.score_view.value = (
            f'<div data-score="{r.score}" data-max="{r.max}" data-forbidden="{r.forbidden_heard}"'
            f' style="font-size:120%;margin:0.5em 0"><b>当前得分：</b>做到 <b>{r.score}</b> / {r.max} 项'
            f'，听到禁语 <b style="color:#c62828">{r.forbidden_heard}</b> 次</div>')

    def _save(self) -> None:
        self._store.save({"pair": self.pair.value, "observer": self.observer.value,
                          "ticks": {k: v for k, v in self.ticks.items() if v},
                          "note": self.note.value})

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # plain-text fallback, no widget ids
        p.text(f"观察员记录表：{self.sheet.title}")
