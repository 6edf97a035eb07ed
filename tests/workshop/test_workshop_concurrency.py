"""Thirty learners submit at the same moment: every submission is collected and graded."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

from tests.workshop.conftest import ASSIGNMENT, COURSE_ID, CROWD, MARKS, Hub
from tests.workshop.helpers import answered, stock_totals
from tests.workshop.hubclient import HubUser

pytestmark = MARKS
NOTEBOOK = f"{ASSIGNMENT}.ipynb"


def _kind(name: str) -> str:
    return ("full", "partial", "blank")[int(name[-2:]) % 3]


def test_thirty_learners_submit_at_once_and_nothing_is_lost(hub: Hub, released: str):
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    with ThreadPoolExecutor(len(CROWD)) as pool:
        users = list(pool.map(lambda n: HubUser(hub.url, n, hub.passwords[n]), CROWD))
        timings["登录 30 人"] = time.perf_counter() - t0
        t = time.perf_counter()
        list(pool.map(lambda u: u.start(timeout=600), users))
        timings["同时启动 30 台学员服务器"] = time.perf_counter() - t

        def prepare(user: HubUser) -> dict:
            user.assignment_action("fetch", COURSE_ID, released)
            nb = answered(user.read(f"{released}/{NOTEBOOK}")["content"], released, NOTEBOOK,
                          _kind(user.name))
            user.write_notebook(f"{released}/{NOTEBOOK}", nb)
            return nb

        t = time.perf_counter()
        sent = dict(zip(CROWD, pool.map(prepare, users), strict=True))
        timings["取回并作答"] = time.perf_counter() - t
        t = time.perf_counter()
        results = list(pool.map(lambda u: u.assignment_action("submit", COURSE_ID, released), users))
        timings["30 人同时提交"] = time.perf_counter() - t
    assert all(r.get("success", True) for r in results), results

    inbound = hub.settings.exchange_root / COURSE_ID / "inbound"
    assert {p.name.split("+")[0] for p in inbound.iterdir()} >= set(CROWD)
    t = time.perf_counter()
    hub.course("collect", ASSIGNMENT)
    timings["收取"] = time.perf_counter() - t
    t = time.perf_counter()
    hub.course("grade", ASSIGNMENT)
    timings["course grade 评分"] = time.perf_counter() - t
    _driver, graded = hub.totals(ASSIGNMENT)

    for name in CROWD:  # each learner's own answers arrived intact
        got = json.loads((hub.settings.course_root / "submitted" / name / ASSIGNMENT / NOTEBOOK)
                         .read_text(encoding="utf-8"))
        assert ["".join(c["source"]) for c in got["cells"]] == \
               ["".join(c["source"]) for c in sent[name]["cells"]]
    one_of_each = {kind: next(n for n in CROWD if _kind(n) == kind) for kind in ("full", "partial", "blank")}
    expected = stock_totals(ASSIGNMENT, {n: {NOTEBOOK: sent[n]} for n in one_of_each.values()})
    assert {n: graded.get(n) for n in CROWD} == {n: expected[one_of_each[_kind(n)]] for n in CROWD}
    timings["合计"] = time.perf_counter() - t0
    print("\n工作坊并发测试用时（秒）：" + "，".join(f"{k} {v:.1f}" for k, v in timings.items()))
