"""What the legal card is made of: the legal basis, the entries, the unconfirmed claims."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["Basis", "Entry", "Source", "Unconfirmed", "checked_text"]


@dataclass(frozen=True)
class Source:
    """A public page the entry was checked against."""

    title: str
    url: str


@dataclass(frozen=True)
class Basis:
    """One law or rule an entry rests on, in the version in force."""

    law: str  # 《中华人民共和国民法典》
    articles: str  # 第六百五十四条、第六百五十六条 ("" when the whole text is meant)
    issuer: str  # 全国人民代表大会
    version: str  # document number and dates of the version in force

    def cite(self) -> str:
        """Law and articles, e.g. 《中华人民共和国价格法》第二十三条."""
        return self.law + self.articles

    def __str__(self) -> str:
        return f"{self.cite()}（{self.issuer}；{self.version}）"


@dataclass(frozen=True)
class Entry:
    """One row of the card: a situation at the counter and what the law says about it."""

    id: str
    topic: str
    basis: tuple[Basis, ...]
    gist: str
    may_say: tuple[str, ...]
    refer: tuple[str, ...]
    local: tuple[str, ...]
    sources: tuple[Source, ...]

    def cite(self) -> str:
        """The laws and articles, short: what a debrief or a strategy card names."""
        return "；".join(b.cite() for b in self.basis)

    def __str__(self) -> str:
        lines = [f"【{self.topic}】", "  依据：" + "；".join(str(b) for b in self.basis),
                 f"  说明：{self.gist}"]
        lines += [f"  可以这样说：{s}" for s in self.may_say]
        lines += [f"  必须转交/上报：{s}" for s in self.refer]
        return "\n".join(lines)


@dataclass(frozen=True)
class Unconfirmed:
    """A claim that was looked for but not confirmed: kept off the card."""

    claim: str
    reason: str
    sources: tuple[str, ...]
    off_card: tuple[str, ...] = ()  # wording that must not appear on the card


def checked_text(day: date) -> str:
    """2026-12-02 → 2026年12月2日."""
    return f"{day.year}年{day.month}月{day.day}日"
