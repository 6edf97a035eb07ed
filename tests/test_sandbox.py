"""The bubblewrap sandbox: no other learners' files, no gradebook, no network, no fork bomb."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from course.grading.gradebook import db_url, scores
from course.grading.runner import GradeSummary, grade
from course.grading.sandbox import Limits, sandbox_status, zygote_command
from course.grading.synthetic import SYNTHETIC_ASSIGNMENT as A
from course.grading.synthetic import SYNTHETIC_NOTEBOOK as NB
from course.grading.synthetic import make_course, make_submission

pytestmark = [
    pytest.mark.nbgrader,
    pytest.mark.filterwarnings("ignore::Warning"),
    pytest.mark.skipif(not sandbox_status().available, reason="bubblewrap (bwrap) 不可用"),
]

PROBE = """\
import pathlib
found = {{}}
for label, path in {paths!r}.items():
    try:
        pathlib.Path(path).read_bytes()
        found[label] = "READ"
    except Exception as exc:
        found[label] = type(exc).__name__
try:
    pathlib.Path({outside!r}).write_text("x")
    found["write_outside"] = "WROTE"
except Exception as exc:
    found["write_outside"] = type(exc).__name__
print("PROBE", found)
bill = 20 * 3.45 + 5 * 4.83
"""

NET = """\
import socket
result = []
for host, port in [("127.0.0.1", {port}), ("1.1.1.1", 53)]:
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect((host, port))
        result.append("CONNECTED")
    except OSError as exc:
        result.append(type(exc).__name__)
print("NET", result)
tier = 2
"""

# each pytest worker's bomb sleeps a length of its own: the module's fixture may be built on both
# workers at once, and the test counts only the sleepers of its own bomb
BOMB_SLEEP = str(1000 + os.getpid() % 50_000)
BOMB = """\
import subprocess
children = []
try:
    for _ in range(10_000):
        children.append(subprocess.Popen(["sleep", "BOMB_SLEEP"]))
except OSError as exc:
    print("BOMB stopped", len(children), type(exc).__name__)
tier = 2
""".replace("BOMB_SLEEP", BOMB_SLEEP)

MEMORY = """\
try:
    block = bytearray(8 * 1024**3)
    print("MEM allocated")
except MemoryError:
    print("MEM MemoryError")
tier_choice = "C"
"""


class _Server:
    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
                self.accepted += 1
                conn.close()
            except OSError:
                continue

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


def _sleepers() -> int:
    count = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        count += cmd[:2] == [b"sleep", BOMB_SLEEP.encode()]
    return count


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GradeSummary, _Server]:
    root = make_course(tmp_path_factory.mktemp("sandbox") / "c")
    make_submission(root, "victim", "full")
    paths = {
        "other_learner": str(root / "submitted" / "victim" / A / f"{NB}.ipynb"),
        "gradebook": str(root / "gradebook.db"),
        "solutions": str(root / "source" / A / f"{NB}.ipynb"),
    }
    make_submission(root, "peeker", "full", answers={
        "q1_bill": PROBE.format(paths=paths, outside=str(root / "hacked.txt"))})
    server = _Server()
    make_submission(root, "networker", "full", answers={"q2_tier": NET.format(port=server.port)})
    make_submission(root, "bomber", "full", answers={"q2_tier": BOMB})
    make_submission(root, "hog", "full", answers={"q4_choice": MEMORY})
    summary = grade(root, jobs=2, progress=False, cell_timeout=20,
                    limits=Limits(nproc=64, mem_bytes=2 * 1024**3))
    yield root, summary, server
    server.close()


def _printed(root: Path, student: str, marker: str) -> str:
    nb = json.loads((root / "autograded" / student / A / f"{NB}.ipynb").read_text("utf-8"))
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            text = "".join(out.get("text", ""))
            if marker in text:
                return text
    raise AssertionError(f"{student}: no output containing {marker!r}")


def test_cannot_read_other_learners_gradebook_or_solutions(graded) -> None:
    root, _, _ = graded
    text = _printed(root, "peeker", "PROBE")
    assert "READ" not in text and "WROTE" not in text
    for label in ("other_learner", "gradebook", "solutions", "write_outside"):
        assert f"'{label}': '" in text
    assert not (root / "hacked.txt").exists()


def test_cannot_open_a_network_connection(graded) -> None:
    root, _, server = graded
    text = _printed(root, "networker", "NET")
    assert "CONNECTED" not in text
    assert server.accepted == 0


def test_fork_bomb_is_capped_and_cleaned_up(graded) -> None:
    root, _, _ = graded
    text = _printed(root, "bomber", "BOMB stopped")
    started = int(text.split()[2])
    assert started < 64
    # The namespace's processes were killed with the kernel; under load the last ones can take
    # a moment to be reaped.
    deadline = time.monotonic() + 30
    while _sleepers() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _sleepers() == 0
    assert scores(db_url(root))[("bomber", A, NB, "q2_tier_test")][0] == 1.0


def test_memory_limit_stops_a_huge_allocation(graded) -> None:
    root, _, _ = graded
    assert "MEM MemoryError" in _printed(root, "hog", "MEM")


def test_victim_is_graded_normally(graded) -> None:
    root, summary, _ = graded
    assert summary.sandboxed
    got = {k[3]: v[0] for k, v in scores(db_url(root)).items() if k[0] == "victim"}
    assert got["q1_bill_test"] == 2.0 and got["q2_tier_test"] == 1.0


def test_sandbox_command_hides_the_course_directory(tmp_path: Path) -> None:
    argv = zygote_command(tmp_path / "scratch", tmp_path, sandbox=True)
    tmpfs = [argv[i + 1] for i, a in enumerate(argv) if a == "--tmpfs"]
    binds = [argv[i + 1] for i, a in enumerate(argv) if a in ("--bind", "--ro-bind")]
    assert str(tmp_path.resolve()) in tmpfs
    assert "--unshare-net" in argv and "--unshare-pid" in argv
    assert not any(b == str(tmp_path.resolve()) for b in binds)


# sleeps 301, never a length BOMB_SLEEP can take: test_fork_bomb_is_capped_and_cleaned_up counts
# its own bomb's sleepers and may run at the same time on the other worker
HOLDING_BOMB = """\
import subprocess, time
children = []
try:
    for _ in range(10_000):
        children.append(subprocess.Popen(["sleep", "301"]))
except OSError:
    pass
time.sleep(6)
tier = 2
"""


def test_a_fork_bomb_in_one_worker_does_not_stop_kernels_in_another(tmp_path: Path) -> None:
    """Each submission's kernel has a user id of its own, so process limits are not shared."""
    root = make_course(tmp_path / "c")
    make_submission(root, "a_bomber", "full", answers={"q2_tier": HOLDING_BOMB})
    for i in range(4):
        make_submission(root, f"victim{i}", "full")
    summary = grade(root, jobs=2, progress=False, cell_timeout=30,
                    limits=Limits(nproc=64, mem_bytes=2 * 1024**3))
    got = scores(db_url(root))
    for i in range(4):
        student = f"victim{i}"
        assert not [f for f in summary.flags if f.student == student], summary
        assert got[(student, A, NB, "q1_bill_test")][0] == 2.0
        assert got[(student, A, NB, "q2_tier_test")][0] == 1.0
