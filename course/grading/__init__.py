"""Instructor side of the course: fast sandboxed autograding, feedback, self-checks, analytics.

Modules (import the one you need; nothing heavy is imported here):

- :mod:`course.grading.runner` — ``course grade``: nbgrader autograde semantics, in parallel,
  sandboxed (:mod:`~course.grading.sandbox`, :mod:`~course.grading.zygote`,
  :mod:`~course.grading.kernels`, :mod:`~course.grading.worker`) and resumable;
- :mod:`course.grading.feedback` — feedback pages without hidden tests;
- :mod:`course.grading.selfcheck` — self-checks with salted hashes for self-paced learners;
- :mod:`course.grading.report` — cohort analytics; :mod:`course.grading.export` — LMS CSV;
- :mod:`course.grading.doctor` — installation checks; :mod:`course.grading.checks` — helpers
  for test cells; :mod:`course.grading.release` — generating ``release/``.
"""

__all__: list[str] = []
