"""Speech acts: what each sentence of a reply does (推诿, 归咎, 共情, 具体行动 …).

The acts, their frames and the semantic classes the frames use are data
(``course/data/coach/acts.yaml`` and ``lexicon.yaml``). :func:`detect` finds every act in a parsed
reply and then applies the context of each hit: quotation, negation, a negated verb of saying, the
speaker taking the case in the next breath, and each act's own ``unless``.

>>> from course.coach.text import parse
>>> [h.act for h in detect(parse("这事归物业管，您找他们去。")) if h.kind == "forbidden"]
['shirk']
>>> [h.act for h in detect(parse("您不用再去问别人，我来办。")) if h.kind == "forbidden"]
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from course._data import load_yaml
from course.coach.classifier import load
from course.coach.text import CJK, Doc

__all__ = ["KINDS", "Act", "Hit", "acts", "detect", "expand", "lexicon"]

KINDS = ("forbidden", "emotion", "care", "core", "signal")
_GAP = {"~~": r"[^。！？；\n]{0,12}?", "~p": r"[^，、。！？；\n不没别甭莫]{0,6}?",
        "~": r"[^，、。！？；\n]{0,6}?"}
_CLASS = re.compile(r"\{([A-Z_]+)\}")
_MITIGATING = ("action", "follow_up", "handover")
_PREFACE = re.compile(r"(?:按照|按|根据|依据|依照|参照|对照)[^，。！？；：]{1,16}(?:的)?(?:意见|规定|文件|办法|通知|标准|要求|政策|条款|精神)[，：]")
_BESIDE_A_FRAME = 0.98  # a clause next to a frame's forbidden hit is a second finding only above
_MENTION_BEFORE = re.compile(
    r"(?:不会|绝不会|绝不|决不|不能|不该|不应该|不可以|不要|不许|别|从不|从来不|不再|禁止|避免|杜绝|"
    r"不是|而不是|不光是|不只是|拒绝|反对|不敢)(?:再)?(?:随便)?(?:跟|对|和|向|给|拿)?"
    r"(?:您|你|客户|用户|大家|人)?(?:说|讲|回|回答|用|讲什么|说什么|一句|来|推|踢|甩|搪塞|糊弄|敷衍)"
    r"[^。！？；\n]{0,4}$")
# a clause that opens by saying the staff will not say what follows ("我们不会对您说……")
_MENTION_OPENS = re.compile(
    r"^[^。！？；\n]{0,6}?(?:不会|绝不会|绝不|决不|从不|从来不|不能|不该|不再)(?:再)?"
    r"(?:跟|对|和|向|给)?(?:您|你|客户|大家)?(?:说|讲)")
_MENTION_AFTER = re.compile(r"^[”’」』\"]?(?:这种|这样的|这类|这句|之类的|一类的|那种|这些)话")


@dataclass(frozen=True)
class Act:
    """One speech act with its compiled frames and context options."""

    id: str
    kind: str
    name: str
    seeds: str
    message: str
    suggestion: str
    example: str
    pattern: re.Pattern[str]
    negatable: bool
    mentioned: bool
    mitigated: bool
    unless: re.Pattern[str] | None
    unless_scope: str  # sentence (this and the one before), clause (likewise) or hit


@dataclass(frozen=True)
class Hit:
    """An act found at ``span`` (into the normalised text) in sentence ``sentence``."""

    act: str
    kind: str
    span: tuple[int, int]
    sentence: int
    evidence: tuple[str, ...] = ()  # set when the learned model, not a frame, found the act


@cache
def lexicon() -> dict[str, str]:
    """Semantic classes as regular-expression alternations, classes used inside expanded."""
    raw: dict[str, list[str]] = load_yaml("coach/lexicon.yaml")["classes"]
    done: dict[str, str] = {}

    def build(name: str, seen: tuple[str, ...] = ()) -> str:
        if name in done:
            return done[name]
        if name not in raw or name in seen:
            raise KeyError(f"lexicon class {name!r} is unknown or circular")
        alts = sorted(raw[name], key=len, reverse=True)
        body = "|".join(_CLASS.sub(lambda m: f"(?:{build(m[1], (*seen, name))})", a) for a in alts)
        done[name] = body
        return body

    for name in raw:
        build(name)
    return done


def expand(frame: str) -> str:
    """A frame of acts.yaml as a plain regular expression."""
    lex = lexicon()
    out = (frame.replace("~~", "\0").replace("~p", "\1").replace("~", _GAP["~"])
           .replace("\0", _GAP["~~"]).replace("\1", _GAP["~p"]))
    return _CLASS.sub(lambda m: f"(?:{lex[m[1]]})", out)


@cache
def acts() -> dict[str, Act]:
    """All speech acts, keyed by id, in file order."""
    data: dict[str, Any] = load_yaml("coach/acts.yaml")["acts"]
    out: dict[str, Act] = {}
    for aid, a in data.items():
        if a["kind"] not in KINDS:
            raise ValueError(f"act {aid}: unknown kind {a['kind']!r}")
        out[aid] = Act(
            id=aid, kind=a["kind"], name=a["name"], seeds=a.get("seeds", ""),
            message=a.get("message", ""), suggestion=a.get("suggestion", ""),
            example=a.get("example", ""),
            pattern=re.compile("|".join(f"(?:{expand(f)})" for f in a["frames"])),
            negatable=bool(a.get("negatable", False)), mentioned=bool(a.get("mentioned", False)),
            mitigated=bool(a.get("mitigated", False)),
            unless=re.compile(expand(a["unless"])) if a.get("unless") else None,
            unless_scope=a.get("unless_scope", "sentence"),
        )
    return out


@cache
def _neg_before() -> re.Pattern[str]:
    return re.compile(f"(?:(?:{lexicon()['NEG_SCOPE']})[^，。！？；\n]{{0,3}}|[不没非未])$")


def _mostly_quoted(doc: Doc, a: int, b: int) -> bool:
    inside = sum(max(0, min(b, qb) - max(a, qa)) for qa, qb in doc.quotes)
    return inside * 2 >= (b - a)


def _unless_window(doc: Doc, h: Hit, scope: str) -> tuple[int, int]:
    if scope == "hit":
        return h.span
    if scope == "clause":
        k = doc.clauses.index(doc.clause_at(h.span[0])) if doc.clause_at(h.span[0]) in \
            doc.clauses else 0
        return doc.clauses[max(0, k - 1)][0], doc.clauses[k][1]
    s_lo, s_hi = doc.sentences[h.sentence]
    return (doc.sentences[h.sentence - 1][0] if h.sentence else s_lo), s_hi


def _raw_hits(doc: Doc) -> list[Hit]:
    hits: list[Hit] = []
    for act in acts().values():
        for k, (a, b) in enumerate(doc.sentences):
            for m in act.pattern.finditer(doc.text, a, b):
                if m.end() > m.start():
                    hits.append(Hit(act.id, act.kind, m.span(), k))
    return hits


def _cancelled(h: Hit, act: Act, doc: Doc,
               mitigators: dict[int, list[tuple[int, int]]]) -> bool:
    a, b = h.span
    if doc.quoted(a, b) or (act.kind == "forbidden" and _mostly_quoted(doc, a, b)):
        return True
    if act.kind != "forbidden":
        return False
    c_lo, _ = doc.clause_at(a)
    s_lo, s_hi = doc.sentences[h.sentence]
    if act.negatable and _neg_before().search(doc.text, c_lo, a):
        return True
    if act.mentioned and (_MENTION_BEFORE.search(doc.text[s_lo:a])
                          or _MENTION_AFTER.search(doc.text[b:s_hi])):
        return True
    if act.unless is not None and act.unless.search(doc.text, *_unless_window(doc, h, act.unless_scope)):
        return True
    if act.mitigated:
        nearby = mitigators.get(h.sentence, []) + mitigators.get(h.sentence + 1, [])
        if any(mb <= a or ma >= b for ma, mb in nearby):  # the speaker takes the case
            return True
    return False


def _does_good(doc: Doc, clause: tuple[int, int], hits: list[Hit]) -> bool:
    """A first- or third-layer act (apology, reassurance, thanks …) spans most of the clause."""
    size = len(CJK.findall(doc.text[clause[0]:clause[1]])) or 1
    for h in hits:
        if h.kind in ("emotion", "care"):
            a, b = max(h.span[0], clause[0]), min(h.span[1], clause[1])
            if b > a and 2 * len(CJK.findall(doc.text[a:b])) >= size:
                return True
    return False


def _model_hits(doc: Doc, hits: list[Hit], skip: list[tuple[int, int]]) -> list[Hit]:
    """Clauses the learned model finds forbidden where no frame found anything forbidden.

    The act the model names brings its ``unless`` context along, as a frame's hit would.
    """
    model = load()
    covered = [h.span for h in hits if h.kind == "forbidden"]
    out: list[Hit] = []
    for k_clause, c in enumerate(doc.clauses):
        if any(a < c[1] and c[0] < b for a, b in covered + skip) or _mostly_quoted(doc, *c):
            continue
        if _does_good(doc, c, hits):
            continue  # the clause already apologises, reassures or thanks: that is what it does
        if _PREFACE.match(doc.text, c[0], c[1]) and k_clause + 1 < len(doc.clauses):
            continue  # "按国家的指导意见，…": a phrase that frames the next clause does nothing alone
        if model.probability(doc, c) < model.threshold:
            continue
        k = doc.sentence_of(c[0])
        if (_MENTION_BEFORE.search(doc.text[doc.sentences[k][0]:c[0]])
                or _MENTION_OPENS.match(doc.text[c[0]:c[1]])):
            continue
        hit = Hit(model.act(doc, c), "forbidden", c, k, model.evidence(doc, c))
        near = [doc.clauses[j] for j in (k_clause - 1, k_clause + 1) if 0 <= j < len(doc.clauses)]
        beside = [h for h in hits if h.kind == "forbidden" and h.sentence == k
                  and any(h.span[0] < nb and na < h.span[1] for na, nb in near)]
        if any(h.act == hit.act for h in beside) or (
                beside and model.probability(doc, c) < _BESIDE_A_FRAME):
            continue  # the frame's finding next to it already covers this passage
        act = acts()[hit.act]
        if act.unless is None or not act.unless.search(
                doc.text, *_unless_window(doc, hit, act.unless_scope)):
            out.append(hit)
    return out


def _vetoed(doc: Doc, h: Hit) -> bool:
    """The learned model judges every clause of a frame's forbidden hit clearly harmless."""
    model = load()
    spans = [c for c in doc.clauses if c[0] < h.span[1] and h.span[0] < c[1]]
    return bool(spans) and all(model.probability(doc, c) < model.veto for c in spans)


def detect(doc: Doc, use_model: bool = True,
           skip: list[tuple[int, int]] | None = None) -> list[Hit]:
    """Every act performed in ``doc`` (context applied), in text order.

    With ``use_model`` the learned model (:mod:`course.coach.classifier`) adds forbidden acts in
    clauses no frame flagged, and sets aside a frame's forbidden hit on clauses it judges clearly
    harmless (the frame matched the words, the clause does something else); clauses overlapping
    ``skip`` (e.g. keyword salad) are left alone.
    """
    table = acts()
    raw = _raw_hits(doc)
    mitigators: dict[int, list[tuple[int, int]]] = {}
    for h in raw:
        if h.act in _MITIGATING and not doc.quoted(*h.span):
            mitigators.setdefault(h.sentence, []).append(h.span)
    kept = [h for h in raw if not _cancelled(h, table[h.act], doc, mitigators)]
    if use_model:
        kept = [h for h in kept if h.kind != "forbidden" or not _vetoed(doc, h)]
        kept += _model_hits(doc, kept, skip or [])
    kept.sort(key=lambda h: (h.span[0], -h.span[1]))
    return kept
