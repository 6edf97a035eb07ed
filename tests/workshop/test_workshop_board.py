"""The class board on the hub's PostgreSQL: each learner's kernel posts as its own role (peer login).

Row-level security keeps every learner to their own rows; the instructor sees all and tags them.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import websocket

from tests.workshop.conftest import INSTRUCTOR, LEARNERS, MARKS, Hub
from tests.workshop.hubclient import HubUser

pytestmark = MARKS


class Kernel:
    """A Python kernel on a user's single-user server, driven over the Jupyter websocket."""

    def __init__(self, user: HubUser) -> None:
        self.user = user
        resp = user.server("POST", "api/kernels", json={"name": "python3"})
        resp.raise_for_status()
        self.id = resp.json()["id"]
        url = f"{user.hub_url}/user/{user.name}/api/kernels/{self.id}/channels".replace("http", "ws", 1)
        auth = user.api.headers["Authorization"]
        self.ws = websocket.create_connection(url, timeout=120, header=[f"Authorization: {auth}"])

    def run(self, code: str) -> str:
        """Execute ``code``; its stdout (a Python error fails the test with the traceback)."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.user.name,
                       "session": uuid.uuid4().hex, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
        out: list[str] = []
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream" and content.get("name") == "stdout":
                out.append(content["text"])
            elif kind == "error":
                raise AssertionError(f"{self.user.name}: " + "\n".join(content["traceback"]))
            elif kind == "execute_reply":
                return "".join(out)

    def json(self, code: str) -> Any:
        return json.loads(self.run(code).strip().splitlines()[-1])

    def close(self) -> None:
        self.ws.close()
        self.user.server("DELETE", f"api/kernels/{self.id}")


_POST = """
import json, os, time
from course.board.store import open_board
t = time.perf_counter()
board = open_board()
opened = time.perf_counter() - t
t = time.perf_counter()
post = board.post("problem", {"text": %r})
took = time.perf_counter() - t
print(json.dumps({"id": post.id, "learner": post.learner, "url": os.environ["COURSE_BOARD_URL"],
                  "open_s": opened, "post_s": took}))
"""

_ATTACKS = """
import json, os
import sqlalchemy as sa
from course.board.store import BoardError, open_board
board = open_board()
out = {}
try:
    board.post("problem", {"text": "冒名"}, learner=%(other)r)
    out["spoof"] = "accepted"
except BoardError as exc:
    out["spoof"] = str(exc)
out["mine"] = [p.learner for p in board.rows()]

def attempt(sql):
    try:
        with board._engine.begin() as conn:
            res = conn.execute(sa.text(sql))
            return "ok %%s" %% (res.rowcount,)
    except sa.exc.DBAPIError as exc:
        return "refused " + str(exc.orig).splitlines()[0]

out["raw_insert"] = attempt("INSERT INTO board_posts (kind, learner, payload, created) "
                            "VALUES ('problem', '%(other)s', '{}', now())")
out["update"] = attempt("UPDATE board_posts SET chapter = '05'")
out["update_learner"] = attempt("UPDATE board_posts SET learner = '%(other)s'")
out["delete"] = attempt("DELETE FROM board_posts")
try:  # the trainer's action, tried from a learner's account
    board.tag(board.rows()[0].id, "05")
    out["tag"] = "accepted"
except BoardError as exc:
    out["tag"] = str(exc)
with board._engine.connect() as conn:
    out["count"] = conn.execute(sa.text("SELECT count(*) FROM board_posts")).scalar_one()
    out["others"] = conn.execute(sa.text(
        "SELECT count(*) FROM board_posts WHERE learner <> current_user")).scalar_one()
url = os.environ["COURSE_BOARD_URL"]
try:  # log in as another learner's role: peer authentication checks the OS user
    sa.create_engine(url.replace(":///", "://%(other)s@/", 1)).connect().close()
    out["as_other"] = "accepted"
except sa.exc.OperationalError as exc:
    out["as_other"] = str(exc.orig).strip().splitlines()[-1]
out["url"] = url
print(json.dumps(out, ensure_ascii=False))
"""

_INSTRUCTOR = """
import json
from course.board.store import open_board
board = open_board()
rows = board.rows("problem")
tagged = board.tag(%(id)d, "02")
print(json.dumps({"learners": sorted({p.learner for p in rows}), "n": len(rows),
                  "tagged": [tagged.id, tagged.chapter, tagged.learner],
                  "chapter02": [p.id for p in board.rows(chapter="02")]}, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def kernels(hub: Hub) -> Iterator[dict[str, Kernel]]:
    opened = {}
    for name in (*LEARNERS, INSTRUCTOR):
        user = HubUser(hub.url, name, hub.passwords[name])
        user.start()
        opened[name] = Kernel(user)
    yield opened
    for kernel in opened.values():
        kernel.close()


@pytest.fixture(scope="module")
def posted(kernels: dict[str, Kernel]) -> dict[str, dict]:
    """Each learner posts one problem from their own kernel (learner left to the board)."""
    out = {}
    for name in LEARNERS:
        t = time.perf_counter()
        out[name] = kernels[name].json(_POST % f"{name} 的难题：用户说阶梯水价不公平")
        out[name]["round_s"] = time.perf_counter() - t
    return out


def test_each_learner_posts_under_their_own_role(posted: dict[str, dict]):
    for name, result in posted.items():
        assert result["learner"] == name
        assert result["url"].startswith("postgresql+psycopg2:///")
        assert "@" not in result["url"] and "password" not in result["url"]  # no secret to leak
    print("\n看板（PostgreSQL，每人自己的角色）：" + "，".join(
        f"{n} 打开 {r['open_s'] * 1000:.0f} ms / 发帖 {r['post_s'] * 1000:.0f} ms / 整轮 {r['round_s']:.2f} s"
        for n, r in posted.items()))


def test_a_learner_cannot_post_as_read_or_change_others(kernels: dict[str, Kernel], posted: dict):
    me, other = LEARNERS[0], LEARNERS[1]
    out = kernels[me].json(_ATTACKS % {"other": other})
    assert "只能以自己的账号" in out["spoof"] and me in out["spoof"]
    assert out["mine"] == [me] and out["count"] == 1 and out["others"] == 0
    assert out["raw_insert"].startswith("refused") and "row-level security" in out["raw_insert"]
    for key in ("update", "update_learner", "delete"):
        assert out[key].startswith("refused") and "permission denied" in out[key], (key, out[key])
    assert out["as_other"] != "accepted" and "Peer authentication failed" in out["as_other"]
    assert "只有讲师账号" in out["tag"], out["tag"]
    print(f"\n{me} 冒名发帖：{out['spoof']}；只见到自己的 {out['count']} 条；"
          f"改/删：{out['update']}；以 {other} 登录：{out['as_other']}")


def test_the_instructor_sees_all_and_tags_a_chapter(kernels: dict[str, Kernel], posted: dict):
    first = posted[LEARNERS[0]]["id"]
    t = time.perf_counter()
    out = kernels[INSTRUCTOR].json(_INSTRUCTOR % {"id": first})
    took = time.perf_counter() - t
    assert set(LEARNERS) <= set(out["learners"]) and out["n"] >= len(LEARNERS)
    assert out["tagged"] == [first, "02", LEARNERS[0]]
    assert first in out["chapter02"]
    # the learner sees the chapter the trainer gave their own problem
    mine = kernels[LEARNERS[0]].json(
        "import json\nfrom course.board.store import open_board\n"
        "print(json.dumps([[p.id, p.chapter] for p in open_board().rows()]))")
    assert [first, "02"] in mine
    print(f"\n讲师读到 {out['n']} 条（{len(out['learners'])} 名学员），标注第 02 章，用时 {took:.2f} s")
