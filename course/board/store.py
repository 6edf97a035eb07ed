"""The class board's store: one row per submission in ``board_posts`` (SQLAlchemy Core)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["KINDS", "Board", "BoardError", "Post", "existing_board", "open_board"]

KINDS = ("problem", "observer", "poll", "plan", "station_score")
#: The course's chapters a problem can be filed under (id → title).
CHAPTERS = {"01": "阶梯水价", "02": "巧妙应答", "03": "恶意投诉", "04": "危机公关", "05": "综合演练"}
KIND_NAMES = {"problem": "难题", "observer": "观察表", "poll": "投票", "plan": "行动计划",
              "station_score": "站点评分"}
MAX_TEXT = 500


class BoardError(ValueError):
    """A board input or storage problem, explained in Chinese."""

    user_facing = True


@dataclass(frozen=True)
class Post:
    """One submission on the board."""

    id: int
    kind: str
    learner: str
    chapter: str | None
    payload: dict
    created: datetime


def _default_root() -> Path:
    env = os.environ.get("COURSE_ROOT")
    if env:
        return Path(env)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file():
            return folder
    raise BoardError(f"在 {here} 及其上级目录中找不到课程目录（nbgrader_config.py）：请设置 COURSE_ROOT。")


def _text(value: Any, field: str, *, required: bool = True) -> str:
    from course.fullwidth import normalize_answer

    if not isinstance(value, str):
        raise BoardError(f"“{field}”必须是文字（收到的是 {type(value).__name__}）。")
    text = normalize_answer(value) if field in ("队伍", "站点", "小组") else value.strip()
    if required and not text:
        raise BoardError(f"“{field}”不能为空，请填写后再发送。")
    if len(text) > MAX_TEXT:
        raise BoardError(f"“{field}”太长（{len(text)} 字），最多 {MAX_TEXT} 字。")
    return text


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BoardError(f"“{field}”必须是数字（收到：{value!r}）。")
    if value < 0:
        raise BoardError(f"“{field}”不能是负数（收到：{value}）。")
    return value


def validate(kind: Any, payload: Any) -> dict:
    """The payload, checked for ``kind`` (text trimmed); :class:`BoardError` in Chinese otherwise."""
    if kind not in KINDS:
        allowed = "、".join(f"{k}（{KIND_NAMES[k]}）" for k in KINDS)
        raise BoardError(f"“类型”只能是 {allowed}，收到：{kind!r}。")
    if not isinstance(payload, dict):
        raise BoardError("“内容”必须是一个字典（dict）。")
    p = dict(payload)
    if kind == "problem":
        p["text"] = _text(p.get("text"), "难题")
    elif kind == "observer":
        for key, name in (("scenario", "情景"), ("pair", "小组"), ("observer", "观察员")):
            p[key] = _text(p.get(key), name)
        if not isinstance(p.get("ticks"), dict):
            raise BoardError("“勾选项”（ticks）必须是字典：{要点: 是否做到}。")
        p["score"] = _number(p.get("score"), "得分")
        p["max"] = _number(p.get("max"), "满分")
        if p["score"] > p["max"]:
            raise BoardError(f"“得分”（{p['score']}）不能超过“满分”（{p['max']}）。")
    elif kind == "poll":
        p["question"] = _text(p.get("question"), "问题")
        p["answer"] = _text(p.get("answer"), "答案")
    elif kind == "plan":
        for key, name in (("learned", "学到了什么"), ("action", "行动计划"), ("support", "需要的支持")):
            p[key] = _text(p.get(key, ""), name, required=key != "support")
    else:
        for key, name in (("station", "站点"), ("team", "队伍"), ("judge", "评委")):
            p[key] = _text(p.get(key), name)
        if not isinstance(p.get("scores"), dict) or not p["scores"]:
            raise BoardError("“各项得分”（scores）必须是非空字典：{评分项: 分数}。")
        p["scores"] = {str(k): _number(v, f"评分项“{k}”") for k, v in p["scores"].items()}
        p["total"] = _number(p.get("total", sum(p["scores"].values())), "总分")
        if "members" in p:  # optional: the team's learners (certificates credit each of them)
            if not isinstance(p["members"], list) or not p["members"]:
                raise BoardError("“队员”（members）必须是非空列表：[学员账号, …]。")
            p["members"] = [_text(m, "队员") for m in p["members"]]
    try:
        json.dumps(p, ensure_ascii=False)
    except (TypeError, ValueError):
        raise BoardError("“内容”里只能有文字、数字、列表和字典。") from None
    return p


def _chapter(chapter: Any) -> str | None:

    if chapter is None:
        return None
    key = str(chapter).strip()
    key = key.zfill(2) if key.isdigit() else key
    if key not in CHAPTERS:
        allowed = "、".join(f"{k} {v}" for k, v in CHAPTERS.items())
        raise BoardError(f"“章节”只能是 {allowed}，收到：{chapter!r}。")
    return key


class Board:
    """The class board in one database (SQLite file or PostgreSQL URL)."""

    def __init__(self, url: str) -> None:
        import sqlalchemy as sa

        self.url = url
        kwargs: dict[str, Any] = {}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"timeout": 30}
        self._engine = sa.create_engine(url, future=True, **kwargs)
        if url.startswith("sqlite"):
            @sa.event.listens_for(self._engine, "connect")
            def _pragmas(dbapi_conn: Any, _record: Any) -> None:
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA busy_timeout=30000")
                cur.close()
        meta = sa.MetaData()
        self._table = sa.Table(
            "board_posts", meta,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("kind", sa.String(32), nullable=False, index=True),
            sa.Column("learner", sa.String(128), nullable=False),
            sa.Column("chapter", sa.String(8), nullable=True),
            sa.Column("payload", sa.Text, nullable=False),
            sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        )
        try:
            try:
                meta.create_all(self._engine, checkfirst=True)
            except sa.exc.OperationalError:  # another kernel created it at the same moment
                meta.create_all(self._engine, checkfirst=True)
        except sa.exc.SQLAlchemyError as exc:
            raise BoardError(f"无法打开班级看板数据库（{url}）：{exc.__class__.__name__}。") from None

    def _post(self, row: Any) -> Post:
        created = row.created
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        return Post(row.id, row.kind, row.learner, row.chapter, json.loads(row.payload), created)

    def post(self, kind: str, payload: dict, *, learner: str | None = None,
             chapter: str | None = None) -> Post:
        """Store one submission (validated) and return it."""
        import sqlalchemy as sa

        clean = validate(kind, payload)
        chap = _chapter(chapter)
        on_pg = self._engine.dialect.name == "postgresql"
        with self._engine.begin() as conn:
            # On PostgreSQL (the workshop hub) each account logs in as its own role: the session
            # user is the learner, and row-level security refuses rows in anyone else's name.
            me = conn.execute(sa.text("SELECT current_user")).scalar_one() if on_pg else None
            if learner is None:
                if me is None:
                    from course.itembank.learner import learner_id

                    learner = learner_id()
                else:
                    learner = me
            who = _text(learner, "学员")
            values = {"kind": kind, "learner": who, "chapter": chap,
                      "payload": json.dumps(clean, ensure_ascii=False),
                      "created": datetime.now(UTC)}
            try:
                result = conn.execute(self._table.insert().values(**values))
            except sa.exc.DBAPIError as exc:
                if on_pg and getattr(exc.orig, "pgcode", None) == "42501":  # insufficient privilege
                    raise BoardError(f"只能以自己的账号（{me}）发送到看板，“学员”不能填写为“{who}”。") from None
                raise BoardError(f"无法写入班级看板：{exc.__class__.__name__}。") from None
            new_id = result.inserted_primary_key[0]
        return Post(int(new_id), kind, who, chap, clean, values["created"])

    def rows(self, kind: str | None = None, *, chapter: str | None = None) -> list[Post]:
        """All submissions (oldest first), optionally of one kind and/or one chapter."""
        import sqlalchemy as sa

        t = self._table
        query = sa.select(t).order_by(t.c.id)
        if kind is not None:
            if kind not in KINDS:
                raise BoardError(f"“类型”只能是 {'、'.join(KINDS)}，收到：{kind!r}。")
            query = query.where(t.c.kind == kind)
        if chapter is not None:
            query = query.where(t.c.chapter == _chapter(chapter))
        with self._engine.connect() as conn:
            return [self._post(r) for r in conn.execute(query)]

    def tag(self, post_id: int, chapter: str) -> Post:
        """File a submission under a chapter (the trainer's action)."""
        import sqlalchemy as sa

        chap = _chapter(chapter)
        if chap is None:
            raise BoardError("“章节”不能为空。")
        t = self._table
        try:
            with self._engine.begin() as conn:
                done = conn.execute(sa.update(t).where(t.c.id == int(post_id)).values(chapter=chap))
                if done.rowcount == 0:
                    raise BoardError(f"看板上没有编号为 {post_id} 的记录。")
                row = conn.execute(sa.select(t).where(t.c.id == int(post_id))).one()
        except sa.exc.DBAPIError as exc:
            if getattr(exc.orig, "pgcode", None) == "42501":  # insufficient privilege
                raise BoardError("只有讲师账号可以把难题归到章节；学员账号只能发送自己的内容。") from None
            raise BoardError(f"无法修改班级看板：{exc.__class__.__name__}。") from None
        return self._post(row)


def board_url(root: Path | None = None) -> str:
    """The database URL: ``COURSE_BOARD_URL`` or SQLite at ``<root>/.course/board.sqlite``."""
    env = os.environ.get("COURSE_BOARD_URL", "").strip()
    if env:
        return env
    folder = Path(root) if root is not None else _default_root()
    (folder / ".course").mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(folder / '.course' / 'board.sqlite').resolve()}"


def existing_board(root: Path | None = None) -> Board | None:
    """The board if its database already exists (never creates one), else ``None``."""
    env = os.environ.get("COURSE_BOARD_URL", "").strip()
    if env:
        return Board(env)
    try:
        folder = Path(root) if root is not None else _default_root()
    except BoardError:
        return None
    path = folder / ".course" / "board.sqlite"
    return Board(f"sqlite:///{path.resolve()}") if path.is_file() else None


def open_board(root: Path | None = None, url: str | None = None) -> Board:
    """The class board of the course at ``root`` (or at ``url``)."""
    return Board(url or board_url(root))
