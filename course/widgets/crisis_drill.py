"""CrisisDrill: play an incident on a simulated clock — timeline, decisions, statements, debrief."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as w

from course import crisis
from course.crisis import CrisisError, Drill
from course.widgets._common import status_html
from course.widgets._drafts import DraftStore

__all__ = ["CrisisDrill"]

_LETTERS = "ABCDEFGH"

# Timeline badges: plain text (emoji fonts are often missing on training machines).
_KIND_STYLE = {
    "event": ("事件", "#333"),
    "decision": ("决定", "#1a5fb4"),
    "statement": ("发布", "#1a5fb4"),
    "escalation": ("升级", "#c62828"),
    "end": ("结束", "#000"),
}


class CrisisDrill(w.VBox):
    """Choose an incident, decide at each checkpoint, write statements with a live review.

    The drill itself is :attr:`drill` (a :class:`course.crisis.Drill`); this view only renders
    its timeline, state, chart and debrief. Engine errors appear in Chinese next to the field.
    The decisions, published statements and the statement being drafted are saved next to the
    notebook and replayed when the cell runs again.
    """

    def __init__(self, incident: str = "meter_replacement", seed: int = 0, *,
                 chart: bool = True, key: str | None = None) -> None:
        self._store = DraftStore(key or f"CrisisDrill-{incident}")
        saved = self._store.load()
        if saved.get("incident") in {i.id for i in crisis.incidents()}:
            incident = saved["incident"]
        self.drill: Drill = crisis.start(incident, seed)  # bad id or seed: CrisisError in Chinese
        self._actions: list[Any] = []
        self._chart_on = chart
        self._seed = seed
        self._incident = w.Dropdown(
            options=[(i.title, i.id) for i in crisis.incidents()], value=incident,
            layout=w.Layout(width="26em"),
        )
        self._incident.add_class("course-crisis-incident")
        self._restart = w.Button(description="重新开始")
        self._restart.add_class("course-crisis-restart")
        self._summary = w.HTML()
        self._clock = w.HTML()
        self._clock.add_class("course-crisis-clock")
        self._countdown = w.FloatProgress(min=0, max=1, value=1, description="时间窗口",
                                          layout=w.Layout(width="24em"))
        self._countdown.add_class("course-crisis-countdown")
        self._countdown_text = w.HTML()
        self._timeline = w.HTML()
        self._timeline.add_class("course-crisis-timeline")
        self._prompt = w.HTML()
        self._prompt.add_class("course-crisis-prompt")
        self._options = w.VBox()
        self._options.add_class("course-crisis-options")
        self._editor = w.Textarea(value=str(saved.get("draft") or ""),
                                  placeholder="在这里起草声明或回复……", continuous_update=True,
                                  layout=w.Layout(width="100%", height="9em"))
        self._editor.add_class("course-crisis-statement")
        self._review = w.HTML()
        self._review.add_class("course-crisis-review-live")
        self._publish = w.Button(description="发布", button_style="primary")
        self._publish.add_class("course-crisis-publish")
        self._editor_error = w.HTML()
        self._editor_error.add_class("course-crisis-statement-error")
        self._statement_box = w.VBox([self._editor, w.HBox([self._publish, self._editor_error]),
                                      self._review])
        self._feedback = w.HTML()
        self._feedback.add_class("course-crisis-feedback")
        self._chart = w.Image(format="png", layout=w.Layout(max_width="640px"))
        self._chart.add_class("course-crisis-chart")
        self._debrief = w.HTML()
        self._debrief.add_class("course-crisis-debrief-view")

        self._incident.observe(self._on_incident, names="value")
        self._restart.on_click(lambda _b: self.restart())
        self._editor.observe(self._on_edit, names="value")
        self._publish.on_click(lambda _b: self.publish())
        super().__init__([
            w.HTML("<h4>危机事件演练</h4>"),
            w.HBox([self._incident, self._restart]),
            self._summary,
            self._clock,
            w.HBox([self._countdown, self._countdown_text]),
            self._timeline,
            self._feedback,
            self._prompt,
            self._options,
            self._statement_box,
            self._chart,
            self._debrief,
        ])
        self.add_class("course-crisis-drill")
        self._replay(list(saved.get("actions") or []))
        self._render()

    # -- actions (also used by tests) -----------------------------------------------------
    def restart(self, incident: str | None = None) -> None:
        """Start the chosen incident again from hour 0."""
        self.drill = crisis.start(incident or self._incident.value, self._seed)
        self._actions = []
        self._editor.value = ""
        self._feedback.value = ""
        self._save()
        self._render()

    def choose(self, index: int) -> None:
        """Take option ``index`` at the current decision checkpoint."""
        try:
            self.drill.decide(index)
        except CrisisError as exc:
            self._feedback.value = status_html(str(exc), "error")
            return
        self._actions.append(index)
        self._save()
        self._show_feedback()
        self._render()

    def publish(self) -> None:
        """Publish the editor's text at the current statement checkpoint."""
        text = self._editor.value
        try:
            self.drill.statement(text)
        except CrisisError as exc:
            self._editor_error.value = (
                f'<span class="course-error" style="color:#c62828">{escape(str(exc))}</span>'
            )
            return
        self._actions.append(text)
        self._editor_error.value = ""
        self._editor.value = ""
        self._save()
        self._show_feedback()
        self._render()

    # -- events -----------------------------------------------------------------------------
    def _on_incident(self, change: Any) -> None:
        self.restart(change["new"])

    def _replay(self, actions: list[Any]) -> None:
        """Take saved decisions and statements again (stopping at one no longer accepted)."""
        for action in actions:
            try:
                if isinstance(action, str):
                    self.drill.statement(action)
                else:
                    self.drill.decide(int(action))
            except (CrisisError, ValueError, TypeError):
                break
            self._actions.append(action)

    def _save(self) -> None:
        self._store.save({"incident": self._incident.value, "actions": self._actions,
                          "draft": self._editor.value})

    def _on_edit(self, change: Any) -> None:
        text = change["new"]
        self._save()
        cp = self.drill.state.checkpoint
        if not text.strip() or cp is None or cp.kind != "statement":
            self._review.value = ""
            return
        self._editor_error.value = ""
        self._review.value = self.drill.preview(text)._repr_html_()

    def _show_feedback(self) -> None:
        d = self.drill.decisions[-1]
        colour = "#1a7f37" if d.is_best else "#b26a00"
        self._feedback.value = (
            f'<div style="border-left:4px solid {colour};padding:2px 8px">'
            f"<b>{escape(d.skill)}</b>：{escape(d.feedback)}</div>"
        )

    # -- rendering ---------------------------------------------------------------------------
    def _render(self) -> None:
        d = self.drill
        st = d.state
        inc = d.incident
        self._summary.value = f'<p style="color:#555">{escape(inc.summary)}</p>'
        self._clock.value = (
            f"<b>模拟时钟 {escape(st.clock)}</b>　环节 {min(st.step + 1, st.steps)}/{st.steps}"
            f"　舆情指数 <b>{st.sentiment:.0f}</b>　媒体关注度 <b>{st.attention:.0f}</b>　"
            + ("已升级到：" + "、".join(crisis.CHANNELS[c] for c in st.escalations)
               if st.escalations else "尚未升级")
        )
        rows = []
        for e in d.timeline:
            badge, colour = _KIND_STYLE[e.kind]
            rows.append(
                f'<li class="course-crisis-entry course-crisis-{e.kind}" style="color:{colour}">'
                f"<code>{escape(str(e).split(']')[0][1:])}</code> "
                f'<span style="border:1px solid {colour};border-radius:3px;padding:0 3px;'
                f'font-size:85%">{badge}</span> {escape(e.text)}</li>'
            )
        self._timeline.value = (
            '<ol style="list-style:none;padding-left:0">'
            + "".join(rows) + "</ol>"
        )
        cp = st.checkpoint
        self._options.children = ()
        self._statement_box.layout.display = "none"
        if cp is None:
            self._prompt.value = ""
            self._countdown.layout.display = "none"
            self._countdown_text.value = ""
            self._debrief.value = d.debrief()._repr_html_()
        else:
            self._debrief.value = ""
            self._prompt.value = (
                f"<p><b>【{escape(cp.skill)}】</b>{escape(d.prompt())}</p>"
            )
            self._render_countdown(cp, st.hour)
            if cp.kind == "decision":
                rows = []
                for i, opt in enumerate(cp.options):
                    b = w.Button(description=f"选 {_LETTERS[i]}", layout=w.Layout(width="5em"))
                    b.add_class("course-crisis-option")
                    b.on_click(lambda _b, i=i: self.choose(i))
                    label = w.HTML(f"<b>{_LETTERS[i]}.</b> {escape(opt.label)}",
                                   layout=w.Layout(flex="1"))
                    rows.append(w.HBox([b, label], layout=w.Layout(align_items="center")))
                self._options.children = tuple(rows)
            else:
                self._statement_box.layout.display = None
        if self._chart_on:
            from course.crisis.charts import drill_png

            self._chart.value = drill_png(d)

    def _render_countdown(self, cp: crisis.Checkpoint, hour: float) -> None:
        self._countdown.layout.display = None
        if cp.kind == "statement" and cp.window:
            left = cp.window - hour
            self._countdown.value = max(0.0, min(1.0, left / cp.window))
            self._countdown.bar_style = "success" if left >= cp.hours else "danger"
            self._countdown_text.value = (
                f"距离时间窗口（第{cp.window:g}小时）还有 {max(left, 0):g} 小时；"
                f"起草发布约需 {cp.hours:g} 小时" if left > 0 else
                f"已超过第{cp.window:g}小时的时间窗口，尽快发布！"
            )
        else:
            nxt = self._next_event_hour()
            span = max(nxt - hour, 0.0) if nxt is not None else 0.0
            self._countdown.value = 1.0 if nxt is None else min(1.0, span / max(nxt, 1.0))
            self._countdown.bar_style = "info"
            self._countdown_text.value = (
                f"下一个节点：第{nxt:g}小时（还有 {span:g} 小时）" if nxt is not None
                else "这是最后一个环节"
            )

    def _next_event_hour(self) -> float | None:
        cps = self.drill.incident.checkpoints
        step = self.drill.state.step
        return cps[step + 1].at if step + 1 < len(cps) else None
