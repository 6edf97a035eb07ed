"""Reading ``course/data/legal.yaml``: every field checked once, errors in Chinese naming the field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from course._data import load_yaml
from course.legal.model import Basis, Entry, Source, Unconfirmed

__all__ = ["FILE", "GIST_MAX", "LegalData", "LegalError", "data", "parse"]

FILE = "legal.yaml"
GIST_MAX = 120  # a paraphrase, not a quote: it has to fit one cell of the printed card
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class LegalError(ValueError):
    """Bad legal-card data or an unknown entry id (the message is Chinese and names the field)."""


@dataclass(frozen=True)
class LegalData:
    """The whole file: the card's title, scope note, check date, entries and unconfirmed claims."""

    title: str
    scope: str
    checked: date
    entries: tuple[Entry, ...]
    unconfirmed: tuple[Unconfirmed, ...]

    def ids(self) -> tuple[str, ...]:
        """Entry ids in card order."""
        return tuple(e.id for e in self.entries)


def _text(d: Any, key: str, where: str, empty_ok: bool = False) -> str:
    if not isinstance(d, dict) or key not in d or d[key] is None:
        raise LegalError(f"数据文件 {FILE} 的 {where} 缺少字段 {key}。")
    value = d[key]
    if not isinstance(value, str):
        raise LegalError(f"数据文件 {FILE} 的 {where}.{key} 应该是一段文字，收到的是 {value!r}。")
    if not value.strip() and not empty_ok:
        raise LegalError(f"数据文件 {FILE} 的 {where}.{key} 不能为空。")
    return value.strip()


def _texts(d: dict, key: str, where: str, empty_ok: bool = False) -> tuple[str, ...]:
    value = d.get(key)
    if value is None and empty_ok:
        return ()
    if not isinstance(value, list) or not (value or empty_ok):
        raise LegalError(f"数据文件 {FILE} 的 {where}.{key} 应该是至少一项的列表。")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise LegalError(f"数据文件 {FILE} 的 {where}.{key}[{i}] 应该是一段不为空的文字。")
        out.append(item.strip())
    return tuple(out)


def _source(s: Any, where: str) -> Source:
    url = _text(s, "url", where)
    if not url.startswith(("http://", "https://")):
        raise LegalError(f"数据文件 {FILE} 的 {where}.url 应该以 http:// 或 https:// 开头，"
                         f"收到的是 {url}。")
    return Source(title=_text(s, "title", where), url=url)


def _entry(e: Any, where: str, local_topics: frozenset[str]) -> Entry:
    eid = _text(e, "id", where)
    if not _ID.match(eid):
        raise LegalError(f"数据文件 {FILE} 的 {where}.id 只能用小写英文字母、数字和下划线，"
                         f"收到的是 {eid}。")
    where = f"条目 {eid}"
    raw_basis = e.get("basis")
    if not isinstance(raw_basis, list) or not raw_basis:
        raise LegalError(f"数据文件 {FILE} 的 {where}.basis 应该列出至少一部法律或规定。")
    basis = []
    for i, b in enumerate(raw_basis):
        bw = f"{where}.basis[{i}]"
        law = _text(b, "law", bw)
        if not (law.startswith("《") and law.endswith("》")):
            raise LegalError(f"数据文件 {FILE} 的 {bw}.law 要写全称并加书名号，"
                             f"例如《中华人民共和国价格法》；收到的是 {law}。")
        basis.append(Basis(law=law, articles=_text(b, "articles", bw, empty_ok=True),
                           issuer=_text(b, "issuer", bw), version=_text(b, "version", bw)))
    gist = _text(e, "gist", where)
    if len(gist) > GIST_MAX:
        raise LegalError(f"数据文件 {FILE} 的 {where}.gist 是通俗说明，最多 {GIST_MAX} 个字，"
                         f"现在有 {len(gist)} 个字。")
    local = _texts(e, "local", where, empty_ok=True)
    for topic in local:
        if topic not in local_topics:
            raise LegalError(f"数据文件 {FILE} 的 {where}.local 用到了本地档案里没有的规定 {topic}；"
                             f"可用的有：{'、'.join(sorted(local_topics))}。")
    raw_sources = e.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources:
        raise LegalError(f"数据文件 {FILE} 的 {where}.sources 应该列出至少一个核对过的出处。")
    return Entry(id=eid, topic=_text(e, "topic", where), basis=tuple(basis), gist=gist,
                 may_say=_texts(e, "may_say", where), refer=_texts(e, "refer", where),
                 local=local,
                 sources=tuple(_source(s, f"{where}.sources[{i}]")
                               for i, s in enumerate(raw_sources)))


def parse(raw: Any, local_topics: frozenset[str]) -> LegalData:
    """Check the parsed YAML and build the card's data (raises :class:`LegalError`)."""
    if not isinstance(raw, dict):
        raise LegalError(f"数据文件 {FILE} 应该是一组“字段: 内容”，现在不是。")
    checked = raw.get("checked")
    if not isinstance(checked, date):
        raise LegalError(f"数据文件 {FILE} 的 checked 应该是核对日期，写成 2026-12-02 这样；"
                         f"收到的是 {checked!r}。")
    raw_entries = raw.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise LegalError(f"数据文件 {FILE} 的 entries 应该列出至少一个条目。")
    entries = tuple(_entry(e, f"entries[{i}]", local_topics) for i, e in enumerate(raw_entries))
    seen: set[str] = set()
    for e in entries:
        if e.id in seen:
            raise LegalError(f"数据文件 {FILE} 里条目编号 {e.id} 出现了不止一次。")
        seen.add(e.id)
    unconfirmed = []
    for i, u in enumerate(raw.get("unconfirmed") or []):
        where = f"unconfirmed[{i}]"
        urls = u.get("sources") if isinstance(u, dict) else None
        unconfirmed.append(Unconfirmed(
            claim=_text(u, "claim", where), reason=_text(u, "reason", where),
            sources=tuple(str(x) for x in (urls or ())),
            off_card=_texts(u, "off_card", where, empty_ok=True)))
    return LegalData(title=_text(raw, "title", "顶层"), scope=_text(raw, "scope", "顶层"),
                     checked=checked, entries=entries, unconfirmed=tuple(unconfirmed))


@cache
def data() -> LegalData:
    """The shipped card data, loaded and checked once."""
    from course.local import TOPICS

    return parse(load_yaml(FILE), frozenset(TOPICS))
