"""Hostile submissions cannot fool ``course grade``, read the tests or secrets, or touch others.

Every attack runs with wrong answers in the real chapter 1 assignment (26 automatic points),
in one worker between two honest learners who must keep full marks. Which of these attacks
stock ``nbgrader autograde`` still falls for is documented in docs/INSTRUCTOR.md.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from course.grading.cohort import make_course_copy, solution_answers, submit
from course.grading.gradebook import db_url, scores
from course.grading.runner import GradeSummary, grade

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore::Warning")]

A = "ch1_tiered_pricing"
FULL = 26.0
SECRETS = {
    "PGPASSWORD": "pg-s3cret-7Hq2",
    "COURSE_DB_URL": "postgresql://grader:db-s3cret-91xK@db.example/course",
    "JUPYTERHUB_API_TOKEN": "hub-t0ken-5vWz",
    "WATER_COURSE_SECRET": "course-s3cret-Qe8r",
}

WRONG_VALUES = {"bill_q1": "1.0", "bill_q2": "1.0", "bill_q3": "1.0", "bill_q4": "1.0",
                "usage_q5": "1", "bill_q6": "1.0", "choice_q7": '"D"', "choice_q8": '"D"',
                "choice_q9": '"D"', "order_q10": '["A", "B", "C", "D"]',
                "strategies_q11": '{"B"}', "tier2_start_q12": "1", "next_price_q13": "1.0"}

ATTACKS = {
    "fail_rebound": """
import course.grading.checks as _c
_c._fail = print
""",
    "trace_hook": """
import sys, ctypes
def _tracer(frame, event, arg):
    if event == "call" and frame.f_code.co_name in ("expect_close", "expect_same"):
        loc = frame.f_locals
        if "expected" in loc:
            loc["value"] = loc["expected"]
            ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))
    return _tracer
sys.settrace(_tracer)
sys.setprofile(lambda *a: None)
""",
    "run_cell_wrapped": """
_ip = get_ipython()
_orig_async = _ip.run_cell_async
async def _run_cell_async(raw_cell, *a, **k):
    if "expect_" in raw_cell or "assert" in raw_cell:
        raw_cell = "pass"
    return await _orig_async(raw_cell, *a, **k)
_ip.run_cell_async = _run_cell_async
_orig = _ip.run_cell
_ip.run_cell = lambda raw_cell, *a, **k: _orig("pass" if "expect_" in raw_cell else raw_cell, *a, **k)
""",
    "input_transformer": """
get_ipython().input_transformers_cleanup.append(
    lambda lines: ["pass\\n"] if any("expect_" in l for l in lines) else lines)
""",
    "pre_run_event": """
def _cheat(info):
    ns = get_ipython().user_ns
    for name in list(ns):
        if name.startswith("expect_"):
            ns[name] = lambda *a, **k: None
    ns["fresh_module"] = lambda name: __import__("types").SimpleNamespace(
        load=lambda city: __import__("types").SimpleNamespace(
            bill=lambda *a, **k: __import__("types").SimpleNamespace(total=1.0),
            bounds=lambda *a, **k: (1,), marginal_price=lambda *a, **k: 1.0),
        usage_from_readings=lambda *a, **k: 1)
get_ipython().events.register("pre_run_cell", _cheat)
""",
    "forged_result": """
get_ipython().input_transformers_cleanup.append(
    lambda lines: ["float(2)\\n"] if any("expect_" in l for l in lines) else lines)
""",
    "silenced_error": """
_ip = get_ipython()
_ip.showtraceback = lambda *a, **k: None
_session = _ip.kernel.session
_send = _session.send
def _ok(stream, msg_or_type, content=None, *a, **k):
    if msg_or_type == "execute_reply" and isinstance(content, dict) and content.get("status") == "error":
        content = {"status": "ok", "execution_count": content.get("execution_count"),
                   "user_expressions": {}, "payload": []}
    return _send(stream, msg_or_type, content, *a, **k)
_session.send = _ok
""",
    "equality_object": """
class _Always(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __sub__(self, other): return 0.0
    def __rsub__(self, other): return 0.0
class _Any(str):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def upper(self): return self
    def strip(self, *a): return self
""",
}
# The equality-object learner uses its objects as answers.
EQUALITY_ANSWERS = {"bill_q1": "_Always(1)", "bill_q2": "_Always(1)", "choice_q7": '_Any("D")'}

LEAK = """
import os
print("HISTORY", _ih[-2:], In[-3:])
print("ENVIRON", dict(os.environ))
for path in ("/proc/self/environ", "/proc/1/environ", "/proc/2/environ", "../gradebook.db",
             "../../gradebook.db", "../zygote.log"):
    try:
        print("FILE", path, open(path, "rb").read(300))
    except Exception as exc:
        print("FILE", path, type(exc).__name__)
import glob
print("FILES", glob.glob("../*") + glob.glob("../../*") + glob.glob("/tmp/*"))
"""

LEFTOVERS = """
import os, subprocess
open("sitecustomize.py", "w").write("raise SystemExit")
os.makedirs(os.path.expanduser("~"), exist_ok=True)
open(os.path.expanduser("~/.pythonrc"), "w").write("boom")
open("/tmp/planted.txt", "w").write("x")
subprocess.Popen(["sh", "-c", "sleep 60; touch /tmp/late.txt"], start_new_session=True)
"""


def _wrong(answers: dict[str, str], student: str) -> dict[str, str]:
    """Well-formed wrong answers for ``student``'s own variants (options are shuffled per learner)."""
    from course import itembank

    wrong = dict(WRONG_VALUES)
    for var, ref, right in (("choice_q7", "ch1.q2_purpose", "save"),
                            ("choice_q8", "ch1.q2_ratio", "at_least"),
                            ("choice_q9", "ch1.q2_household", "fair")):
        good = itembank.letter(ref, right, student)
        wrong[var] = repr(next(x for x in "ABCD" if x != good))
    good = itembank.sequence("ch1.q2_process_order", ["read", "compute", "bill", "pay"], student)
    wrong["order_q10"] = repr(list(reversed(good)))
    wrong["strategies_q11"] = repr(itembank.letters("ch1.q2_strategies", ["cut_off"], student))
    out = {}
    for gid, source in answers.items():
        name = source.split("=", 1)[0].strip()
        out[gid] = f"{name} = {wrong[name]}"
    return out


def _equality(answers: dict[str, str], student: str) -> dict[str, str]:
    out = _wrong(answers, student)
    for gid, source in answers.items():
        name = source.split("=", 1)[0].strip()
        if name in EQUALITY_ANSWERS:
            out[gid] = f"{name} = {EQUALITY_ANSWERS[name]}"
    return out


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GradeSummary]:
    root = make_course_copy(tmp_path_factory.mktemp("attacks") / "c", [A])
    model = solution_answers(root, A)
    submit(root, "a_honest", A, model)
    for name, code in ATTACKS.items():
        who = f"attack_{name}"
        answers = _equality(model, who) if name == "equality_object" else _wrong(model, who)
        submit(root, f"attack_{name}", A, answers, extra={"setup": code})
    submit(root, "leak_history", A, model, extra={"q1_bill_tier1": LEAK})
    submit(root, "leftovers", A, _wrong(model, "leftovers"), extra={"setup": LEFTOVERS})
    victim = submit(root, "m_victim", A, model)
    # symlinks: to the solutions, to another learner's notebook, a symlinked folder
    for student, target in (("symlink_source", root / "source" / A / f"{A}.ipynb"),
                            ("symlink_other", victim)):
        folder = root / "submitted" / student / A
        folder.mkdir(parents=True)
        (folder / f"{A}.ipynb").symlink_to(target)
        (folder / "timestamp.txt").write_text("2026-01-05 10:00:00", encoding="utf-8")
    (root / "submitted" / "symlink_folder").symlink_to(root / "submitted" / "m_victim")
    tampered = submit(root, "tampered", A, _wrong(model, "tampered"))
    nb = json.loads(tampered.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("locked") and cell["cell_type"] == "markdown":
            cell["source"] = "改过了"
    tampered.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    odd = submit(root, "odd_metadata", A, model)
    nb = json.loads(odd.read_text(encoding="utf-8"))
    nb["cells"][3]["metadata"]["nbgrader"]["grade_id"] = ["not", "a", "string"]
    odd.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    submit(root, "z_honest", A, model)
    saved = {k: os.environ.get(k) for k in SECRETS}
    os.environ.update(SECRETS)
    try:
        summary = grade(root, jobs=1, progress=False, cell_timeout=20)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return root, summary


def _total(root: Path, student: str) -> float:
    return sum(v[0] or 0.0 for k, v in scores(db_url(root)).items()
               if k[0] == student and not v[1])


def _autograded_text(root: Path, student: str) -> str:
    folder = root / "autograded" / student / A
    return "\n".join(p.read_text(encoding="utf-8") for p in folder.glob("*.ipynb"))


def test_honest_learners_before_and_after_the_attacks_keep_full_marks(graded) -> None:
    root, _ = graded
    for student in ("a_honest", "m_victim", "z_honest", "leak_history"):
        assert _total(root, student) == FULL, student


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attack_with_wrong_answers_scores_zero(graded, attack: str) -> None:
    root, _ = graded
    assert _total(root, f"attack_{attack}") == 0.0


def test_hidden_tests_never_reach_the_learners_kernel_history(graded) -> None:
    root, _ = graded
    text = _autograded_text(root, "leak_history")
    history = next(line for line in text.splitlines() if "HISTORY" in line)
    assert "fresh_module" not in history and "expect_close" not in history


def _hidden_lines() -> list[str]:
    from course.grading.release import course_root

    nb = json.loads((course_root() / "source" / A / f"{A}.ipynb").read_text(encoding="utf-8"))
    out = []
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", src, re.S):
            out += [line.strip() for line in block.splitlines() if len(line.strip()) > 12]
    return out


def test_no_secret_of_the_graders_environment_reaches_a_kernel(graded) -> None:
    root, _ = graded
    text = _autograded_text(root, "leak_history")
    assert "ENVIRON" in text
    for value in SECRETS.values():
        assert value not in text
    assert "s3cret" not in text
    assert "SQLite format" not in text  # no gradebook copy readable from the sandbox


def test_feedback_carries_no_test_source_and_no_secret(graded) -> None:
    from course.grading.feedback import generate_feedback

    root, _ = graded
    generate_feedback(root, A, "leak_history")
    generate_feedback(root, A, "attack_fail_rebound")
    pages = "\n".join(p.read_text(encoding="utf-8")
                      for p in (root / "feedback").rglob("*.html"))
    assert pages
    for line in _hidden_lines():
        assert line not in pages, line
    for value in SECRETS.values():
        assert value not in pages


@pytest.mark.parametrize("student", ["symlink_source", "symlink_other", "symlink_folder"])
def test_symlinked_submission_is_refused_and_flagged(graded, student: str) -> None:
    root, summary = graded
    reasons = " ".join(f.reason for f in summary.flags if f.student == student)
    assert "符号链接" in reasons and "已拒绝" in reasons
    assert _total(root, student) == 0.0


def test_leftovers_do_not_reach_the_next_learner(graded) -> None:
    root, _ = graded
    assert _total(root, "leftovers") == 0.0
    assert _total(root, "m_victim") == FULL
    text = _autograded_text(root, "m_victim")
    assert "planted" not in text and "SystemExit" not in text


def test_a_tampered_notebook_gets_one_summary_line(graded) -> None:
    _, summary = graded
    (line,) = [reasons for (a, s), reasons in summary.by_submission().items()
               if s == "tampered"]
    changed = [r for r in line if "只读单元格被改动" in r]
    assert len(changed) == 1
    assert re.search(r"\d+ 个只读单元格被改动，已换回原始内容", changed[0])
    assert "tampered / ch1_tiered_pricing：" in str(summary)


def test_metadata_of_the_wrong_type_is_flagged_in_chinese(graded) -> None:
    _, summary = graded
    reasons = " ".join(f.reason for f in summary.flags if f.student == "odd_metadata")
    assert reasons and "格式已损坏" in reasons
    assert not re.search(r"[A-Za-z]{3,}Error", reasons)


def test_every_flag_is_chinese_and_the_details_are_in_the_log(graded) -> None:
    _, summary = graded
    for flag in summary.flags:
        assert re.search(r"[\u4e00-\u9fff]", flag.reason), flag
        assert not re.search(r"Traceback|Error:", flag.reason), flag
    assert summary.log and Path(summary.log).is_file()
    assert "attack_fail_rebound" in Path(summary.log).read_text(encoding="utf-8")


def test_feedback_scrubs_hidden_lines_and_secrets_from_any_output(monkeypatch) -> None:
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from course.grading.feedback import SCRUBBED, StripHiddenTests, known_secrets

    monkeypatch.setenv("SOME_API_TOKEN", "tok-abcdef-123")
    hidden = 'expect_close(bill_q1, shili.bill(12).total, "bill_q1")'
    test = new_code_cell(f"expect_number(bill_q1, 'bill_q1')\n### BEGIN HIDDEN TESTS\n{hidden}\n"
                         "### END HIDDEN TESTS",
                         metadata={"nbgrader": {"grade": True, "solution": False,
                                                "grade_id": "q1", "points": 2}})
    learner = new_code_cell("print(_ih)", outputs=[new_output(
        "stream", name="stdout", text=f"{hidden}\ntok-abcdef-123\npostgresql://u:pw-987654@h/db")])
    StripHiddenTests.secrets = known_secrets(("postgresql://u:pw-987654@h/db",))
    nb, _ = StripHiddenTests().preprocess(new_notebook(cells=[test, learner]), {})
    text = nb.cells[1].outputs[0]["text"]
    assert hidden not in text and "tok-abcdef-123" not in text and "pw-987654" not in text
    assert SCRUBBED in text
    assert hidden not in nb.cells[0].source


def test_collect_never_copies_what_a_symlink_points_at(tmp_path: Path) -> None:
    """A learner's links in the exchange's inbound folder are not followed by `collect`."""
    from course.grading.cohort import CONFIG
    from course.grading.gradebook import course_api

    root = make_course_copy(tmp_path / "c", [A])
    exchange = tmp_path / "exchange"
    inbound = exchange / "water-service-course" / "inbound"
    inbound.mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(
        CONFIG + f"c.Exchange.root = {str(exchange)!r}\n"
        'c.ExchangeFactory.collect = "course.workshop.exchange.SafeExchangeCollect"\n',
        encoding="utf-8")
    stamp = "2026-01-05 10:00:00.000000 UTC"
    linked_file = inbound / f"linker+{A}+{stamp}"
    linked_file.mkdir()
    (linked_file / f"{A}.ipynb").symlink_to(root / "source" / A / f"{A}.ipynb")
    (linked_file / "timestamp.txt").write_text(stamp, encoding="utf-8")
    (inbound / f"folder+{A}+{stamp}").symlink_to(root / "source" / A)
    cwd = os.getcwd()
    try:
        result = course_api(root).collect(A)
    finally:
        os.chdir(cwd)
    assert result["success"], result["log"]
    collected = root / "submitted" / "linker" / A / f"{A}.ipynb"
    assert collected.is_symlink()  # kept as a link: `course grade` refuses it
    assert not (root / "submitted" / "folder" / A / f"{A}.ipynb").exists()
    summary = grade(root, jobs=1, progress=False, students=["linker"])
    assert "符号链接" in " ".join(f.reason for f in summary.flags)
    assert _total(root, "linker") == 0.0
