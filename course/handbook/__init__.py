"""Trainer's handbook: half-day run-sheets and the day-3 rotating-station simulation.

Inside: :mod:`~course.handbook.model` (run-sheets and stations read and checked from
``course/data/handbook.yaml`` and ``day3.yaml``), :mod:`~course.handbook.scoring` (rotation,
rubric totals, ranking) and :mod:`~course.handbook.render` (HTML/PDF handbook).

>>> from course import handbook
>>> [r.slots for r in handbook.rotation(2, ["柜台", "热线"])]
[('柜台', '热线'), ('热线', '柜台')]
"""

from pathlib import Path

from course.handbook.model import HandbookError, load_day3, load_runsheets
from course.handbook.scoring import Rank, board_scores, ranking, rotation, score_total

__all__ = [
    "HandbookError",
    "Rank",
    "board_scores",
    "build",
    "load_day3",
    "load_runsheets",
    "ranking",
    "rotation",
    "score_total",
]


def build(out_dir: Path, teams: int = 5) -> tuple[Path, Path]:
    """Write ``handbook.html`` and ``handbook.pdf`` into ``out_dir`` (see :func:`render.build`)."""
    from course.handbook.render import build as _build

    return _build(out_dir, teams)
