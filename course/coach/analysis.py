"""The reply coach's analysis: what a drafted reply to a complaint does, judged by meaning.

``review(text)`` parses the reply (:mod:`~course.coach.text`), finds its speech acts
(:mod:`~course.coach.acts`: 推诿, 归咎, 质问 … and 共情, 核实, 具体行动, 关怀 …), sets aside
gaming (:mod:`~course.coach.gaming`), and from the acts decides: the forbidden language (with span,
why and a rewrite), the three-layer order (积极情感 → 核心问题 → 积极情感, the 三明治法则), a concrete
next step, whether the reply is about *this* complaint, the techniques of the seeds, and a score
0–100 by the rubric in ``course/data/coach/rubric.yaml``.

>>> r = review("大热天跑一趟，辛苦您了。我现在就帮您查这半年的读数。有事随时招呼我。")
>>> r.sandwich, r.next_step, len(r.forbidden)
(True, True, 0)
>>> review("这事归物业管，您找他们去。").forbidden[0].rule
'shirk'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from course.coach.acts import Act, Hit, acts, detect
from course.coach.gaming import Gaming, check
from course.coach.model import CoachError, Finding, Review, Sentence, SpeechAct
from course.coach.rules import Rules, Scenario, Technique, rules, scenarios
from course.coach.structure import load as load_structure
from course.coach.text import CJK, Doc, parse

__all__ = [
    "get_scenario",
    "list_forbidden_rules",
    "list_scenarios",
    "list_techniques",
    "pass_score",
    "review",
    "rubric",
]

_POSITIVE = ("emotion", "care")
_TRIM = "，、：。！？；…\n “”‘’「」『』\"'"


# --------------------------------------------------------------------------- public helpers


def list_scenarios() -> tuple[Scenario, ...]:
    """The complaint scenarios of the bank, in file order."""
    return tuple(scenarios().values())


def get_scenario(scenario_id: str) -> Scenario:
    """One scenario by id; unknown ids raise :class:`CoachError` listing the known ones."""
    bank = scenarios()
    if not isinstance(scenario_id, str) or scenario_id not in bank:
        known = "、".join(bank)
        raise CoachError(f"场景只能是以下之一：{known}；收到的是 {scenario_id!r}。")
    return bank[scenario_id]


def list_techniques() -> tuple[Technique, ...]:
    """The techniques the coach knows (the seeds' names, with cues and examples)."""
    return rules().techniques


def list_forbidden_rules() -> tuple[Act, ...]:
    """The forbidden speech acts (id, Chinese name, seeds, example, why, a better wording)."""
    return tuple(a for a in acts().values() if a.kind == "forbidden")


def rubric() -> tuple[tuple[str, int], ...]:
    """The scoring rubric as (Chinese criterion, points): positive points add, negative subtract."""
    rs = rules()
    return (tuple((c["name"], c["points"]) for c in rs.criteria.values())
            + tuple((f"扣分：{p['name']}", -p["points"]) for p in rs.penalties.values())
            + tuple((f"封顶：{c['name']}", c["max"]) for c in rs.caps.values()))


def pass_score() -> int:
    """The score a reply needs to count as acceptable (gaming and forbidden replies stay below)."""
    return rules().pass_score


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class _Facts:
    """What one reply does (input of the findings and of the score)."""

    doc: Doc
    hits: tuple[Hit, ...]
    gaming: Gaming
    forbidden: tuple[Finding, ...]
    sentences: tuple[Sentence, ...]
    opens_positive: bool
    has_core: bool
    closes_positive: bool
    next_step: bool
    has_time: bool
    has_contact: bool
    techniques: tuple[str, ...]
    n_apology: int
    plain_you: bool
    polite_you: bool
    n_positive: int
    over_explanation: bool
    addresses_core: bool | None

    @property
    def sandwich(self) -> bool:
        return self.opens_positive and self.has_core and self.closes_positive


def _clause_span(doc: Doc, span: tuple[int, int]) -> tuple[int, int]:
    """The clause around a hit, trimmed; the hit itself when the clause is long."""
    a, b = doc.clause_at(span[0])
    while a < b and doc.text[a] in _TRIM:
        a += 1
    while b > a and doc.text[b - 1] in _TRIM:
        b -= 1
    if b - a > 30 or not (a <= span[0] and span[1] <= b):
        return span
    return a, b


def _forbidden_findings(doc: Doc, hits: list[Hit]) -> tuple[Finding, ...]:
    table = acts()
    out: list[Finding] = []
    seen: set[tuple[str, tuple[int, int]]] = set()
    for h in hits:
        if h.kind != "forbidden":
            continue
        span = _clause_span(doc, h.span)
        if (h.act, span) in seen or any(
                f.rule == h.act and f.span and f.span[0] <= span[0] and span[1] <= f.span[1]
                for f in out):
            continue
        seen.add((h.act, span))
        act = table[h.act]
        why = act.message
        if h.evidence:
            said = "".join(f"“{g}”" for g in h.evidence)
            why += f"（教练从{said}这类说法判断这句话在{act.name}。）"
        out.append(Finding(level="bad", rule=act.id, name=f"禁语·{act.name}", message=why,
                           suggestion=act.suggestion, span=span,
                           excerpt=doc.said(*span)))
    out.sort(key=lambda f: f.span or (0, 0))
    return tuple(out)


def _moves(doc: Doc, hits: list[Hit]) -> list[tuple[int, str, tuple[int, int]]]:
    """(position, kind, clause) of the layer moves: a clause with care is care as a whole."""
    care_clauses = {doc.clause_at(h.span[0]) for h in hits if h.kind == "care"}
    moves = []
    for h in hits:
        if h.kind not in ("emotion", "care", "core"):
            continue
        clause = doc.clause_at(h.span[0])
        if h.kind == "core" and clause in care_clauses:
            continue
        moves.append((h.span[0], h.kind, clause))
    moves.sort()
    return moves


_IMMEDIATE = re.compile(r"现在|马上|这就|立刻|立即|当场|先|这会儿|今天|一会儿|稍后|已经|已|亲自|"
                        r"帮(?:您|你|侬)|给(?:您|你|侬)|替(?:您|你)|为(?:您|你)")


def _concrete(h: Hit, doc: Doc, timed: set[int]) -> bool:
    """A concrete next step: the customer is told exactly what to do, or the speaker (or a named
    colleague) does something now, for the customer, or at a stated time."""
    if h.act == "guide":
        return True
    if h.act == "follow_up":
        return h.sentence in timed
    if h.act == "action":
        return h.sentence in timed or bool(_IMMEDIATE.search(doc.text, *h.span))
    return False


def _frames_next_step(doc: Doc, hits: list[Hit]) -> bool:
    """The frames' verdict on a concrete next step (before the learned model weighs it)."""
    timed = {h.sentence for h in hits if h.act == "time"}
    return any(_concrete(h, doc, timed) for h in hits)


def _layers(doc: Doc, moves: list[tuple[int, str, tuple[int, int]]]) -> tuple[bool, bool, bool]:
    """(opens with positive emotion, has a core, closes with positive emotion).

    The first sentence that does anything is the opening: it opens well when it holds a positive
    move before any core move, or when it is itself positive (a restated problem inside an
    empathetic first sentence is still the opening). Likewise the last sentence is the close.
    """
    if not moves:
        return False, False, False
    core = [pos for pos, kind, _ in moves if kind == "core"]
    if not core:
        return moves[0][1] in _POSITIVE, False, False
    sentence = [doc.sentence_of(pos) for pos, _, _ in moves]
    first, last = sentence[0], sentence[-1]
    first_kinds = {k for (_, k, _), s in zip(moves, sentence, strict=True) if s == first}
    last_moves = [(p, k) for (p, k, _), s in zip(moves, sentence, strict=True) if s == last]
    opens = moves[0][1] in _POSITIVE or (bool(first_kinds & set(_POSITIVE))
                                         and len(doc.sentences) > 1 and first != last)
    closes = (any(k in _POSITIVE and p > core[-1] for p, k, _ in moves)
              or (last != first and any(k in _POSITIVE for _, k in last_moves)))
    return opens, True, closes


def _sentences(doc: Doc, hits: list[Hit], moves: list[tuple[int, str, tuple[int, int]]],
               gaming: Gaming) -> tuple[Sentence, ...]:
    table = acts()
    kinds: dict[tuple[int, int], list[str]] = {}
    for _, kind, clause in moves:
        kinds.setdefault(clause, []).append(kind)
    core_clauses = [c for c in doc.clauses if "core" in kinds.get(c, [])]
    first = core_clauses[0] if core_clauses else None
    last = core_clauses[-1] if core_clauses else None
    out = []
    for clause in doc.clauses:
        ks = kinds.get(clause, [])
        kind = ("care" if "care" in ks else "core" if "core" in ks
                else "emotion" if "emotion" in ks else "neutral")
        if gaming.covers(clause):
            kind = "neutral"
        if first is None or last is None:
            layer = 0
        elif clause < first:
            layer = 1
        elif clause > last:
            layer = 3
        else:
            layer = 2
        roles = tuple(dict.fromkeys(
            table[h.act].name for h in hits
            if clause[0] <= h.span[0] < clause[1] and h.kind in ("emotion", "care", "core")))
        out.append(Sentence(span=clause, text=doc.said(*clause), kind=kind,
                            layer=layer, roles=roles))
    return tuple(out)


def _facts(body: str, rs: Rules, scen: Scenario | None, use_model: bool = True,
           learned_structure: bool = True) -> _Facts:
    doc = parse(body)
    gaming = check(doc)
    hits = [h for h in detect(doc, use_model, list(gaming.salad)) if not gaming.covers(h.span)]
    moves = _moves(doc, hits)
    opens, has_core, closes = _layers(doc, moves)
    found = {h.act for h in hits}
    next_step = _frames_next_step(doc, hits)
    if use_model and learned_structure:  # the frames' verdicts, weighed with the words
        shape = load_structure()
        next_step = shape.next_step(doc, hits, next_step)
        opens, closes = shape.three_layers(doc, opens, has_core, closes)
    masked = list(doc.text)  # the reply with every quoted passage blanked out
    for a, b in doc.quotes:
        masked[a:b] = " " * (b - a)
    outside = "".join(masked)
    explain_clauses = {doc.clause_at(h.span[0]) for h in hits if h.act == "explain"}
    n_clauses = len(doc.clauses)
    limits = rs.limits
    addresses: bool | None = None
    if scen is not None:
        bad = [h.span for h in hits if h.kind == "forbidden"]
        core_sentences = {h.sentence for h in hits if h.kind == "core" and not any(
            doc.clause_at(h.span[0]) == doc.clause_at(a) for a, _ in bad)}
        n = len(doc.sentences)
        addresses = any(scen.core_pattern.search(doc.text, *doc.sentences[j])
                        for k in core_sentences for j in (k, k + 1) if j < n)
    return _Facts(
        doc=doc, hits=tuple(hits), gaming=gaming,
        forbidden=_forbidden_findings(doc, hits),
        sentences=_sentences(doc, hits, moves, gaming),
        opens_positive=opens, has_core=has_core, closes_positive=closes,
        next_step=next_step and not gaming.gaming,
        has_time="time" in found, has_contact="contact" in found,
        techniques=tuple(t.name for t in rs.techniques
                         if t.pattern is not None and t.pattern.search(outside)),
        n_apology=sum(1 for h in hits if h.act == "apology"),
        plain_you=bool(rs.second_person_plain.search(outside)),
        polite_you="您" in outside,
        n_positive=sum(1 for _, k, _ in moves if k in _POSITIVE),
        over_explanation=len(explain_clauses) >= limits["over_explanation_clauses"] or (
            len(body) > limits["over_explanation_chars"]
            and len(explain_clauses) * 2 >= n_clauses),
        addresses_core=None if addresses is None else addresses and not gaming.gaming,
    )


# --------------------------------------------------------------------------- findings and score


def _finding(rs: Rules, rule: str, **fmt: object) -> Finding:
    """A coach finding from ``checks.yaml`` (``{placeholders}`` filled from ``fmt``)."""
    d = rs.messages[rule]
    return Finding(level=d["level"], rule=rule, name=d["name"].format(**fmt),
                   message=d["message"].format(**fmt),
                   suggestion=d.get("suggestion", "").format(**fmt))


def _findings(f: _Facts, rs: Rules, scen: Scenario | None) -> list[Finding]:
    out: list[Finding] = list(f.forbidden)
    add = out.append
    if f.gaming.gaming:
        add(_finding(rs, "gaming", reasons="；".join(f.gaming.reasons)))
    if not f.forbidden:
        add(_finding(rs, "no_forbidden"))
    if f.sandwich:
        add(_finding(rs, "sandwich"))
    else:
        if not f.opens_positive:
            add(_finding(rs, "no_opening_emotion"))
        if not f.has_core:
            add(_finding(rs, "no_core"))
        elif not f.closes_positive:
            add(_finding(rs, "no_closing_emotion"))
    if f.n_positive == 0:
        add(_finding(rs, "ignores_feelings"))
    add(_finding(rs, "action" if f.next_step else "no_action"))
    if f.n_apology and not f.next_step:
        add(_finding(rs, "apology_without_action"))
    if f.n_apology >= rs.limits["over_apology"]:
        add(_finding(rs, "over_apology", count=f.n_apology))
    if f.over_explanation:
        add(_finding(rs, "over_explanation"))
    add(_finding(rs, "time" if f.has_time else "no_time"))
    add(_finding(rs, "contact" if f.has_contact else "no_contact"))
    if f.plain_you:
        add(_finding(rs, "plain_you"))
    if f.n_positive == 0 and not f.polite_you:
        add(_finding(rs, "cold_tone"))
    for name in f.techniques:
        add(_finding(rs, "technique", technique=name))
    if scen is not None:
        rule = "core_issue" if f.addresses_core else "core_issue_missed"
        add(_finding(rs, rule, core_issue=scen.core_issue))
    return out


def _score(f: _Facts, rules_found: set[str], rs: Rules) -> tuple[int, tuple]:
    crit = rs.criteria

    def pts(key: str, ok: bool) -> int:
        return crit[key]["points"] if ok else 0

    got = {
        "no_forbidden": pts("no_forbidden", not f.forbidden),
        "opens_positive": pts("opens_positive", f.opens_positive),
        "has_core": pts("has_core", f.has_core),
        "closes_positive": pts("closes_positive", f.closes_positive),
        "action": pts("action", f.next_step),
        "time": pts("time", f.has_time and f.next_step),
        "contact": pts("contact", f.has_contact),
        "techniques": min(crit["techniques"]["points"],
                          crit["techniques"]["per_technique"] * len(f.techniques)),
        "respectful": pts("respectful", f.polite_you and not f.plain_you),
    }
    breakdown = [(crit[k]["name"], v, crit[k]["points"]) for k, v in got.items()]
    total = sum(got.values())
    for key, p in rs.penalties.items():
        if key in rules_found:
            total -= p["points"]
            breakdown.append((f"扣分：{p['name']}", -p["points"], 0))
    for key, applies in (("forbidden", bool(f.forbidden)), ("gaming", f.gaming.gaming),
                         ("too_short", "too_short" in rules_found),
                         ("no_core", not f.has_core),
                         ("off_topic", f.addresses_core is False)):
        cap = rs.caps[key]
        if applies and total > cap["max"]:
            breakdown.append((f"封顶：{cap['name']}（最多 {cap['max']} 分）", cap["max"] - total, 0))
            total = cap["max"]
    if total < 0:
        breakdown.append(("最低为 0 分", -total, 0))
        total = 0
    return min(100, total), tuple(breakdown)


def _empty_review(text: str, finding: Finding) -> Review:
    return Review(text=text, score=0, forbidden=(), sandwich=False, techniques=(),
                  findings=(finding,), breakdown=(("无法评分", 0, 100),))


def _speech_acts(f: _Facts) -> tuple[SpeechAct, ...]:
    table = acts()
    return tuple(SpeechAct(act=h.act, kind=h.kind, name=table[h.act].name, span=h.span,
                           excerpt=f.doc.said(*h.span)) for h in f.hits)


def review(text: str, scenario: str | None = None, *, use_model: bool = True) -> Review:
    """Review a drafted reply to a complaint; never raises for any string.

    ``scenario`` (optional) is an id from the scenario bank (:func:`list_scenarios`); when given,
    the review also checks that the reply is about that complaint's core issue. ``use_model``
    False judges by the speech-act frames alone (used to train and measure the learned model).
    Only a non-string ``text`` or an unknown ``scenario`` raises :class:`CoachError`.
    """
    if not isinstance(text, str):
        raise CoachError("回复内容必须是一段文字：写在引号里，例如 \"您好……\"。")
    scen = get_scenario(scenario) if scenario is not None else None
    rs = rules()
    if not text.strip():
        return _empty_review(text, _finding(rs, "empty"))
    cjk = len(CJK.findall(text))
    if cjk == 0:
        return _empty_review(text, _finding(rs, "not_chinese"))
    limit = rs.limits["max_chars"]
    body = text[:limit]
    extra: list[Finding] = []
    if len(text) > limit:
        extra.append(_finding(rs, "too_long", length=len(text), limit=limit))
    if cjk / (len(re.sub(r"\s", "", body)) or 1) < rs.limits["min_cjk_ratio"]:
        extra.append(_finding(rs, "mostly_not_chinese"))
    if cjk < rs.limits["min_cjk"]:
        extra.append(_finding(rs, "too_short", cjk=cjk))
    facts = _facts(body, rs, scen, use_model)
    findings = extra + _findings(facts, rs, scen)
    score, breakdown = _score(facts, {f.rule for f in findings}, rs)
    return Review(
        text=text, score=score, forbidden=facts.forbidden, sandwich=facts.sandwich,
        techniques=facts.techniques, findings=tuple(findings), sentences=facts.sentences,
        breakdown=breakdown, scenario=scen.id if scen else None,
        addresses_core=facts.addresses_core, next_step=facts.next_step,
        gaming=facts.gaming.reasons, speech_acts=_speech_acts(facts),
        passed=score >= rs.pass_score and not facts.forbidden and not facts.gaming.gaming,
    )
