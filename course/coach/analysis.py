"""The reply coach's analysis: a deterministic, explainable review of a drafted Chinese reply to a complaint.

``review(text)`` finds forbidden phrases and language landmines (with spans, the rule broken and a
suggested rewrite), checks the three-layer order (积极情感 → 核心问题 → 积极情感, the 三明治法则),
recognises techniques from the seeds, runs the checks a trainer expects (apology without action,
no next step, no time, no name, cold tone …) and scores the reply 0–100 with the rubric in
``course/data/coach/rubric.yaml``. All rules are data in ``course/data/coach/``.

>>> r = review("非常理解您的心情。我们今天下午三点前派师傅上门验表。祝您生活愉快！")
>>> r.sandwich, len(r.forbidden)
(True, 0)
>>> review("公司的规定就是这样的，你爱交不交。").forbidden[0].rule
'jinyu_guiding'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from course.coach.model import CoachError, Finding, Review, Sentence
from course.coach.rules import ForbiddenRule, Rules, Scenario, Technique, rules, scenarios

__all__ = [
    "get_scenario",
    "list_forbidden_rules",
    "list_scenarios",
    "list_techniques",
    "review",
    "rubric",
]

_POSITIVE = ("emotion", "care")
_SENTENCE_END = "。！？!?；;\n…"
_CLAUSE_END = "，,"
_CJK = re.compile(r"[\u4e00-\u9fff]")


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


def rubric() -> tuple[tuple[str, int], ...]:
    """The scoring rubric as (Chinese criterion, points): positive points add, negative subtract."""
    rs = rules()
    return tuple((c["name"], c["points"]) for c in rs.criteria.values()) + tuple(
        (f"扣分：{p['name']}", -p["points"]) for p in rs.penalties.values())


def list_forbidden_rules() -> tuple[ForbiddenRule, ...]:
    """The forbidden-phrase rules (id, Chinese name, category, source, example, message …)."""
    return rules().forbidden


# --------------------------------------------------------------------------- text structure


def _split(text: str, rs: Rules) -> tuple[list[tuple[int, int]], list[tuple[int, int]],
                                          list[tuple[int, int]]]:
    """Sentence spans, clause spans and quoted regions, aware of quotation marks."""
    openers = {o: c for o, c in rs.quotes}
    sentences: list[tuple[int, int]] = []
    clauses: list[tuple[int, int]] = []
    quoted: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    s_start = c_start = 0
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if stack and ch == stack[-1][0]:
            quoted.append((stack[-1][1], i))
            stack.pop()
        elif ch in openers and not (openers[ch] == ch and stack and stack[-1][0] == ch):
            stack.append((openers[ch], i + 1))
        elif not stack and (ch in _SENTENCE_END or ch in _CLAUSE_END):
            j = i + 1
            while j < n and (text[j] in _SENTENCE_END or text[j] in "”’」』\"'"):
                j += 1
            if ch in _CLAUSE_END:
                clauses.append((c_start, j))
                c_start = j
            else:
                clauses.append((c_start, j))
                sentences.append((s_start, j))
                s_start = c_start = j
            i = j
            continue
        i += 1
    if s_start < n:
        sentences.append((s_start, n))
    if c_start < n:
        clauses.append((c_start, n))
    while stack:  # unclosed quote: treat up to the end as quoted
        quoted.append((stack.pop()[1], n))
    keep = [(a, b) for a, b in clauses if text[a:b].strip(" \t\r\n，,。！？!?；;…")]
    return sentences, keep, quoted


def _roles(clause: str, kind: str, rs: Rules) -> tuple[str, ...]:
    for kid, _name, _pat, roles in rs.kinds:
        if kid == kind:
            return tuple(role for role, pat in roles if pat.search(clause))
    return ()


def _kind(clause: str, rs: Rules) -> str:
    counts = {kid: sum(1 for _ in pat.finditer(clause)) for kid, _name, pat, _roles in rs.kinds}
    emotion, care, core = counts.get("emotion", 0), counts.get("care", 0), counts.get("core", 0)
    if care and care >= emotion:
        return "care"
    if emotion:
        return "emotion"
    if core and not (rs.contact.search(clause) and not rs.time.search(clause)):
        return "core"  # a signature (name, staff number, phone) does not change the order
    return "neutral"


def _blank(text: str, regions: list[tuple[int, int]], lo: int, hi: int) -> str:
    chars = list(text[lo:hi])
    for a, b in regions:
        for k in range(max(a, lo), min(b, hi)):
            chars[k - lo] = " "
    return "".join(chars)


def _containing(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for a, b in spans:
        if a <= pos < b:
            return a, b
    return 0, 0


# --------------------------------------------------------------------------- checks


def _forbidden(text: str, rs: Rules, sentences, clauses, quoted) -> list[Finding]:
    hits: list[Finding] = []
    for rule in rs.forbidden:
        for m in rule.pattern.finditer(text):
            a, b = m.span()
            if a == b:
                continue
            in_quote = next(((qa, qb) for qa, qb in quoted if qa <= a and b <= qb), None)
            s_lo, s_hi = _containing(sentences, a)
            if in_quote is not None:
                rest = _blank(text, [in_quote], s_lo, s_hi)
                if rs.quoted_rejection.search(rest):
                    continue
            c_lo, _ = _containing(clauses, a)
            if rs.preceding_rejection.search(text[c_lo:a]):
                continue
            hits.append(Finding(
                level="bad", rule=rule.id, name=rule.name, message=rule.message,
                suggestion=rule.suggestion, span=(a, b), excerpt=text[a:b],
            ))
    hits.sort(key=lambda f: (f.span[0], -f.span[1]))
    kept: list[Finding] = []
    for f in hits:  # drop a hit inside a longer one already kept
        if any(k.span[0] <= f.span[0] and f.span[1] <= k.span[1] for k in kept):
            continue
        kept.append(f)
    return kept


def _layers(text: str, rs: Rules, clauses) -> tuple[list[Sentence], bool, dict[str, bool]]:
    kinds = [_kind(text[a:b], rs) for a, b in clauses]
    idx = [k for k, kind in enumerate(kinds) if kind != "neutral"]
    cores = [k for k in idx if kinds[k] == "core"]
    first_core = cores[0] if cores else None
    last_core = cores[-1] if cores else None
    sentences = []
    for k, ((a, b), kind) in enumerate(zip(clauses, kinds, strict=True)):
        if first_core is None:
            layer = 0
        elif k < first_core:
            layer = 1
        elif k > last_core:
            layer = 3
        else:
            layer = 2
        sentences.append(Sentence(span=(a, b), text=text[a:b], kind=kind, layer=layer,
                                  roles=_roles(text[a:b], kind, rs)))
    opens = bool(idx) and kinds[idx[0]] in _POSITIVE
    has_core = bool(cores)
    closes = has_core and kinds[idx[-1]] in _POSITIVE
    parts = {"opens_positive": opens, "has_core": has_core, "closes_positive": closes}
    return sentences, opens and has_core and closes, parts


def _techniques(text: str, rs: Rules) -> tuple[str, ...]:
    return tuple(t.name for t in rs.techniques if t.pattern is not None and t.pattern.search(text))


def _finding(rs: Rules, rule: str, **fmt: object) -> Finding:
    """A coach finding from ``checks.yaml`` (``{placeholders}`` filled from ``fmt``)."""
    d = rs.messages[rule]
    return Finding(level=d["level"], rule=rule, name=d["name"].format(**fmt),
                   message=d["message"].format(**fmt),
                   suggestion=d.get("suggestion", "").format(**fmt))


def _empty_review(text: str, finding: Finding) -> Review:
    return Review(text=text, score=0, forbidden=(), sandwich=False, techniques=(),
                  findings=(finding,), breakdown=(("无法评分", 0, 100),))


@dataclass(frozen=True)
class _Facts:
    """What the checks found in one reply (input of the findings and of the score)."""

    forbidden: tuple[Finding, ...]
    sentences: tuple[Sentence, ...]
    sandwich: bool
    opens_positive: bool
    has_core: bool
    closes_positive: bool
    techniques: tuple[str, ...]
    n_apology: int
    has_action: bool
    has_time: bool
    has_contact: bool
    plain_you: bool
    polite_you: bool
    n_positive: int
    over_explanation: bool
    addresses_core: bool | None


def _facts(body: str, rs: Rules, scen: Scenario | None) -> _Facts:
    sentence_spans, clauses, quoted = _split(body, rs)
    forbidden = _forbidden(body, rs, sentence_spans, clauses, quoted)
    sentences, sandwich, parts = _layers(body, rs, clauses)
    outside = _blank(body, quoted, 0, len(body))  # quoted words are not the speaker's own
    limits = rs.limits
    n_explain = sum(1 for s in sentences if rs.explanation.search(s.text))
    return _Facts(
        forbidden=tuple(forbidden),
        sentences=tuple(sentences),
        sandwich=sandwich,
        techniques=_techniques(body, rs),
        n_apology=len(rs.apology.findall(outside)),
        has_action=bool(rs.action.search(outside)),
        has_time=bool(rs.time.search(outside)),
        has_contact=bool(rs.contact.search(outside)),
        plain_you=bool(rs.second_person_plain.search(outside)),
        polite_you="您" in outside,
        n_positive=sum(1 for s in sentences if s.kind in _POSITIVE),
        over_explanation=n_explain >= limits["over_explanation_clauses"] or (
            len(body) > limits["over_explanation_chars"] and n_explain * 2 >= len(sentences)),
        addresses_core=bool(scen.core_pattern.search(outside)) if scen is not None else None,
        **parts,
    )


def _findings(f: _Facts, rs: Rules, scen: Scenario | None) -> list[Finding]:
    out: list[Finding] = list(f.forbidden)
    add = out.append
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
    add(_finding(rs, "action" if f.has_action else "no_action"))
    if f.n_apology and not f.has_action:
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
        "no_forbidden": max(0, crit["no_forbidden"]["points"]
                            - crit["no_forbidden"]["per_hit"] * len(f.forbidden)),
        "opens_positive": pts("opens_positive", f.opens_positive),
        "has_core": pts("has_core", f.has_core),
        "closes_positive": pts("closes_positive", f.closes_positive),
        "action": pts("action", f.has_action),
        "time": pts("time", f.has_time),
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
    cap = rs.limits["too_short_cap"]
    if "too_short" in rules_found and total > cap:
        breakdown.append(("扣分：回复太短（封顶）", cap - total, 0))
        total = cap
    if total < 0:
        breakdown.append(("最低为 0 分", -total, 0))
        total = 0
    return min(100, total), tuple(breakdown)


def review(text: str, scenario: str | None = None) -> Review:
    """Review a drafted reply to a complaint; never raises for any string.

    ``scenario`` (optional) is an id from the scenario bank (:func:`list_scenarios`); when given,
    the review also checks that the reply addresses that complaint's core issue.
    Only a non-string ``text`` or an unknown ``scenario`` raises :class:`CoachError`.
    """
    if not isinstance(text, str):
        raise CoachError("回复内容必须是一段文字：写在引号里，例如 \"您好……\"。")
    scen = get_scenario(scenario) if scenario is not None else None
    rs = rules()
    if not text.strip():
        return _empty_review(text, _finding(rs, "empty"))
    cjk = len(_CJK.findall(text))
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
    facts = _facts(body, rs, scen)
    findings = extra + _findings(facts, rs, scen)
    score, breakdown = _score(facts, {f.rule for f in findings}, rs)
    return Review(
        text=text, score=score, forbidden=facts.forbidden, sandwich=facts.sandwich,
        techniques=facts.techniques, findings=tuple(findings), sentences=facts.sentences,
        breakdown=breakdown, scenario=scen.id if scen else None,
        addresses_core=facts.addresses_core,
    )
