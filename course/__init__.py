"""水务客服投诉处理实训 — a Jupyter course and assessment package.

Engines (pure Python, no Jupyter imports): :mod:`course.tariff`, :mod:`course.coach`,
:mod:`course.roleplay`, :mod:`course.crisis`. Widgets live in :mod:`course.widgets`,
instructor tools in :mod:`course.grading`. Importing :mod:`course` is cheap and has no side
effects; heavy libraries load in the module that needs them.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
