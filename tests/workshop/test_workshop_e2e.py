"""End to end on a workshop server: release, fetch, answer, submit, collect, grade, feedback."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.workshop.conftest import ASSIGNMENT, COURSE_ID, LEARNERS, MARKS, RUNUSER, Hub
from tests.workshop.helpers import answered, stock_totals
from tests.workshop.hubclient import HubUser

pytestmark = MARKS
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
KINDS = dict(zip(LEARNERS, ("full", "partial", "blank"), strict=True))

@pytest.fixture(scope="module")
def cohort(hub: Hub, released: str) -> dict:
    """Three learners log in, fetch ch1, answer it differently and submit it."""
    users, sent = {}, {}
    for name, kind in KINDS.items():
        user = HubUser(hub.url, name, hub.passwords[name])
        user.start()
        listed = {a["assignment_id"]: a["status"] for a in user.assignments(COURSE_ID)}
        assert listed.get(released) == "released"
        user.assignment_action("fetch", COURSE_ID, released)
        nb = answered(user.read(f"{released}/{NOTEBOOK}")["content"], released, NOTEBOOK, kind)
        user.write_notebook(f"{released}/{NOTEBOOK}", nb)
        out = user.assignment_action("submit", COURSE_ID, released)
        assert out.get("success", True), out
        users[name], sent[name] = user, {NOTEBOOK: nb}
    return {"users": users, "sent": sent}


@pytest.fixture(scope="module")
def graded(hub: Hub, cohort: dict) -> dict[str, float]:
    """The instructor collects and grades with `course grade`; totals read back from PostgreSQL."""
    hub.course("collect", ASSIGNMENT)
    graded = hub.course("grade", ASSIGNMENT)
    assert "沙箱：已启用" in graded.stdout  # bubblewrap works for the (unprivileged) instructor
    driver, totals = hub.totals(ASSIGNMENT)
    assert driver == "postgresql+psycopg2"
    return totals


def test_submissions_are_collected_under_each_learners_own_id(hub: Hub, cohort: dict, graded):
    for name in LEARNERS:
        folder = hub.settings.course_root / "submitted" / name / ASSIGNMENT
        sent = cohort["sent"][name][NOTEBOOK]
        got = json.loads((folder / NOTEBOOK).read_text(encoding="utf-8"))
        assert _sources(got) == _sources(sent)


def _sources(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"]]


def test_course_grade_on_postgres_gives_each_learner_stock_nbgraders_score(cohort: dict, graded):
    expected = stock_totals(ASSIGNMENT, cohort["sent"])
    assert {n: graded.get(n) for n in LEARNERS} == expected
    full, partial, blank = (expected[n] for n in LEARNERS)
    assert full > partial > blank == 0


def test_learners_fetch_feedback_without_hidden_tests(hub: Hub, cohort: dict, graded):
    hub.course("feedback", ASSIGNMENT, "--release")
    source = (hub.settings.course_root / "source" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8")
    assert "### BEGIN HIDDEN TESTS" in source
    for name, user in cohort["users"].items():
        user.assignment_action("fetch_feedback", COURSE_ID, ASSIGNMENT)
        stamps = user.read(f"{ASSIGNMENT}/feedback")["content"]
        assert len(stamps) == 1
        page = user.read(f"{stamps[0]['path']}/{ASSIGNMENT}.html")["content"]
        assert "BEGIN HIDDEN TESTS" not in page
        score = graded[name]
        assert f"{score:g}" in page or f"{score}" in page


def _as(user: str, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([RUNUSER, "-u", user, "--", *argv], capture_output=True, text=True)


def test_no_learner_can_read_another_learners_work(hub: Hub, cohort: dict):
    s = hub.settings
    inbound = s.exchange_root / COURSE_ID / "inbound"
    theirs = next(p for p in inbound.iterdir() if p.name.startswith("wct_l01+"))
    # The instructor can read it (that is how collect works) ...
    assert _as("wct_trainer", "cat", str(theirs / NOTEBOOK)).returncode == 0
    # ... another learner cannot list the inbound folder, nor read the submission by its path,
    # nor the first learner's home folder, the course (solutions, gradebook password).
    intruder = "wct_l02"
    for argv in (["ls", str(inbound)], ["cat", str(theirs / NOTEBOOK)],
                 ["cat", str(theirs / "timestamp.txt")], ["ls", str(theirs)],
                 ["ls", str(s.home_base / "wct_l01")],
                 ["cat", str(s.home_base / "wct_l01" / ASSIGNMENT / NOTEBOOK)],
                 ["cat", str(s.course_root / "nbgrader_config.py")],
                 ["ls", str(s.course_root / "source")]):
        proc = _as(intruder, *argv)
        assert proc.returncode != 0 and "Permission denied" in proc.stderr, argv
    # Through the hub, one learner's token does not open another learner's server.
    resp = cohort["users"][intruder].api.get(
        f"{hub.url}/user/wct_l01/api/contents/{ASSIGNMENT}/{NOTEBOOK}", timeout=30,
        allow_redirects=False)
    assert resp.status_code in (302, 403, 404)


def test_formgrader_is_for_instructors_only_and_opens_in_its_own_tab(hub: Hub, cohort: dict):
    learner = cohort["users"]["wct_l01"]
    assert learner.server("GET", "formgrader", allow_redirects=False).status_code == 404
    trainer = HubUser(hub.url, "wct_trainer", hub.passwords["wct_trainer"])
    trainer.start()
    resp = trainer.server("GET", "formgrader/manage_assignments")
    assert resp.status_code == 200
    api = trainer.server("GET", "formgrader/api/assignments")
    assert ASSIGNMENT in {a["name"] for a in api.json()}
    # JupyterHub forbids framing (frame-ancestors 'none'): the Lab panel's iframe stays blank,
    # which is why the instructor guide opens the formgrader in a browser tab of its own.
    assert "frame-ancestors 'none'" in resp.headers.get("Content-Security-Policy", "")
