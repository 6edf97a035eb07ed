"""ScenarioPlayer: play a complaint scenario turn by turn, with a live emotion chart and debrief."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote

import ipywidgets as w

from course import roleplay
from course.roleplay import RoleplayError, Session
from course.widgets._common import ERROR_CLASS, png_image, status_html
from course.widgets._drafts import DraftStore

__all__ = ["ScenarioPlayer"]

_BUBBLE = {
    "客户": "background:#fff3e0;border-radius:8px;padding:6px 10px;margin:4px 20% 4px 0",
    "员工": "background:#e3f2fd;border-radius:8px;padding:6px 10px;margin:4px 0 4px 20%",
}


_WHO = {"客户": "customer", "员工": "staff"}


def _label(scen) -> str:
    """A scenario as the menu shows it: the seed's hard cases by title, the others with the job."""
    return scen.title if scen.case else f"{scen.title}（{scen.job}）"


class ScenarioPlayer(w.VBox):
    """Chat view, option buttons and a reply box over :mod:`course.roleplay`.

    Shows the customer's anger, trust and escalation level after every turn (and a chart of
    them), the debrief at the end, a Markdown export of the transcript, and the 22 strategies.
    The chat keeps its newest line in view. Engine errors (an empty reply …) appear in Chinese
    next to the reply box; what was typed stays. The conversation so far (and an unsent reply)
    is saved next to the notebook and replayed when the cell runs again.
    """

    def __init__(self, scenario_id: str = "refuse_to_pay", seed: int = 0, *,
                 chart: bool = True, key: str | None = None) -> None:
        self._chart_on = chart
        self._seed = seed
        self._store = DraftStore(key or f"ScenarioPlayer-{scenario_id}")
        saved = self._store.load()
        self._actions: list[dict[str, Any]] = []
        if saved.get("scenario") in roleplay.scenarios():
            scenario_id = saved["scenario"]
        self._picker = w.Dropdown(
            options=[(_label(roleplay.scenario(s)), s) for s in roleplay.scenarios()],
            value=roleplay.scenario(scenario_id).id, layout=w.Layout(width="32em"))
        self._picker.add_class("course-roleplay-scenario")
        self._restart_btn = w.Button(description="重新开始", icon="refresh")
        self._restart_btn.add_class("course-roleplay-restart")
        self._info = w.HTML()
        self._chat = w.HTML()
        self._chat.add_class("course-roleplay-chat")
        self._status = w.HTML()
        self._status.add_class("course-roleplay-status")
        self._feedback = w.HTML()
        self._feedback.add_class("course-roleplay-feedback")
        self._options = w.VBox()
        self._options.add_class("course-roleplay-options")
        self._reply = w.Textarea(value=str(saved.get("reply") or ""),
                                 placeholder="也可以用自己的话回复客户……",
                                 layout=w.Layout(width="100%", height="5em"))
        self._reply.add_class("course-roleplay-reply")
        self._send_btn = w.Button(description="发送回复", button_style="primary")
        self._send_btn.add_class("course-roleplay-send")
        self._error = w.HTML()
        self._error.add_class("course-roleplay-reply-error")
        self._chart = w.Box(layout=w.Layout(width="42%", align_items="flex-start"))
        self._chart.add_class("course-roleplay-chart")
        self._debrief = w.HTML()
        self._debrief.add_class("course-roleplay-debrief-box")
        self._export_btn = w.Button(description="导出记录（Markdown）", icon="download",
                                    layout=w.Layout(width="auto"))
        self._export_btn.add_class("course-roleplay-export")
        self._export = w.HTML()
        self._export.add_class("course-roleplay-download")
        self._strategy = w.Dropdown(
            options=[("（选择一条策略查看说明）", "")]
            + [(f"{s.number}. {s.name}", s.id) for s in roleplay.strategies()],
            value="", layout=w.Layout(width="24em"))
        self._strategy.add_class("course-roleplay-strategy")
        self._strategy_card = w.HTML()
        self._strategy_card.add_class("course-roleplay-strategy-card")

        self._picker.observe(lambda _c: self.restart(), names="value")
        self._reply.observe(lambda _c: self._save(), names="value")
        self._restart_btn.on_click(lambda _b: self.restart())
        self._send_btn.on_click(lambda _b: self._on_send())
        self._export_btn.on_click(lambda _b: self._on_export())
        self._strategy.observe(self._on_strategy, names="value")
        reply_row = w.HBox([self._send_btn, self._error], layout=w.Layout(align_items="center"))
        super().__init__([
            w.HTML("<h4>投诉角色扮演</h4>"),
            w.HBox([self._picker, self._restart_btn]),
            self._info,
            w.HBox([w.VBox([self._chat, self._status, self._feedback],
                           layout=w.Layout(width="58%")),
                    self._chart], layout=w.Layout(gap="1em")),
            w.HTML("<b>选择一个回答（点字母按钮）：</b>"),
            self._options,
            self._reply,
            reply_row,
            self._debrief,
            w.HBox([self._export_btn, self._export], layout=w.Layout(align_items="center")),
            w.HTML("<b>22 大策略速查：</b>"),
            self._strategy,
            self._strategy_card,
        ])
        self.add_class("course-scenario-player")
        self.session: Session = roleplay.start(self._picker.value, seed=seed)
        if saved.get("scenario") == self._picker.value:
            self._replay(list(saved.get("actions") or []))
        self._render()

    # -- actions (also usable from code) ------------------------------------------------------

    def restart(self, scenario_id: str | None = None, seed: int | None = None) -> None:
        """Start the chosen scenario again (optionally another scenario or seed)."""
        if scenario_id is not None and scenario_id != self._picker.value:
            self._picker.value = roleplay.scenario(scenario_id).id  # triggers restart()
            return
        if seed is not None:
            self._seed = seed
        self.session = roleplay.start(self._picker.value, seed=self._seed)
        self._actions = []
        self._reply.value = ""
        self._export.value = ""
        self._save()
        self._render()

    def choose(self, option_index: int) -> None:
        """Pick a scripted option, as the button does."""
        self._act(lambda: self.session.choose(option_index), {"choice": option_index})

    def reply(self, text: str) -> None:
        """Send a free-text reply, as the send button does."""
        self._reply.value = text if isinstance(text, str) else ""
        self._act(lambda: self.session.reply(text), {"reply": text}, clear_reply=True)

    @property
    def markdown(self) -> str:
        """The transcript (with the debrief once ended) as Markdown."""
        return self.session.to_markdown()

    # -- events -------------------------------------------------------------------------------

    def _act(self, turn: Any, action: dict[str, Any], clear_reply: bool = False) -> None:
        try:
            turn()
        except RoleplayError as exc:
            self._error.value = (f'<span class="{ERROR_CLASS}" style="color:#c62828">'
                                 f"{escape(str(exc))}</span>")
            return
        self._actions.append(action)
        self._error.value = ""
        if clear_reply:
            self._reply.value = ""
        self._save()
        self._render()

    def _replay(self, actions: list[dict[str, Any]]) -> None:
        """Play saved turns again (stopping quietly at one the scenario no longer accepts)."""
        for action in actions:
            try:
                if "choice" in action:
                    self.session.choose(int(action["choice"]))
                else:
                    self.session.reply(str(action.get("reply", "")))
            except (RoleplayError, ValueError, TypeError):
                break
            self._actions.append(action)

    def _save(self) -> None:
        self._store.save({"scenario": self._picker.value, "seed": self._seed,
                          "actions": self._actions, "reply": self._reply.value})

    def _on_send(self) -> None:
        self.reply(self._reply.value)

    def _on_export(self) -> None:
        md = self.markdown
        name = f"角色扮演_{self.session.scenario.id}.md"
        href = "data:text/markdown;charset=utf-8," + quote(md)
        self._export.value = (f'<a class="course-roleplay-download-link" download="{name}" '
                              f'href="{href}">下载 {escape(name)}</a>（共 {len(md)} 字）')

    def _on_strategy(self, change: dict) -> None:
        key = change["new"]
        self._strategy_card.value = roleplay.strategy(key)._repr_html_() if key else ""

    # -- rendering ----------------------------------------------------------------------------

    def _render(self) -> None:
        s = self.session
        scen = s.scenario
        self._info.value = (
            f'<p style="color:#555">{escape(scen.case_text)}<br>你的岗位：{escape(scen.job)}'
            f"（{escape(scen.channel)}）；客户：{escape(scen.customer_name)}"
            f"（{escape(scen.profile)}）；类型：{escape(scen.customer_type)}；{scen.compensation_label}"
            "客户</p>")
        bubbles = "".join(
            f'<div class="course-roleplay-line course-roleplay-{_WHO[ln.speaker]}"'
            f' style="{_BUBBLE[ln.speaker]}"><b>{ln.speaker}</b>：{escape(ln.text)}</div>'
            for ln in s.transcript)
        # column-reverse keeps the scroll position at the newest line as lines are added
        self._chat.value = ('<div class="course-roleplay-scroll" style="max-height:26em;'
                            'overflow-y:auto;display:flex;flex-direction:column-reverse">'
                            f"<div>{bubbles}</div></div>")
        st = s.state
        level = roleplay.escalation_levels()[st.level - 1]
        ended = ""
        if st.ending is not None:
            ended = (f' · <span class="course-roleplay-outcome" data-outcome="{st.outcome}">'
                     f"{escape(st.ending.outcome_name)}</span>")
        self._status.value = (
            f'<p data-anger="{st.anger}" data-trust="{st.trust}" data-level="{st.level}">'
            f"第 {st.turn}/{scen.turn_limit} 轮 · 愤怒 <b>{st.anger}</b> · "
            f"信任 <b>{st.trust}</b> · "
            f"<span title=\"{escape(level.response)}\">{escape(level.name)}：{escape(level.focus)}"
            f"</span>{ended}</p>")
        self._feedback.value = self._last_move_html()
        rows = []
        for i, text in enumerate(s.options):
            b = w.Button(description=chr(ord("A") + i), tooltip=text,
                         layout=w.Layout(width="3em", min_width="3em"))
            b.add_class("course-roleplay-option")
            b.on_click(lambda _b, i=i: self.choose(i))
            label = w.HTML(escape(text), layout=w.Layout(width="100%"))
            label.add_class("course-roleplay-option-text")
            rows.append(w.HBox([b, label], layout=w.Layout(align_items="center", gap="0.5em")))
        self._options.children = rows
        self._reply.disabled = self._send_btn.disabled = st.ended
        if st.ended:
            self._debrief.value = s.debrief()._repr_html_()
            self._error.value = status_html("对话已结束，可以查看复盘、导出记录，或点“重新开始”。")
        else:
            self._debrief.value = ""
        if self._chart_on:
            from course.plotting import figure_png
            from course.roleplay.charts import plot_session

            self._chart.children = [png_image(figure_png(plot_session(s)), "100%")]

    def _last_move_html(self) -> str:
        if not self.session.moves:
            return ""
        m = self.session.moves[-1]
        labels = "、".join(roleplay.signal_label(x) for x in m.signals) or "无明显作用"
        colour = "#c62828" if m.harmful else ("#2e7d32" if m.helped else "#555")
        score = f"；教练评分 {m.review.score} 分" if m.review is not None else ""
        return (f'<p style="color:{colour};font-size:90%">上一轮：{escape(labels)}'
                f"（愤怒 {m.anger_change:+d}，信任 {m.trust_change:+d}{score}）</p>")
