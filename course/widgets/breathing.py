"""BreathingPacer: a paced-breathing exercise — 吸气 / 屏住 / 呼气 in large text, 开始/停止.

The clock is an ``ipywidgets.Play`` counting ticks in the browser (its timer runs in the page, not
in the kernel), linked in the page to the progress bar; each tick the kernel asks the engine
(:func:`course.wellbeing.step_at`) what to show. Nothing waits or sleeps in the kernel, so other
cells run while the exercise goes on.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from course import wellbeing
from course.wellbeing import BreathPattern, BreathStep

__all__ = ["BreathingPacer"]

_CSS = """<style>
.course-breath-circle{border-radius:50%;background:#9fd3e6;border:3px solid #4a9bb8;
  transition:width .25s linear,height .25s linear;box-sizing:border-box}
.course-breath-circle.course-breath-hold{background:#b9e3c6;border-color:#4d9a66}
.course-breath-label{font-size:64px;font-weight:bold;line-height:1.1;color:#1d4e63}
.course-breath-count{font-size:32px;color:#333}
.course-breath-cue{font-size:18px;color:#444}
.course-breath-round{font-size:15px;color:#666}
</style>"""
_SMALL, _LARGE = 60, 170  # circle diameter (px) with lungs empty / full


class BreathingPacer(w.VBox):
    """Guide a few rounds of slow breathing: press 开始, follow the circle and the words."""

    def __init__(self, pattern: str | None = None, *, ticks_per_second: int = 4) -> None:
        self.pattern: BreathPattern = wellbeing.breathing_pattern(pattern)  # bad id: Chinese error
        self._rate = ticks_per_second
        self._choice = w.Dropdown(options=[(f"{p.title}：{p.rhythm}", p.id)
                                           for p in wellbeing.breathing_patterns()],
                                  value=self.pattern.id, description="节奏",
                                  layout=w.Layout(width="34em", max_width="100%"))
        self._choice.add_class("course-breath-pattern")
        self._clock = w.Play(min=0, step=1, interval=1000 // ticks_per_second, repeat=False,
                             show_repeat=False, layout=w.Layout(display="none"))
        self._clock.add_class("course-breath-clock")
        self._bar = w.IntProgress(min=0, layout=w.Layout(width="24em", max_width="100%"))
        self._bar.add_class("course-breath-progress")
        # the bar moves in the page, tick by tick, without a round trip to the kernel
        self._link = w.jslink((self._clock, "value"), (self._bar, "value"))
        self._circle = w.Box(layout=w.Layout(width=f"{_SMALL}px", height=f"{_SMALL}px"))
        self._circle.add_class("course-breath-circle")
        self._label = w.HTML()
        self._label.add_class("course-breath-text")
        self._button = w.Button(description="开始", button_style="primary",
                                layout=w.Layout(width="8em"))
        self._button.add_class("course-breath-toggle")
        self._button.on_click(lambda _b: self.stop() if self.running else self.start())
        self._clock.observe(self._on_tick, names="value")
        self._clock.observe(self._on_playing, names="playing")
        self._choice.observe(self._on_choice, names="value")
        stage = w.HBox([w.Box([self._circle], layout=w.Layout(
            width=f"{_LARGE + 10}px", height=f"{_LARGE + 10}px", align_items="center",
            justify_content="center")), self._label],
            layout=w.Layout(align_items="center", gap="1.5em"))
        super().__init__([w.HTML(_CSS), self._choice, stage, w.HBox([self._button, self._bar],
                          layout=w.Layout(align_items="center", gap="1em")), self._clock])
        self.add_class("course-breathing-pacer")
        self._reset()

    @property
    def running(self) -> bool:
        """Whether the exercise is going on."""
        return bool(self._clock.playing)

    def start(self) -> None:
        """Start from the first breath (the page's timer does the counting)."""
        self._clock.value = 0
        self._show(wellbeing.step_at(self.pattern, 0, self._rate))
        self._clock.playing = True
        self._button.description = "停止"
        self._button.button_style = "warning"

    def stop(self) -> None:
        """Stop and go back to the start."""
        self._clock.playing = False
        self._reset()

    def _reset(self) -> None:
        self._clock.playing = False
        self._clock.max = self._bar.max = wellbeing.total_ticks(self.pattern, self._rate)
        self._clock.value = 0
        self._button.description = "开始"
        self._button.button_style = "primary"
        self._circle.layout.width = self._circle.layout.height = f"{_SMALL}px"
        self._circle.remove_class("course-breath-hold")
        self._label.value = (
            '<div class="course-breath-label">准备</div>'
            f'<div class="course-breath-cue">{escape(str(self.pattern))}</div>'
            '<div class="course-breath-round">坐稳，肩膀放松，准备好了就点“开始”。</div>')

    def _show(self, step: BreathStep) -> None:
        size = round(_SMALL + (_LARGE - _SMALL) * step.fill)
        self._circle.layout.width = self._circle.layout.height = f"{size}px"
        if step.kind == "hold":
            self._circle.add_class("course-breath-hold")
        else:
            self._circle.remove_class("course-breath-hold")
        count = "" if step.done else str(step.seconds_left)
        self._label.value = (
            f'<div class="course-breath-label" data-kind="{step.kind}">{escape(step.label)}</div>'
            f'<div class="course-breath-count">{count}</div>'
            f'<div class="course-breath-cue">{escape(step.cue)}</div>'
            f'<div class="course-breath-round">{escape(step.round_text)}</div>')

    def _on_tick(self, change: dict) -> None:
        if self.running or change["new"] >= self._clock.max:
            self._show(wellbeing.step_at(self.pattern, int(change["new"]), self._rate))

    def _on_playing(self, change: dict) -> None:
        if not change["new"] and self._clock.value >= self._clock.max:  # ran to the end
            self._show(wellbeing.step_at(self.pattern, self._clock.max, self._rate))
            self._button.description = "开始"
            self._button.button_style = "primary"

    def _on_choice(self, change: dict) -> None:
        self.pattern = wellbeing.breathing_pattern(change["new"])
        self._reset()
