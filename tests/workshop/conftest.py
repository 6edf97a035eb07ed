"""A real workshop server on loopback: PostgreSQL, `deploy/setup.sh`, JupyterHub with PAM logins.

Session fixtures (all tests of this folder run in one xdist group, so they share one server):
* ``postgres``: a throw-away PostgreSQL cluster on 127.0.0.1 (initdb as the ``postgres`` user);
* ``workshop``: `deploy/setup.sh` run for real into a scratch prefix — its own Python environment,
  configurable-http-proxy from npm, system accounts for one instructor and 33 learners, the
  gradebook database, the course and the exchange;
* ``hub``: JupyterHub started from the generated configuration.
Needs root (system accounts, servers spawned as each learner), like the server it tests.
"""

from __future__ import annotations

import csv
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from course.workshop.postgres import pg_bin
from course.workshop.settings import Database, WorkshopSettings, load_settings

REPO = Path(__file__).resolve().parents[2]
INSTRUCTOR = "wct_trainer"
LEARNERS = ("wct_l01", "wct_l02", "wct_l03")
CROWD = tuple(f"wct_c{i:02d}" for i in range(30))
COURSE_ID = "water-service-course"
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"
ASSIGNMENT = "ch1_tiered_pricing"

#: Every test module here carries these marks: one xdist worker runs them all on one server.
MARKS = [pytest.mark.workshop, pytest.mark.xdist_group("workshop"), pytest.mark.timeout(900),
         pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _need_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("工作坊测试需要 root：要创建系统账号、以每位学员的身份启动服务器（CI 以 root 运行）。")


@pytest.fixture(scope="session")
def base() -> Iterator[Path]:
    _need_root()
    folder = Path(tempfile.mkdtemp(prefix="wc-workshop-"))
    os.chmod(folder, 0o755)  # learners' servers run the scratch Python environment inside it
    yield folder
    if not os.environ.get("WORKSHOP_KEEP"):  # WORKSHOP_KEEP=1 keeps logs and state for debugging
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres(base: Path) -> Iterator[Database]:
    pg = base / "pg"
    (pg / "sock").mkdir(parents=True)
    shutil.chown(pg, "postgres")
    shutil.chown(pg / "sock", "postgres")
    as_pg = [RUNUSER, "-u", "postgres", "--"]
    subprocess.run([*as_pg, pg_bin("initdb"), "-D", str(pg / "data"), "-A", "peer",
                    "--auth-host=scram-sha-256", "-U", "postgres", "-E", "UTF8", "--no-locale"],
                   check=True, capture_output=True)
    port = _free_port()
    subprocess.run([*as_pg, pg_bin("pg_ctl"), "-D", str(pg / "data"), "-l", str(pg / "log"), "-w",
                    "-o", f"-p {port} -k {pg / 'sock'} -c listen_addresses=127.0.0.1", "start"],
                   check=True, capture_output=True)
    yield Database(name="wct_course", user="wct_course", password="wct-" + os.urandom(8).hex(),
                   host="127.0.0.1", port=port, admin_socket=str(pg / "sock"))
    subprocess.run([*as_pg, pg_bin("pg_ctl"), "-D", str(pg / "data"), "-m", "immediate", "stop"],
                   capture_output=True)


def _remove_accounts() -> None:
    for name in (INSTRUCTOR, *LEARNERS, *CROWD):
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        subprocess.run(["userdel", "--remove", name], capture_output=True)


@pytest.fixture(scope="session")
def workshop(base: Path, postgres: Database) -> Iterator[WorkshopSettings]:
    _remove_accounts()  # left over from an interrupted run
    db = postgres
    config = base / "etc" / "workshop.yaml"
    config.parent.mkdir()
    ports = [_free_port() for _ in range(3)]
    config.write_text(f"""\
course_id: {COURSE_ID}
instructors: [{INSTRUCTOR}]
learners: [{", ".join((*LEARNERS, *CROWD))}]
hub_ip: 127.0.0.1
hub_port: {ports[0]}
hub_api_port: {ports[1]}
proxy_api_port: {ports[2]}
database: {{name: {db.name}, user: {db.user}, password: {db.password}, host: 127.0.0.1,
           port: {db.port}, admin_socket: {db.admin_socket}}}
state_dir: {base / "srv"}
home_base: {base / "home"}
""", encoding="utf-8")
    proc = subprocess.run(["bash", str(REPO / "deploy" / "setup.sh"), "--config", str(config),
                           "--prefix", str(base / "opt"), "--no-start-postgres"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    settings = load_settings(config)
    settings = WorkshopSettings(**{**settings.__dict__, "prefix": base / "opt" / "venv"})
    yield settings
    _remove_accounts()


@dataclass(frozen=True)
class Hub:
    url: str
    settings: WorkshopSettings
    passwords: dict[str, str]
    log: Path

    def as_instructor(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run a command as the instructor, in the course directory (as in their terminal)."""
        proc = subprocess.run([RUNUSER, "-u", INSTRUCTOR, "--", *args],
                              cwd=self.settings.course_root, capture_output=True, text=True,
                              env={**os.environ, "PATH": f"{self.settings.bin_dir}:/usr/bin:/bin",
                                   "HOME": pwd.getpwnam(INSTRUCTOR).pw_dir})
        if check:
            assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        return proc

    def course(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.as_instructor(str(self.settings.bin_dir / "course"), *args, check=check)

    def totals(self, assignment: str) -> tuple[str, dict[str, float]]:
        """(gradebook driver, learner → total auto score), read by the instructor's gradebook code."""
        out = self.as_instructor(str(self.settings.bin_dir / "python"), "-c", _TOTALS % assignment)
        data = json.loads(out.stdout.strip().splitlines()[-1])
        return data["driver"], data["totals"]


_TOTALS = """
import json, collections
from course.grading.gradebook import db_url, scores
totals = collections.defaultdict(float)
for (student, _a, _nb, _g), (score, _m) in scores(db_url('.'), %r).items():
    totals[student] += score or 0.0
print(json.dumps({"driver": db_url('.').split('://')[0], "totals": totals}))
"""


@pytest.fixture(scope="session")
def hub(workshop: WorkshopSettings, base: Path) -> Iterator[Hub]:
    with open(workshop.account_sheet, encoding="utf-8-sig") as fh:
        passwords = {row[0]: row[2] for row in list(csv.reader(fh))[1:]}
    log = base / "hub.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(workshop.bin_dir / "jupyterhub"), "-f",
                                 str(workshop.config_file.parent / "jupyterhub_config.py")],
                                cwd=workshop.hub_dir, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{workshop.hub_port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if requests.get(f"{url}/hub/api", timeout=5).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        assert proc.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(0.5)
    yield Hub(url, workshop, passwords, log)
    proc.terminate()
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def released(hub: Hub) -> str:
    """The instructor generates ch1 and puts it in the exchange (``course release --publish``)."""
    hub.course("release", ASSIGNMENT, "--publish")
    return ASSIGNMENT
