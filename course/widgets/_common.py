"""Small building blocks shared by the course widgets (layout and messages only, no logic)."""

from __future__ import annotations

from html import escape

import ipywidgets as w

__all__ = ["ERROR_CLASS", "FieldRow", "png_image", "status_html"]

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
                f'<span class="{ERROR_CLASS}" style="color:#c62828">⚠ {escape(message)}</span>'
            )
        else:
            self.error.value = ""


def status_html(message: str, kind: str = "info") -> str:
    """A one-line coloured status message (kind: info / warn / error)."""
    colour = {"info": "#555", "warn": "#b26a00", "error": "#c62828"}[kind]
    return f'<p style="color:{colour}">{escape(message)}</p>'


def png_image(data: bytes, width: str = "100%") -> w.Image:
    """An Image widget for PNG bytes."""
    return w.Image(value=data, format="png", layout=w.Layout(width=width, max_width="640px"))
