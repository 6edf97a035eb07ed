"""A role-play session: a multi-turn complaint conversation with a customer who has a state.

The customer has an anger and a trust value (0–100), an underlying need (发泄/尊重/补救/补偿), a
type (seed 003's five difficult customers) and an escalation level (seed 000 第二章 九; level 4 is
the course's interpolation). Each learner turn is a free-text reply, reviewed by
:func:`course.coach.review`, or a scripted option. Either way the turn becomes a set of *signals*
(``forbidden``, ``acknowledge``, ``alternative`` …); the rules in
``course/data/scenarios/_rules.yaml`` say how each signal moves the state, and the scenario file
says which signals complete each step and which line the customer says next. The only
randomness (which variant of a customer line is said, the order of the options) comes from
``seed``.

>>> s = start("refuse_to_pay")
>>> turn = s.reply("王先生，账单突然翻了一倍，换作是我也会着急。我现在就帮您核对读数。")
>>> s.state.anger < s.history[0].anger, s.state.ended
(True, False)
>>> play("refuse_to_pay", scripted_path("refuse_to_pay", "good")).state.outcome
'resolved'
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from course.coach import review
from course.roleplay.catalog import (
    EndingSpec,
    Option,
    RoleplayError,
    Rules,
    Scenario,
    Strategy,
    escalation_strategies,
    load_scenario,
    rules,
    scenario_ids,
    strategies,
)
from course.roleplay.model import (
    CUSTOMER,
    STAFF,
    CustomerTurn,
    Debrief,
    Ending,
    Line,
    Move,
    State,
)

if TYPE_CHECKING:
    from course.coach import Review

__all__ = [
    "MAX_REPLY_CHARS",
    "Session",
    "customer_types",
    "level_thresholds",
    "play",
    "scenario",
    "scenarios",
    "scripted_path",
    "signals_from_review",
    "similarity",
    "start",
    "strategy",
    "transition_rules",
]

MAX_REPLY_CHARS = 1000


# --------------------------------------------------------------------------- lookups


def scenarios() -> list[str]:
    """Ids of all scenarios, ordered by seed 000's case number."""
    return scenario_ids()


def scenario(scenario_id: str) -> Scenario:
    """One scenario's description (customer, steps, endings)."""
    known = scenario_ids()
    if not isinstance(scenario_id, str) or scenario_id not in known:
        raise RoleplayError(
            f"场景编号只能是以下之一：{'、'.join(known)}；收到的是 {scenario_id!r}。")
    return load_scenario(scenario_id)


def strategy(key: str | int) -> Strategy:
    """A strategy by id (``alternative``), Chinese name (``替代方案策略``) or number (1–22)."""
    for s in strategies() + escalation_strategies():
        if key in (s.id, s.name) or (isinstance(key, int) and not isinstance(key, bool)
                                      and s.number and key == s.number):
            return s
    names = "、".join(s.name for s in strategies())
    raise RoleplayError(
        f"策略可以是编号 1–22、英文编号或中文名称（{names}）；收到的是 {key!r}。")


def customer_types() -> dict[str, tuple[str, str]]:
    """Seed 003's five difficult customer types: name → (trait, how to respond)."""
    return {name: (str(t["trait"]), str(t["advice"]))
            for name, t in rules().customer_types.items()}


def transition_rules() -> Rules:
    """The shared transition rules (signal effects, need bonuses, stall limits …), read-only."""
    return rules()


def level_thresholds() -> tuple[tuple[int, int], ...]:
    """(minimum anger, level) pairs: the level a customer reaches at each anger value."""
    return rules().level_by_anger


def signals_from_review(review: Review, text: str = "") -> tuple[str, ...]:
    """The transition triggers of a free-text reply: the ONE mapping from coach output to signals.

    Each speech act the coach finds sends the signals ``_rules.yaml`` lists for it; a concrete next
    step sends ``alternative``; the three-layer order sends ``sandwich``; the seeds' techniques
    send theirs. A reply with no warmth and no substance at all is ``cold``. ``overrides`` then
    drop what a safety emergency makes irrelevant. (``text`` is kept for callers; the review
    already holds it.)
    """
    rs = rules()
    found: set[str] = set()
    acts = review.acts
    for act in acts:
        found.update(rs.acts.get(act, ()))
    if review.forbidden:
        found.add("forbidden")
    if review.next_step:
        found.update(rs.next_step)
    if review.sandwich:
        found.add("sandwich")
    for name in review.techniques:
        found.update(rs.techniques.get(name, ()))
    kinds = {a.kind for a in review.speech_acts}
    if not kinds & {"emotion", "care", "core"} and not review.next_step:
        found.add("cold")
    for signal, dropped in rs.overrides.items():
        if signal in found:
            found.difference_update(dropped)
    return tuple(s for s in rs.signals if s in found)


def _pieces(text: str) -> set[str]:
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    return {a + b for a, b in itertools.pairwise(chars)}


def similarity(a: str, b: str) -> float:
    """Share of two-character pieces the two texts have in common (0–1)."""
    pa, pb = _pieces(a), _pieces(b)
    if not pa or not pb:
        return 1.0 if a.strip() == b.strip() else 0.0
    return len(pa & pb) / min(len(pa), len(pb))


def start(scenario_id: str, seed: int = 0) -> Session:
    """Start a conversation; ``seed`` picks the variants of the customer's lines and the order
    in which each step's options are shown (same seed, same conversation)."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise RoleplayError(f"版本号必须是整数，收到的是 {seed!r}。")
    return Session(scenario(scenario_id), seed)


def play(scenario_id: str, moves: Sequence[int | str], seed: int = 0) -> Session:
    """Play a list of turns in order: an integer picks that option, a string is a free reply.

    Stops early when the conversation ends (the remaining turns are ignored).
    """
    if isinstance(moves, (str, bytes)) or not isinstance(moves, Sequence):
        raise RoleplayError(
            "回合列表必须是列表，元素是选项序号（整数）或回复（文字），"
            f"例如 [0, \"您好……\"]；收到的是 {moves!r}。")
    session = start(scenario_id, seed=seed)
    for move in moves:
        if session.state.ended:
            break
        if isinstance(move, str):
            session.reply(move)
        else:
            session.choose(move)
    return session


def scripted_path(scenario_id: str, kind: str = "good") -> tuple[int, ...]:
    """Option indices of a model path: ``good`` (first option completing each step without harm)
    or ``bad`` (first harmful option each time), read from the scenario data."""
    if kind not in ("good", "bad"):
        raise RoleplayError(f"路径类型只能是 good 或 bad，收到的是 {kind!r}。")
    blocking = rules().blocking
    session = start(scenario_id)
    path: list[int] = []
    while not session.state.ended:
        goal = set(session.current_goal)
        index = next(
            i for i, opt in enumerate(session.option_details)
            if (kind == "bad" and set(opt.signals) & blocking)
            or (kind == "good" and not set(opt.signals) & blocking and set(opt.signals) & goal))
        path.append(index)
        session.choose(index)
    return tuple(path)


# --------------------------------------------------------------------------- the session


class Session:
    """A running conversation. Use :func:`start` to create one."""

    def __init__(self, scen: Scenario, seed: int = 0) -> None:
        self.scenario = scen
        self.seed = seed
        self._rng = random.Random(f"{scen.id}:{seed}")
        initial = State(anger=scen.initial_anger, trust=scen.initial_trust,
                        level=max(scen.initial_level, rules().level_for(scen.initial_anger)),
                        need=scen.need, customer_type=scen.customer_type, step=0, resolved=(),
                        turn=0)
        self._states: list[State] = [initial]
        self._moves: list[Move] = []
        self._lines: list[Line] = [Line(CUSTOMER, self._pick(scen.beats[0].customer), 0)]

    # ---- read-only views
    @property
    def state(self) -> State:
        """The customer's current state."""
        return self._states[-1]

    @property
    def history(self) -> tuple[State, ...]:
        """The state before the first turn and after every turn (for the chart)."""
        return tuple(self._states)

    @property
    def transcript(self) -> tuple[Line, ...]:
        """Every line said so far, customer and staff, in order."""
        return tuple(self._lines)

    @property
    def moves(self) -> tuple[Move, ...]:
        """The learner's turns with their effects."""
        return tuple(self._moves)

    @property
    def options(self) -> tuple[str, ...]:
        """The scripted options for the current step (empty once the conversation has ended).

        Their order is shuffled per step from ``seed``, so the best answer is not always first.
        """
        return tuple(o.text for o in self.option_details)

    @property
    def option_details(self) -> tuple[Option, ...]:
        """The options in the order of :attr:`options`, with their signals and teaching notes."""
        if self.state.ended:
            return ()
        return self._beat_options()

    @property
    def current_goal(self) -> tuple[str, ...]:
        """Signals that complete the current step (empty once every step is done)."""
        beats = self.scenario.beats
        return beats[self.state.step].goal if self.state.step < len(beats) else ()

    @property
    def last_customer_line(self) -> str:
        """What the customer said last."""
        return next(line.text for line in reversed(self._lines) if line.speaker == CUSTOMER)

    # ---- turns
    def reply(self, text: str) -> CustomerTurn:
        """Answer in your own words; the coach reviews the text and the customer reacts."""
        self._check_open()
        if not isinstance(text, str):
            raise RoleplayError(
                "回复内容必须是一段文字：写在引号里，例如 \"您好……\"。")
        if not text.strip():
            raise RoleplayError("回复内容不能为空，请写下你要对客户说的话。")
        if len(text) > MAX_REPLY_CHARS:
            raise RoleplayError(
                f"回复内容最多 {MAX_REPLY_CHARS} 个字，收到的是 {len(text)} 个字。")
        r = review(text)
        signals = signals_from_review(r, text)
        limit = rules().repeat_similarity
        if any(m.mode == "reply" and similarity(m.text, text) >= limit for m in self._moves):
            signals = ("repeat",)  # the same words again earn nothing the second time
        return self._turn(text.strip(), "reply", signals, review=r)

    def choose(self, option_index: int) -> CustomerTurn:
        """Pick one of :attr:`options` (0-based index)."""
        self._check_open()
        opts = self._beat_options()
        if (isinstance(option_index, bool) or not isinstance(option_index, int)
                or not 0 <= option_index < len(opts)):
            raise RoleplayError(
                f"选项序号必须是 0 到 {len(opts) - 1} 之间的整数，"
                f"收到的是 {option_index!r}。")
        opt: Option = opts[option_index]
        return self._turn(opt.text, "choice", opt.signals, why=opt.why)

    # ---- export
    def debrief(self) -> Debrief:
        """What helped, what hurt, the coach's findings and the strategies that would have fit."""
        from course import legal

        fitting = tuple(strategy(sid) for sid in self.scenario.strategies)
        return Debrief(scenario=self.scenario, ending=self.state.ending, moves=self.moves,
                       strategies=fitting, final=self.state,
                       legal=tuple(legal.entry(i) for i in self.scenario.legal))

    def to_markdown(self) -> str:
        """The transcript (and the debrief once ended) as Markdown."""
        scen = self.scenario
        out = [f"# 角色扮演记录：{scen.title}", "",
               f"- 客户：{scen.customer_name}（{scen.profile}）",
               f"- 类型：{scen.customer_type}；{scen.compensation_label}；深层需要：{scen.need}",
               f"- 对话版本：{self.seed}", "", "## 对话", ""]
        states = self.history
        for line in self.transcript:
            out.append(f"**{line.speaker}**：{line.text}")
            out.append("")
            if line.speaker == CUSTOMER and line.turn < len(states):
                st = states[line.turn]
                out.append(f"> 第{st.turn}轮后：愤怒 {st.anger}，信任 {st.trust}，第{st.level}级")
                out.append("")
        if self.state.ended:
            out.append(self.debrief().to_markdown())
        return "\n".join(out).rstrip("\n") + "\n"

    def __repr__(self) -> str:
        return f"<Session {self.scenario.id} seed={self.seed}: {self.state}>"

    # ---- internals
    def _pick(self, lines: tuple[str, ...]) -> str:
        return lines[0] if len(lines) == 1 else lines[self._rng.randrange(len(lines))]

    def _check_open(self) -> None:
        if self.state.ended:
            ending = self.state.ending
            raise RoleplayError(
                f"对话已经结束（{ending.outcome_name if ending else ''}），"
                f"请用 start(\"{self.scenario.id}\") 重新开始一次。")

    def _beat_options(self) -> tuple[Option, ...]:
        beats = self.scenario.beats
        beat = beats[min(self.state.step, len(beats) - 1)]
        order = list(range(len(beat.options)))
        random.Random(f"{self.scenario.id}:{self.seed}:{beat.id}").shuffle(order)
        return tuple(beat.options[i] for i in order)

    def _turn(self, text: str, mode: str, signals: tuple[str, ...], why: str = "",
              review: Review | None = None) -> CustomerTurn:
        rs, scen, before = rules(), self.scenario, self.state
        sig = set(signals)
        if "handover" in sig and before.level < scen.handover_from_level:
            sig.discard("handover")  # handing over too early is passing the buck
            sig.add("shirk")
        ordered = tuple(s for s in rs.signals if s in sig)
        blocked = bool(sig & rs.blocking)
        up = down = trust = 0
        for s in ordered:
            eff = rs.signals[s]
            up += max(eff.anger, 0)
            down += min(eff.anger, 0)
            trust += eff.trust
        need = rs.needs[scen.need]
        if not blocked and sig & set(need["met_by"]):
            down += int(need["bonus"]["anger"])
            trust += int(need["bonus"]["trust"])
        beats = scen.beats
        step, resolved = before.step, before.resolved
        advanced = step < len(beats) and not blocked and bool(sig & set(beats[step].goal))
        if step < len(beats) and not advanced:  # kind words without substance help only a little
            down = max(down, -rs.stall_anger_drop)
            trust = min(trust, rs.stall_trust_gain)
        factor = float(rs.customer_types[scen.customer_type].get("anger_up_factor", 1.0))
        d_anger = round(up * factor) + down
        lo, hi = rs.anger_limits
        anger = min(hi, max(lo, before.anger + d_anger))
        tlo, thi = rs.trust_limits
        new_trust = min(thi, max(tlo, before.trust + trust))
        if advanced:
            resolved = (*resolved, beats[step].id)
            step += 1
        turn = before.turn + 1
        level = max(before.level, rs.level_for(anger))
        spec: EndingSpec | None = None
        if anger >= rs.explode_at:
            spec = scen.endings["explode"]
        elif step == len(beats) and anger <= scen.max_anger and new_trust >= scen.min_trust:
            spec = scen.endings["success"]
        elif "handover" in sig and not blocked:
            spec = scen.endings["handover"]
        elif turn >= scen.turn_limit:
            spec = scen.endings["timeout"]
        ending = None
        if spec is not None:
            ending = Ending(kind=spec.kind, outcome=spec.outcome, to=spec.to,
                            explanation=spec.explanation, good=spec.good)
            answer = spec.line
        elif sig & rs.blocking:
            worst = next(s for s in rs.reaction_priority if s in sig)
            answer = self._pick(scen.reactions.get(worst) or rs.default_reactions[worst])
        elif advanced and step < len(beats):
            answer = self._pick(beats[step].customer)
        elif step == len(beats):
            answer = self._pick(rs.unsatisfied)
        else:
            answer = self._pick(beats[step].pushback)
        state = replace(before, anger=anger, trust=new_trust, level=level, step=step,
                        resolved=resolved, turn=turn, ended=ending is not None,
                        outcome=ending.outcome if ending else None, ending=ending)
        move = Move(turn=turn, text=text, mode=mode, signals=ordered,
                    anger_change=anger - before.anger, trust_change=new_trust - before.trust,
                    advanced=advanced, why=why, review=review)
        self._states.append(state)
        self._moves.append(move)
        self._lines.append(Line(STAFF, text, turn))
        self._lines.append(Line(CUSTOMER, answer, turn))
        return CustomerTurn(text=answer, state=state, move=move)
