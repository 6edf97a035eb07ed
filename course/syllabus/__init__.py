"""The syllabus map (课程内容对照表): every teachable item of the seeds, where the course teaches
and practises it, and its depth — computed by checking the notebooks, never asserted.

>>> from pathlib import Path
>>> from course import syllabus
>>> cov = syllabus.check(Path("."))  # doctest: +SKIP
>>> print(cov.table())  # doctest: +SKIP
"""

from course.syllabus.check import check, default_path, load
from course.syllabus.model import DEPTHS, SEEDS, Coverage, Entry, ItemDepth, SyllabusError

__all__ = ["DEPTHS", "SEEDS", "Coverage", "Entry", "ItemDepth", "SyllabusError", "check", "default_path", "load"]
