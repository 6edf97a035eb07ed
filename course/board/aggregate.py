"""Pure aggregation of board posts for the trainer's view and the ``course board`` command."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from course.board.store import CHAPTERS, KINDS

__all__ = ["CHAPTERS", "UNFILED", "by_chapter", "counts", "observer_scores", "poll_counts",
           "poll_results", "station_ranking", "word_list"]

UNFILED = "待归类"

_STOP_TEXT = (
    "的 了 是 在 我 你 他 她 它 们 我们 你们 他们 用户 客户 就 都 也 还 又 和 与 及 或 而 但 说 "
    "要 会 能 对 把 被 让 给 不 没 没有 很 太 有 这 那 这个 那个 什么 怎么 怎样 如何 一个 一些 "
    "着 过 吗 呢 吧 啊 呀 嘛 个 上 下 里 中 后 前 时 时候 因为 所以 如果 就是 还是 可以 觉得 认为 "
    "总是 一直 已经 一下 自己 怎么办 问题")
STOP_WORDS = frozenset(_STOP_TEXT.split())


@dataclass(frozen=True)
class ObserverScore:
    """One pair's observer results: sheets, mean score and the best sheet."""

    pair: str
    sheets: int
    mean_percent: float
    best: float
    max: float


@dataclass(frozen=True)
class TeamRank:
    """One team's station total (best sheet per station, summed)."""

    rank: int
    team: str
    total: float
    stations: int


def counts(posts: Iterable[Any]) -> dict[str, int]:
    """Number of posts per kind (every kind listed, zeros included)."""

    c = Counter(p.kind for p in posts)
    return {k: c.get(k, 0) for k in KINDS}


def word_list(posts: Iterable[Any], top: int = 20) -> list[tuple[str, int]]:
    """The most frequent words in the problems (jieba segmentation, stop-words dropped)."""
    import rjieba

    c: Counter[str] = Counter()
    for p in posts:
        if p.kind != "problem":
            continue
        for word in rjieba.cut(str(p.payload.get("text", ""))):
            word = word.strip()
            if len(word) < 2 or word in STOP_WORDS or not re.search(r"\w", word) or word.isdigit():
                continue
            c[word] += 1
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:top]


def by_chapter(posts: Iterable[Any]) -> dict[str, list[Any]]:
    """Problems grouped under ``"01 阶梯水价"`` … and ``待归类`` (untagged), in that order."""
    groups: dict[str, list[Any]] = {f"{k} {v}": [] for k, v in CHAPTERS.items()}
    groups[UNFILED] = []
    for p in posts:
        if p.kind != "problem":
            continue
        key = f"{p.chapter} {CHAPTERS[p.chapter]}" if p.chapter in CHAPTERS else UNFILED
        groups[key].append(p)
    return groups


def observer_scores(posts: Iterable[Any]) -> list[ObserverScore]:
    """Per pair: number of observer sheets, mean score in percent, best score.

    A sheet sent again (same observer account, pair and scenario: a correction) replaces the earlier one.
    """
    latest: dict[tuple[str, str, str], dict] = {}
    for p in posts:
        if p.kind == "observer":
            x = p.payload
            latest[(str(x["pair"]), str(p.learner), str(x.get("scenario", "")))] = x
    sheets: dict[str, list[dict]] = {}
    for (pair, _, _), x in latest.items():
        sheets.setdefault(pair, []).append(x)
    out = []
    for pair in sorted(sheets):
        s = sheets[pair]
        pct = [100.0 * x["score"] / x["max"] if x["max"] else 0.0 for x in s]
        best = max(s, key=lambda x: x["score"])
        out.append(ObserverScore(pair, len(s), round(sum(pct) / len(pct), 1),
                                 best["score"], best["max"]))
    return out


def poll_results(posts: Iterable[Any]) -> dict[str, list[tuple[str, int]]]:
    """Per poll question: (answer, votes), most votes first; a learner's last answer counts."""
    last: dict[tuple[str, str], str] = {}
    for p in posts:
        if p.kind == "poll":
            last[(p.payload["question"], p.learner)] = p.payload["answer"]
    per: dict[str, Counter[str]] = {}
    for (question, _), answer in last.items():
        per.setdefault(question, Counter())[answer] += 1
    return {q: sorted(c.items(), key=lambda kv: (-kv[1], kv[0])) for q, c in per.items()}


def poll_counts(posts: Iterable[Any], poll_id: str,
                options: Sequence[str] = ()) -> list[tuple[str, int]]:
    """Votes per answer of one poll (``poll_id``, else its question); a learner's last answer counts.

    ``options`` come first in their order (zeros included), then any other answers given."""
    last: dict[str, str] = {}
    for p in posts:
        if p.kind == "poll" and (p.payload.get("poll_id") or p.payload["question"]) == poll_id:
            last[p.learner] = p.payload["answer"]
    c = Counter(last.values())
    others = sorted((a for a in c if a not in options), key=lambda a: (-c[a], a))
    return [(a, c.get(a, 0)) for a in (*options, *others)]


def station_ranking(posts: Sequence[Any]) -> list[TeamRank]:
    """Teams ranked by the sum over stations of their best ``station_score`` total."""
    best: dict[str, dict[str, float]] = {}
    for p in posts:
        if p.kind == "station_score":
            team = best.setdefault(str(p.payload["team"]), {})
            station = str(p.payload["station"])
            team[station] = max(team.get(station, 0.0), float(p.payload["total"]))
    totals = sorted(((sum(s.values()), t, len(s)) for t, s in best.items()),
                    key=lambda x: (-x[0], x[1]))
    ranked, prev, rank = [], None, 0
    for i, (total, team, n) in enumerate(totals, start=1):
        if total != prev:
            rank, prev = i, total
        ranked.append(TeamRank(rank, team, total, n))
    return ranked
