"""Loading ``course/data/service.yaml``: validated, ``{本地.…}`` facts filled from the local profile."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import TYPE_CHECKING, Any

from course._data import load_yaml
from course.service.model import ServiceError, ServiceItem, Topic

if TYPE_CHECKING:
    from course.local import Profile

__all__ = ["FILE", "topic", "topic_ids", "topics", "validate"]

FILE = "service.yaml"
_TOPIC_FIELDS = {"id", "title", "source", "intro", "exercise", "items", "drill"}
_TOPIC_REQUIRED = ("id", "title", "source", "intro", "exercise", "items")
_ITEM_FIELDS = {"name", "explain", "example", "selfcheck"}
_ITEM_REQUIRED = ("name", "explain", "example")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_SELFCHECK = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u201c\u201d\u2018\u2019"
# YAML's folded text (>-) joins lines with a space, which Chinese text does not have
_FOLD = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


def _text_problem(value: Any, where: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return f"{where} 是空的或不是一段文字：请写一段中文。"
    return None


def _item_problems(item: Any, where: str) -> list[str]:
    if not isinstance(item, dict):
        return [f"{where} 应当写 name、explain、example 这几项。"]
    out = [f"{where} 里有不认识的项 {k}：只能有 {'、'.join(sorted(_ITEM_FIELDS))}。"
           for k in item if k not in _ITEM_FIELDS]
    out += [p for k in _ITEM_REQUIRED if (p := _text_problem(item.get(k), f"{where} 的 {k}"))]
    if "selfcheck" in item and not (isinstance(item["selfcheck"], str)
                                    and _SELFCHECK.match(item["selfcheck"])):
        out.append(f"{where} 的 selfcheck 应写成“练习集.题目”，例如 ch2_service.rethink。")
    return out


def validate(raw: Any, filename: str = FILE) -> list[str]:
    """Chinese problems with the contents of the service data file (empty when it is fine)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("topics"), list) or not raw["topics"]:
        return [f"数据文件 {filename} 应当有 topics：一个专题列表。"]
    problems: list[str] = []
    seen: set[str] = set()
    for n, t in enumerate(raw["topics"], 1):
        where = f"数据文件 {filename} 的 topics 第 {n} 个专题"
        if not isinstance(t, dict):
            problems.append(f"{where} 应当写 {'、'.join(_TOPIC_REQUIRED)} 这几项。")
            continue
        problems += [f"{where} 里有不认识的项 {k}：只能有 {'、'.join(sorted(_TOPIC_FIELDS))}。"
                     for k in t if k not in _TOPIC_FIELDS]
        problems += [f"{where} 缺少 {k}。" for k in _TOPIC_REQUIRED if k not in t]
        for key in ("id", "exercise"):
            if key in t and not (isinstance(t[key], str) and _ID.match(t[key])):
                problems.append(f"{where} 的 {key} 只能用小写英文字母、数字和下划线，现在是 {t[key]!r}。")
        if t.get("id") in seen:
            problems.append(f"{where} 的 id“{t['id']}”和前面的专题重复了。")
        seen.add(t.get("id"))
        problems += [p for k in ("title", "source", "intro")
                     if k in t and (p := _text_problem(t[k], f"{where} 的 {k}"))]
        if "drill" in t and (p := _text_problem(t["drill"], f"{where} 的 drill")):
            problems.append(p)
        items = t.get("items")
        if not isinstance(items, list) or len(items) < 2:
            problems.append(f"{where} 的 items 至少要有 2 条。")
            continue
        names: set[str] = set()
        for m, item in enumerate(items, 1):
            problems += _item_problems(item, f"{where} 的 items 第 {m} 条")
            name = item.get("name") if isinstance(item, dict) else None
            if name in names:
                problems.append(f"{where} 的 items 第 {m} 条的 name“{name}”重复了。")
            names.add(name)
    return problems


def _fill(value: Any, profile: Any) -> Any:
    if isinstance(value, str):
        return _FOLD.sub("", profile.fill(value)).strip()
    if isinstance(value, dict):
        return {k: _fill(v, profile) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, profile) for v in value]
    return value


@cache
def _topics(profile_key: str) -> tuple[Topic, ...]:
    from course.local import Profile

    raw = load_yaml(FILE)
    problems = validate(raw)
    if problems:
        raise ServiceError("\n".join(problems))
    raw = _fill(raw, Profile(json.loads(profile_key)))
    return tuple(
        Topic(id=t["id"], title=t["title"], source=t["source"], intro=t["intro"],
              exercise=t["exercise"], drill=t.get("drill", ""),
              items=tuple(ServiceItem(number=n, name=i["name"], explain=i["explain"],
                                      example=i["example"],
                                      selfcheck=i.get("selfcheck", ""))
                          for n, i in enumerate(t["items"], 1)))
        for t in raw["topics"])


def topics(profile: Profile | None = None) -> tuple[Topic, ...]:
    """All topics, in the order taught; local facts from ``profile`` (default: the current one)."""
    from course import local

    return _topics((profile or local.current()).key)


def topic_ids() -> tuple[str, ...]:
    """Ids of the topics, in the order taught."""
    return tuple(t.id for t in topics())


def topic(topic_id: str) -> Topic:
    """The topic ``topic_id`` (``levels``, ``needs``, ``counter_steps`` …)."""
    for t in topics():
        if t.id == topic_id:
            return t
    raise ServiceError(f"没有名为“{topic_id}”的服务专题；有的是：{'、'.join(topic_ids())}。")
