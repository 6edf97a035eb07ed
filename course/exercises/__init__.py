"""Sorting (classification) exercises: put each situation or statement into its category.

The exercises are data files in ``course/data/exercises/``; :func:`check` says for each item
whether it is right, why, the score and what to do next — all in Chinese.

>>> ex = load("chk_true_purpose")  # doctest: +SKIP
>>> check(ex, {1: ex.items[0].answer}).right  # doctest: +SKIP
1
"""

from course.exercises.catalog import list_exercises, load, load_file, normalize, parse
from course.exercises.checking import check
from course.exercises.model import Exercise, ExerciseError, Item, ItemResult, Result

__all__ = ["Exercise", "ExerciseError", "Item", "ItemResult", "Result", "check",
           "list_exercises", "load", "load_file", "normalize", "parse"]
