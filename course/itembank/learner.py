"""Who the current learner is, as nbgrader names them.

The same id must come out when the learner works on the notebook and when the notebook is
graded, or the learner would be graded on someone else's numbers:

1. ``COURSE_LEARNER``: set by ``course grade`` for the learner's kernel and, outside anything the
   learner's code can reach, for the clean process that runs the hidden tests;
2. the folder a stock ``nbgrader autograde`` runs the notebook in
   (``submitted/<student>/<assignment>/`` or ``autograded/…``);
3. nbgrader's own rule for the submitting user (the login name; ``JUPYTERHUB_USER`` for the
   shared ``jovyan`` account of container hubs).

Under stock ``nbgrader autograde`` the hidden tests share the learner's kernel, so a determined
learner could change 1 or 2 there; ``course grade`` (the sandboxed runner) is not affected.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

__all__ = ["ENV", "learner_id"]

ENV = "COURSE_LEARNER"
_GRADING_FOLDERS = {"submitted", "autograded"}


def learner_id() -> str:
    """The nbgrader student id of whoever this notebook belongs to."""
    named = os.environ.get(ENV, "").strip()
    if named:
        return named
    here = Path.cwd().parts
    if len(here) >= 3 and here[-3] in _GRADING_FOLDERS:
        return here[-2]
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        name = ""
    if name in ("", "jovyan"):
        return os.environ.get("JUPYTERHUB_USER", name or "learner")
    return name
