"""Sorting exercises as data: ``course/data/exercises/<id>.yaml``, validated, shown shuffled.

A file looks like this (every field required)::

    title: 标题
    instructions: 说明
    source: seed 000 第二章 二
    categories: [类别甲, 类别乙]
    items:
      - text: 一句情形或说法
        answer: 类别甲
        why: 为什么属于这一类

Mistakes in a file raise :class:`ExerciseError` with a Chinese message naming the file and
the field. Items are shown in an order shuffled with the exercise's id as the seed, so the
order is the same every time but is not the order of the file.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from course._data import data_dir, list_yaml
from course.exercises.model import Exercise, ExerciseError, Item

__all__ = ["FOLDER", "list_exercises", "load", "load_file", "normalize", "parse"]

FOLDER = "exercises"
_FIELDS = ("title", "instructions", "source", "categories", "items")
_ITEM_FIELDS = ("text", "answer", "why")
_QUOTES = "\"'“”‘’「」『』《》"
_ENDS = "。．.，,；;！!"


def normalize(text: Any) -> str:
    """Text as compared: half-width (NFKC), no spaces, no surrounding quotes or end marks.

    >>> normalize(" “原则：迅速”。 ")
    '原则:迅速'
    """
    if not isinstance(text, str):
        return ""
    folded = unicodedata.normalize("NFKC", text)
    folded = re.sub(r"\s+", "", folded)
    return folded.strip(_QUOTES).rstrip(_ENDS).strip(_QUOTES)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        shown = "空的" if value in (None, "") else f"不是一段文字（是 {value!r}）"
        raise ExerciseError(f"{where} {shown}：请写一段中文。")
    return value.strip()


def shuffled(exercise_id: str, count: int) -> list[int]:
    """Indexes ``0 … count-1`` in the order shown for ``exercise_id`` (stable, not the file's)."""
    seed = int.from_bytes(hashlib.sha256(exercise_id.encode("utf-8")).digest()[:8], "big")
    order = list(range(count))
    random.Random(seed).shuffle(order)
    if count > 1 and order == sorted(order):
        order = order[1:] + order[:1]
    return order


def parse(data: Any, exercise_id: str, filename: str | None = None) -> Exercise:
    """Validate the contents of one exercise file and return the :class:`Exercise`."""
    name = filename or f"{FOLDER}/{exercise_id}.yaml"
    where = f"练习文件 {name}"
    if not isinstance(data, dict):
        raise ExerciseError(f"{where} 的内容应当是 title、instructions、source、categories、items "
                            "这几项，现在不是。")
    unknown = [str(k) for k in data if k not in _FIELDS]
    if unknown:
        raise ExerciseError(f"{where} 里有不认识的项 {'、'.join(unknown)}：只能有 "
                            f"{'、'.join(_FIELDS)}。")
    missing = [k for k in _FIELDS if k not in data]
    if missing:
        raise ExerciseError(f"{where} 缺少 {'、'.join(missing)}。")
    title = _text(data["title"], f"{where} 的 title")
    instructions = _text(data["instructions"], f"{where} 的 instructions")
    source = _text(data["source"], f"{where} 的 source")

    raw_cats = data["categories"]
    if not isinstance(raw_cats, list) or len(raw_cats) < 2:
        raise ExerciseError(f"{where} 的 categories 至少要有 2 个类别，写成 [类别甲, 类别乙] 这样的列表。")
    categories: list[str] = []
    seen_cats: dict[str, str] = {}
    for n, cat in enumerate(raw_cats, 1):
        cat = _text(cat, f"{where} 的 categories 第 {n} 个类别")
        key = normalize(cat)
        if key in seen_cats:
            raise ExerciseError(f"{where} 的 categories 里“{cat}”重复了。")
        seen_cats[key] = cat
        categories.append(cat)

    raw_items = data["items"]
    if not isinstance(raw_items, list) or len(raw_items) < 2:
        raise ExerciseError(f"{where} 的 items 至少要有 2 条，每条写 text、answer、why。")
    parsed: list[tuple[str, str, str]] = []
    seen_texts: dict[str, int] = {}
    for n, entry in enumerate(raw_items, 1):
        at = f"{where} 的 items 第 {n} 条"
        if not isinstance(entry, dict):
            raise ExerciseError(f"{at} 应当写 text、answer、why 三项。")
        unknown = [str(k) for k in entry if k not in _ITEM_FIELDS]
        if unknown:
            raise ExerciseError(f"{at} 里有不认识的项 {'、'.join(unknown)}：只能有 text、answer、why。")
        text = _text(entry.get("text"), f"{at} 的 text")
        answer = _text(entry.get("answer"), f"{at} 的 answer")
        why = _text(entry.get("why"), f"{at} 的 why")
        if normalize(answer) not in seen_cats:
            raise ExerciseError(f"{at} 的 answer“{answer}”不是 categories 里的类别：只能是 "
                                f"{'、'.join(categories)}。")
        key = normalize(text)
        if key in seen_texts:
            raise ExerciseError(f"{at} 的 text 和第 {seen_texts[key]} 条重复了：“{text}”。")
        seen_texts[key] = n
        parsed.append((text, seen_cats[normalize(answer)], why))

    order = shuffled(exercise_id, len(parsed))
    items = tuple(Item(number=k, text=parsed[i][0], answer=parsed[i][1], why=parsed[i][2])
                  for k, i in enumerate(order, 1))
    return Exercise(id=exercise_id, title=title, instructions=instructions, source=source,
                    categories=tuple(categories), items=items)


def load_file(path: str | Path) -> Exercise:
    """Read and validate an exercise file anywhere on disk (its id is the file name)."""
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ExerciseError(f"读不到练习文件 {path.name}：{exc.strerror or exc}。") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"第 {mark.line + 1} 行" if mark is not None else "某一行"
        raise ExerciseError(f"练习文件 {FOLDER}/{path.name} 的格式有误（{line}附近）："
                            "检查缩进、冒号和方括号。") from None
    return parse(data, path.stem, f"{FOLDER}/{path.name}")


def list_exercises() -> list[str]:
    """Ids of the exercises shipped in ``course/data/exercises/``, sorted."""
    return list_yaml(FOLDER)


@cache
def _load_cached(exercise_id: str, mtime: float) -> Exercise:
    return load_file(data_dir() / FOLDER / f"{exercise_id}.yaml")


def load(exercise_id: str) -> Exercise:
    """The exercise ``exercise_id`` (an unknown id: :class:`ExerciseError` in Chinese)."""
    known = list_exercises()
    if not isinstance(exercise_id, str) or exercise_id.strip() not in known:
        shown = "、".join(known) if known else "（还没有）"
        raise ExerciseError(f"没有名为“{exercise_id}”的分类练习。现有的练习：{shown}。")
    path = data_dir() / FOLDER / f"{exercise_id.strip()}.yaml"
    return _load_cached(exercise_id.strip(), path.stat().st_mtime)
