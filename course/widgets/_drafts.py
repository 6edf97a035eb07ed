"""What a learner typed into a widget, saved next to the notebook and restored when it is rerun.

A widget lives in the kernel: when the kernel restarts, or the notebook is reopened the next
day, its state is gone. Each course widget therefore writes its drafts (replies, statements,
the moves of a role-play, the calculator's fields) to
``<notebook folder>/.课程草稿/<notebook name>/<widget>.json`` as the learner types, and reads
them back when its cell runs again. The notebook is the one the kernel belongs to (Jupyter
tells the kernel in ``JPY_SESSION_NAME``); outside a Jupyter session (a test, the grader) nothing
is written. ``COURSE_DRAFTS_DIR`` puts the drafts elsewhere.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

__all__ = ["DRAFTS_FOLDER", "DraftStore"]

DRAFTS_FOLDER = ".课程草稿"


def _folder() -> Path | None:
    override = os.environ.get("COURSE_DRAFTS_DIR")
    if override:
        return Path(override)
    session = os.environ.get("JPY_SESSION_NAME")
    if not session:
        return None
    notebook = Path(session)
    return notebook.parent / DRAFTS_FOLDER / notebook.stem


class DraftStore:
    """One widget's saved state (a JSON object), or nothing outside a Jupyter session."""

    def __init__(self, key: str) -> None:
        self.key = re.sub(r"[^\w.-]+", "_", key)
        folder = _folder()
        self.path = folder / f"{self.key}.json" if folder is not None else None

    def load(self) -> dict[str, Any]:
        """The saved state (empty when there is none or it cannot be read)."""
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def save(self, data: dict[str, Any]) -> None:
        """Write the state (atomically; a read-only folder just means nothing is saved)."""
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass
