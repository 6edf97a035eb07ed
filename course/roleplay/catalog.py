"""Data layer of the role-play engine: scenarios, transition rules, strategies, escalation levels.

Everything here is read from ``course/data/scenarios/*.yaml`` and ``course/data/strategies.yaml``
and checked once on load, so a broken data edit fails with a Chinese message naming the file and
the field instead of misbehaving in a conversation. Used by the rest of :mod:`course.roleplay`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from html import escape
from typing import TYPE_CHECKING, Any

from course._data import list_yaml, load_yaml

if TYPE_CHECKING:
    from course.legal import Entry

__all__ = [
    "OUTCOMES",
    "Beat",
    "EndingSpec",
    "Level",
    "Option",
    "RoleplayError",
    "Rules",
    "SafetyStep",
    "Scenario",
    "SignalEffect",
    "Strategy",
    "escalation_levels",
    "escalation_strategies",
    "legal_refs",
    "load_scenario",
    "rules",
    "safety_never",
    "safety_protocol",
    "scenario_ids",
    "strategies",
]

#: Chinese names of the ways a conversation can end.
OUTCOMES = {"resolved": "现场化解", "handed_over": "移交主管", "escalated": "升级"}
ENDING_KINDS = ("success", "explode", "timeout")


class RoleplayError(ValueError):
    """Bad input to the role-play engine (the message is Chinese and names the field)."""


@dataclass(frozen=True)
class SignalEffect:
    """What one signal does to the customer's anger and trust."""

    id: str
    label: str
    anger: int
    trust: int
    helps: bool


@dataclass(frozen=True)
class Rules:
    """The shared transition rules (``course/data/scenarios/_rules.yaml``)."""

    signals: dict[str, SignalEffect]
    needs: dict[str, dict[str, Any]]
    customer_types: dict[str, dict[str, Any]]
    techniques: dict[str, tuple[str, ...]]
    acts: dict[str, tuple[str, ...]]
    next_step: tuple[str, ...]
    repeat_similarity: float
    level_by_anger: tuple[tuple[int, int], ...]
    explode_at: int
    blocking: frozenset[str]
    reaction_priority: tuple[str, ...]
    default_reactions: dict[str, tuple[str, ...]]
    unsatisfied: tuple[str, ...]
    anger_limits: tuple[int, int]
    trust_limits: tuple[int, int]
    stall_anger_drop: int
    stall_trust_gain: int
    overrides: dict[str, tuple[str, ...]]

    def level_for(self, anger: int) -> int:
        """Escalation level that an anger value reaches on its own."""
        level = 1
        for min_anger, lv in self.level_by_anger:
            if anger >= min_anger:
                level = lv
        return level


@dataclass(frozen=True)
class Option:
    """A scripted reply the learner can choose, with the signals it sends."""

    text: str
    signals: tuple[str, ...]
    why: str
    strategies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Beat:
    """One step of a scenario: the customer's line, what moves it on, the scripted options."""

    id: str
    customer: tuple[str, ...]
    goal: tuple[str, ...]
    pushback: tuple[str, ...]
    options: tuple[Option, ...]


@dataclass(frozen=True)
class EndingSpec:
    """How a scenario ends in one of its endings (success, hand-over, explode, timeout)."""

    kind: str
    outcome: str
    to: str
    line: str
    explanation: str
    good: bool


@dataclass(frozen=True)
class Scenario:
    """A complaint scenario: the customer, the steps, the endings (see the YAML files)."""

    id: str
    title: str
    case: int  # seed 000 第三章 四's hard case (1–8), 0 for the other complaints
    case_text: str
    source: str
    job: str  # who meets this customer: 营业厅营业员, 热线客服 or 抄表员
    channel: str  # 当面, 电话 or 上门
    customer_name: str
    customer_type: str
    profile: str
    need: str
    compensation_type: bool
    initial_anger: int
    initial_trust: int
    initial_level: int
    turn_limit: int
    max_anger: int
    min_trust: int
    safety_protocol: bool
    strategies: tuple[str, ...]
    beats: tuple[Beat, ...]
    handover_from_level: int
    endings: dict[str, EndingSpec]
    reactions: dict[str, tuple[str, ...]]
    legal: tuple[str, ...] = ()  # entry ids of the legal card that the debrief shows

    @property
    def compensation_label(self) -> str:
        """补偿型 or 非补偿型 (seed 000 第三章 一 / 第二章 七)."""
        return "补偿型" if self.compensation_type else "非补偿型"

    def __str__(self) -> str:
        return (f"【{self.title}】客户：{self.customer_name}（{self.customer_type}，"
                f"{self.compensation_label}，深层需要：{self.need}）")

    def _repr_html_(self) -> str:
        return (f"<p><b>{escape(self.title)}</b><br>客户：{escape(self.customer_name)}"
                f"（{escape(self.profile)}）<br>类型：{escape(self.customer_type)}；"
                f"{self.compensation_label}；深层需要：{escape(self.need)}；"
                f"起始级别：第{self.initial_level}级</p>")


@dataclass(frozen=True)
class Strategy:
    """One of the 22 strategies (or of the five escalation strategies) with its boundary."""

    id: str
    number: int
    name: str
    what: str
    when: str
    example: str
    boundary: str
    legal_refs: tuple[str, ...] = ()  # entry ids of the legal card (course/data/legal.yaml)

    @property
    def legal_entries(self) -> tuple[Entry, ...]:
        """The legal card's entries this strategy rests on."""
        from course import legal

        return tuple(legal.entry(i) for i in self.legal_refs)

    @property
    def legal(self) -> str:
        """The laws and articles from the legal card, short ("" when the strategy names none)."""
        return "；".join(f"{e.cite()}（{e.topic}）" for e in self.legal_entries)

    def __str__(self) -> str:
        head = f"{self.number}. {self.name}" if self.number else self.name
        lines = [head, f"  是什么：{self.what}"]
        if self.when:
            lines.append(f"  适用场合：{self.when}")
        if self.example:
            lines.append(f"  示范话术：{self.example}")
        lines.append(f"  边界：{self.boundary}")
        if self.legal:
            lines.append(f"  法律依据（一般性说明）：{self.legal}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = [("是什么", self.what), ("适用场合", self.when), ("示范话术", self.example),
                ("边界", self.boundary)]
        rows += [("法律依据", f"{e.cite()}：{e.gist} 可以这样说：{e.may_say[0]}")
                 for e in self.legal_entries]
        body = "".join(f"<tr><th style='text-align:left'>{k}</th><td style='text-align:left'>"
                       f"{escape(v)}</td></tr>" for k, v in rows if v)
        head = f"{self.number}. {self.name}" if self.number else self.name
        return f"<p><b>{escape(head)}</b></p><table>{body}</table>"


@dataclass(frozen=True)
class Level:
    """A complaint-handling level (seed 000 第二章 九); level 4 is the course's interpolation."""

    level: int
    name: str
    focus: str
    response: str
    interpolated: bool

    def __str__(self) -> str:
        return f"{self.name}：{self.focus}——{self.response}"


# --------------------------------------------------------------------------- loading


def _need(d: dict, key: str, where: str) -> Any:
    if key not in d or d[key] is None:
        raise RoleplayError(f"数据文件 {where} 缺少字段 {key}。")
    return d[key]


def _strs(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def legal_refs(value: Any, where: str) -> tuple[str, ...]:
    """Entry ids of the legal card named by a ``legal`` field, each checked to exist."""
    from course import legal

    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RoleplayError(f"{where} 的 legal 应该是法律依据卡（legal.yaml）条目编号的列表，"
                            f"例如 [arrears_suspension]；收到的是 {value!r}。")
    known = legal.ids()
    for ref in value:
        if ref not in known:
            raise RoleplayError(f"{where} 的 legal 用到了法律依据卡里没有的条目 {ref}；"
                                f"可用的条目：{'、'.join(known)}。")
    return tuple(value)


@cache
def rules() -> Rules:
    """The shared transition rules, loaded and checked once."""
    raw = load_yaml("scenarios/_rules.yaml")
    where = "scenarios/_rules.yaml"
    signals = {
        sid: SignalEffect(sid, str(s["label"]), int(s["anger"]), int(s["trust"]), bool(s["helps"]))
        for sid, s in _need(raw, "signals", where).items()
    }

    def check(ids: tuple[str, ...], field: str) -> tuple[str, ...]:
        for sid in ids:
            if sid not in signals:
                raise RoleplayError(f"数据文件 {where} 的 {field} 用到了未定义的信号 {sid}。")
        return ids

    techniques = {k: check(_strs(v), f"techniques.{k}") for k, v in raw["techniques"].items()}
    acts = {k: check(_strs(v), f"acts.{k}") for k, v in raw["acts"].items()}
    for name, need in raw["needs"].items():
        check(_strs(need["met_by"]), f"needs.{name}.met_by")
    bands = tuple(sorted((int(b["min_anger"]), int(b["level"])) for b in raw["level_by_anger"]))
    return Rules(
        signals=signals,
        needs=dict(raw["needs"]),
        customer_types=dict(raw["customer_types"]),
        techniques=techniques,
        acts=acts,
        next_step=check(_strs(raw["next_step"]), "next_step"),
        repeat_similarity=float(raw["repeat_similarity"]),
        level_by_anger=bands,
        explode_at=int(raw["explode_at"]),
        blocking=frozenset(check(_strs(raw["blocking"]), "blocking")),
        reaction_priority=check(_strs(raw["reaction_priority"]), "reaction_priority"),
        default_reactions={k: _strs(v) for k, v in raw["default_reactions"].items()},
        unsatisfied=_strs(raw["unsatisfied"]),
        anger_limits=tuple(raw["limits"]["anger"]),
        trust_limits=tuple(raw["limits"]["trust"]),
        stall_anger_drop=int(raw["stall"]["max_anger_drop"]),
        stall_trust_gain=int(raw["stall"]["max_trust_gain"]),
        overrides={check((k,), "overrides")[0]: check(_strs(v), f"overrides.{k}")
                   for k, v in (raw.get("overrides") or {}).items()},
    )


def scenario_ids() -> list[str]:
    """Ids of the scenarios shipped in ``course/data/scenarios/``: seed 000's hard cases by
    number, then the other complaints by job."""
    ids = list_yaml("scenarios")
    order = list(JOBS)

    def key(sid: str) -> tuple:
        s = load_scenario(sid)
        return (s.case == 0, s.case, order.index(s.job), sid)

    return sorted(ids, key=key)


def _fill(value: Any, profile: Any) -> Any:
    if isinstance(value, str):
        return profile.fill(value)
    if isinstance(value, dict):
        return {k: _fill(v, profile) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, profile) for v in value]
    return value


def load_scenario(scenario_id: str) -> Scenario:
    """Load and check one scenario file, its ``{本地.…}`` facts filled from the local profile."""
    from course import local

    return _load_scenario(scenario_id, local.current().key)


@cache
def _load_scenario(scenario_id: str, profile_key: str) -> Scenario:
    from course.local import Profile

    where = f"scenarios/{scenario_id}.yaml"
    raw = _fill(load_yaml(where), Profile(json.loads(profile_key)))
    rs = rules()
    known_strategies = {s.id for s in strategies()}

    def sig(ids: tuple[str, ...], field: str) -> tuple[str, ...]:
        for sid in ids:
            if sid not in rs.signals:
                allowed = "、".join(rs.signals)
                raise RoleplayError(f"数据文件 {where} 的 {field} 用到了未定义的信号 {sid}；"
                                    f"可用的信号：{allowed}。")
        return ids

    def strat(ids: tuple[str, ...], field: str) -> tuple[str, ...]:
        for sid in ids:
            if sid not in known_strategies:
                raise RoleplayError(f"数据文件 {where} 的 {field} 用到了未知的策略 {sid}。")
        return ids

    beats = []
    for b in _need(raw, "beats", where):
        bid = str(_need(b, "id", where))
        options = tuple(
            Option(text=str(o["text"]), signals=sig(_strs(o["signals"]), f"beats.{bid}.options"),
                   why=str(o.get("why", "")),
                   strategies=strat(_strs(o.get("strategies")), f"beats.{bid}.options"))
            for o in _need(b, "options", where)
        )
        goal = sig(_strs(_need(b, "goal", where)), f"beats.{bid}.goal")
        if not any(set(o.signals) & set(goal) and not set(o.signals) & rs.blocking
                   for o in options):
            raise RoleplayError(f"数据文件 {where} 的步骤 {bid} 没有一个能完成目标的选项。")
        beats.append(Beat(id=bid, customer=_strs(b["customer"]), goal=goal,
                          pushback=_strs(_need(b, "pushback", where)), options=options))
    customer = _need(raw, "customer", where)
    ctype = str(_need(customer, "type", where))
    if ctype not in rs.customer_types:
        raise RoleplayError(f"数据文件 {where} 的 customer.type 只能是："
                            f"{'、'.join(rs.customer_types)}；收到的是 {ctype}。")
    need = str(_need(customer, "need", where))
    if need not in rs.needs:
        raise RoleplayError(f"数据文件 {where} 的 customer.need 只能是："
                            f"{'、'.join(rs.needs)}；收到的是 {need}。")
    endings: dict[str, EndingSpec] = {}
    for kind in ENDING_KINDS:
        e = _need(_need(raw, "endings", where), kind, where)
        endings[kind] = _ending(kind, e, where, good=(kind == "success"))
    ho = _need(raw, "handover", where)
    endings["handover"] = _ending("handover", ho, where, good=True)
    resolve = _need(raw, "resolve", where)
    initial = _need(raw, "initial", where)
    job, channel = _job_and_channel(raw, where)
    return Scenario(
        id=str(raw["id"]), title=str(raw["title"]), case=int(raw.get("case") or 0),
        case_text=str(raw["case_text"]), source=str(raw["source"]),
        job=job, channel=channel,
        customer_name=str(customer["name"]), customer_type=ctype,
        profile=str(customer.get("profile", "")), need=need,
        compensation_type=bool(customer["compensation_type"]),
        initial_anger=int(initial["anger"]), initial_trust=int(initial["trust"]),
        initial_level=int(_need(raw, "level", where)), turn_limit=int(raw["turn_limit"]),
        max_anger=int(resolve["max_anger"]), min_trust=int(resolve["min_trust"]),
        safety_protocol=bool(raw.get("safety_protocol", False)),
        strategies=strat(_strs(raw.get("strategies")), "strategies"),
        beats=tuple(beats), handover_from_level=int(ho["from_level"]), endings=endings,
        reactions={sig((k,), "reactions")[0]: _strs(v)
                   for k, v in (raw.get("reactions") or {}).items()},
        legal=legal_refs(raw.get("legal"), f"数据文件 {where}"),
    )


JOBS = {"营业厅营业员": "当面", "热线客服": "电话", "抄表员": "上门"}
CHANNELS = ("当面", "电话", "上门")


def _job_and_channel(raw: dict, where: str) -> tuple[str, str]:
    """The scenario's job (default 营业厅营业员) and channel (default: the job's usual one)."""
    job = str(raw.get("job") or "营业厅营业员")
    if job not in JOBS:
        raise RoleplayError(f"数据文件 {where} 的 job 只能是：{'、'.join(JOBS)}；收到的是 {job}。")
    channel = str(raw.get("channel") or JOBS[job])
    if channel not in CHANNELS:
        raise RoleplayError(f"数据文件 {where} 的 channel 只能是：{'、'.join(CHANNELS)}；"
                            f"收到的是 {channel}。")
    return job, channel


def _ending(kind: str, e: dict, where: str, good: bool) -> EndingSpec:
    outcome = str(_need(e, "outcome", where))
    if outcome not in OUTCOMES:
        raise RoleplayError(f"数据文件 {where} 的 endings.{kind}.outcome 只能是："
                            f"{'、'.join(OUTCOMES)}；收到的是 {outcome}。")
    return EndingSpec(kind=kind, outcome=outcome, to=str(e.get("to") or ""),
                      line=str(_need(e, "line", where)),
                      explanation=str(_need(e, "explanation", where)), good=good)


@cache
def strategies() -> tuple[Strategy, ...]:
    """The 22 strategies of seed 000 第三章 二, in order."""
    raw = load_yaml("strategies.yaml")
    return tuple(
        Strategy(id=s["id"], number=int(s["number"]), name=s["name"], what=s["what"],
                 when=s["when"], example=s["example"], boundary=s["boundary"],
                 legal_refs=legal_refs(s.get("legal"), f"strategies.yaml 的策略 {s['id']}"))
        for s in raw["strategies"]
    )


@cache
def escalation_strategies() -> tuple[Strategy, ...]:
    """The five approaches to escalated and hard complaints (seed 000 第三章 三)."""
    raw = load_yaml("strategies.yaml")
    return tuple(
        Strategy(id=s["id"], number=0, name=s["name"], what=s["what"], when="", example="",
                 boundary=s["boundary"],
                 legal_refs=legal_refs(s.get("legal"), f"strategies.yaml 的思路 {s['id']}"))
        for s in raw["escalation_strategies"]
    )


@dataclass(frozen=True)
class SafetyStep:
    """One step of the safety protocol for threats and obstruction, in order."""

    id: str
    name: str
    detail: str

    def __str__(self) -> str:
        return f"{self.name}：{self.detail}"


@cache
def safety_protocol() -> tuple[SafetyStep, ...]:
    """The safety protocol's steps in the order they are taken."""
    raw = load_yaml("scenarios/_safety.yaml")
    return tuple(SafetyStep(x["id"], x["name"], x["detail"]) for x in raw["steps"])


@cache
def safety_never() -> tuple[str, ...]:
    """What staff never do when threatened (the protocol's limits)."""
    return tuple(load_yaml("scenarios/_safety.yaml")["never"])


@cache
def escalation_levels() -> tuple[Level, ...]:
    """The complaint-handling levels; level 4 is marked as the course's interpolation."""
    raw = load_yaml("scenarios/_levels.yaml")
    return tuple(Level(int(x["level"]), x["name"], x["focus"], x["response"],
                       bool(x["interpolated"])) for x in raw["levels"])
