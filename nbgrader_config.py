"""nbgrader settings for the course directory (this repository's root).

The gradebook is an embedded SQLite file by default; point ``COURSE_DB_URL`` at PostgreSQL
(``postgresql://user@host/db``) when several graders work at once in a workshop.

On one machine (``make lab``) the course is self-paced: the nbgrader exchange lives inside the
course (``.exchange/``, created and filled by ``course setup``), learners' fetched assignments
go to ``我的作业/``, and a submission is graded at once by the sandboxed ``course grade`` with
its Chinese feedback released (``course.grading.selfpaced``). The workshop server appends its
own settings below these (``course workshop setup``).
"""

import os

c = get_config()  # type: ignore[name-defined]  # noqa: F821

c.CourseDirectory.course_id = "water-service-course"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.db_url = os.environ.get(
    "COURSE_DB_URL", "sqlite:///" + os.path.join(c.CourseDirectory.root, "gradebook.db")
)
# Graded answers are plain variables; cells are small. 60 s is far above our heaviest cell.
c.ExecutePreprocessor.timeout = 60
c.ExecutePreprocessor.interrupt_on_timeout = True
# Keep runaway output from filling the gradebook and the feedback pages.
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100
# Harmless warnings on stderr must not zero a test cell (nbgrader >= 0.9.4, #1904).
c.IgnorePattern.pattern = r".*(Matplotlib is building the font cache|DeprecationWarning|FutureWarning).*"
c.ClearSolutions.code_stub = {"python": "None  # ← 把 None 换成你的答案"}
c.ClearSolutions.text_stub = "在这里作答"

# Self-paced on one machine: a local exchange inside the course, no root rights needed.
c.Exchange.root = os.environ.get("COURSE_EXCHANGE",
                                  os.path.join(c.CourseDirectory.root, ".exchange"))
c.Exchange.assignment_dir = os.path.join(c.CourseDirectory.root, "我的作业")
c.ExchangeFactory.submit = "course.grading.selfpaced.SelfGradingSubmit"
# Collect never copies what a symbolic link in a submission points at (solutions, another
# learner's notebook): links are kept as links and `course grade` refuses them.
c.ExchangeFactory.collect = "course.workshop.exchange.SafeExchangeCollect"
