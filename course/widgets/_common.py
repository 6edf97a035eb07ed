"""Small building blocks shared by the course widgets (layout, messages, timing; no logic)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from html import escape

import ipywidgets as w

__all__ = ["ERROR_CLASS", "Debouncer", "FieldRow", "png_image", "status_html"]

ERROR_CLASS = "course-error"


class FieldRow(w.HBox):
    """A labelled input with a Chinese error message next to it."""

    def __init__(self, label: str, control: w.DOMWidget, css: str, hint: str = "") -> None:
        self.control = control
        control.add_class(css)
        self.error = w.HTML("")
        self.error.add_class(f"{css}-error")
        label_widget = w.HTML(f"<b>{escape(label)}</b>", layout=w.Layout(width="9em"))
        parts: list[w.Widget] = [label_widget, control]
        if hint:
            parts.append(w.HTML(f'<span style="color:#666;font-size:90%">{escape(hint)}</span>'))
        parts.append(self.error)
        super().__init__(parts, layout=w.Layout(align_items="center", gap="0.5em"))

    def show_error(self, message: str | None) -> None:
        """Show (or clear, with ``None``) the message next to the field."""
        if message:
            self.error.value = (
                f'<span class="{ERROR_CLASS}" style="color:#c62828">{escape(message)}</span>'
            )
        else:
            self.error.value = ""


class Debouncer:
    """Run a callback ``delay`` seconds after the last call (at once without an event loop)."""

    def __init__(self, delay: float, callback: Callable[[], None]) -> None:
        self.delay = max(0.0, float(delay))
        self.callback = callback
        self._pending: asyncio.TimerHandle | None = None

    def __call__(self) -> None:
        if self.delay <= 0:
            self.now()
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (plain Python): no debouncing needed
            self.now()
            return
        self.cancel()
        self._pending = loop.call_later(self.delay, self.now)

    def cancel(self) -> None:
        """Forget a pending call."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None

    def now(self) -> None:
        """Run the callback now (cancelling a pending call)."""
        self.cancel()
        self.callback()


def status_html(message: str, kind: str = "info") -> str:
    """A one-line coloured status message (kind: info / warn / error)."""
    colour = {"info": "#555", "warn": "#b26a00", "error": "#c62828"}[kind]
    return f'<p style="color:{colour}">{escape(message)}</p>'


def png_image(data: bytes, width: str = "100%", max_width: str = "640px") -> w.Image:
    """An Image widget for PNG bytes, scaled to its width without changing its proportions."""
    return w.Image(value=data, format="png",
                   layout=w.Layout(width=width, max_width=max_width, height="auto",
                                   object_fit="contain"))
