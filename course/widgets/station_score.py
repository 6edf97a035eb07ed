"""StationScoreSheet: a day-3 judge scores one team at one station and sends it to the class board."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w

from course.board import Board, BoardError
from course.widgets._common import status_html
from course.widgets._drafts import DraftStore
from course.widgets.board import BoardWidget

__all__ = ["StationScoreSheet"]


class StationScoreSheet(BoardWidget):
    """The judges' scoring sheet of one day-3 station: a level per rubric criterion, the weighted
    total out of 100 shown live, 「提交评分」 posts kind ``station_score`` (a judge's later sheet for
    the same team and station replaces the earlier one in the ranking)."""

    def __init__(self, station: str, *, team: str = "", board: Board | None = None,
                 root: Path | None = None, learner: str | None = None, key: str | None = None) -> None:
        from course.handbook.model import HandbookError, load_day3

        day3 = load_day3()
        try:
            self.station = day3.station(station)
        except HandbookError:
            names = "、".join(f"{s.id}（{s.name}）" for s in day3.stations)
            raise BoardError(f"没有站点“{station}”。可选的站点：{names}；"
                             f"例如 StationScoreSheet(\"{day3.stations[0].id}\")。") from None
        self._board, self._root, self._learner = board, root, learner
        self._store = DraftStore(key or f"StationScore-{self.station.id}")
        saved = self._store.load()
        self.team = w.Text(value=team or saved.get("team", ""), placeholder="例如：第 3 队",
                           description="队伍", layout=w.Layout(width="22em"))
        self.team.add_class("course-station-team")
        self.judge = w.Text(value=saved.get("judge", ""), placeholder="评委姓名",
                            description="评委", layout=w.Layout(width="22em"))
        self.judge.add_class("course-station-judge")
        levels = {n: text for n, text in day3.levels}
        self.levels: dict[str, w.Dropdown] = {}
        rows = []
        for c in self.station.criteria:
            options = [("请选择", None)] + [(f"{n} {levels.get(n, '')}".strip(), n) for n, _ in c.descriptors]
            value = saved.get("scores", {}).get(c.id)
            pick = w.Dropdown(options=options, value=value if value in dict(options).values() else None,
                              layout=w.Layout(width="9em"))
            pick.add_class("course-station-level")
            pick.observe(lambda _c: self._changed(), names="value")
            self.levels[c.id] = pick
            hints = "；".join(f"{n} 分：{d}" for n, d in c.descriptors)
            rows.append(w.HBox([w.HTML(f"<b>{escape(c.name)}</b>（权重 {c.weight}）"
                                       f"<br><small style='color:#666'>{escape(hints)}</small>",
                                       layout=w.Layout(width="32em")), pick],
                               layout=w.Layout(align_items="center", gap="0.8em")))
        for box in (self.team, self.judge):
            box.observe(lambda _c: self._changed(), names="value")
        self.total = w.HTML("")
        self.total.add_class("course-station-total")
        self.submit_button = w.Button(description="提交评分", button_style="primary", icon="paper-plane")
        self.submit_button.add_class("course-station-submit")
        self.submit_button.on_click(lambda _b: self.submit())
        self.status = w.HTML("")
        self.status.add_class("course-station-status")
        super().__init__([
            w.HTML(f"<div style='font-size:115%'><b>第三天评分表：{escape(self.station.name)}</b>"
                   f"（{escape(self.station.place)}）</div>"),
            self.team, self.judge, *rows, self.total, self.submit_button, self.status,
        ], layout=w.Layout(max_width="52em"))
        self.add_class("course-station-score")
        self._show_total()

    def scores(self) -> dict[str, int]:
        """The levels chosen so far (criterion id → level)."""
        return {cid: pick.value for cid, pick in self.levels.items() if pick.value is not None}

    def submit(self) -> Any:
        """Post the sheet (kind ``station_score``); returns the post, or ``None`` with a Chinese message."""
        from course.handbook.scoring import score_total

        if not self.team.value.strip():
            self.status.value = status_html("请先填写“队伍”（例如 第 3 队），再提交。", "warn")
            return None
        if not self.judge.value.strip():
            self.status.value = status_html("请先填写“评委”姓名，再提交。", "warn")
            return None
        try:
            total = score_total(self.station, self.scores())
            payload = {"station": self.station.name, "team": self.team.value.strip(),
                       "judge": self.judge.value.strip(), "scores": self.scores(), "total": total}
            post = self._get_board().post("station_score", payload, learner=self._who(), chapter="05")
        except ValueError as exc:  # HandbookError / BoardError: already in Chinese
            self.status.value = status_html(str(exc), "warn")
            return None
        self.status.value = status_html(
            f"已提交：{escape(post.payload['team'])} 在“{escape(self.station.name)}”得 {total:g} 分。"
            "改分可以重新选再提交，排名只算这位评委对这个队的最后一次评分。")
        return post

    def _changed(self) -> None:
        self._store.save({"team": self.team.value, "judge": self.judge.value, "scores": self.scores()})
        self._show_total()

    def _show_total(self) -> None:
        from course.handbook.scoring import score_total

        done, need = len(self.scores()), len(self.levels)
        if done < need:
            self.total.value = f"<div>已打 {done} / {need} 项，全部打完后显示总分。</div>"
        else:
            total = score_total(self.station, self.scores())
            self.total.value = (f"<div style='font-size:110%'>总分：<b data-total='{total:g}'>{total:g}</b>"
                                " / 100</div>")

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # plain-text fallback, no widget ids
        p.text(f"第三天评分表：{self.station.name}")
