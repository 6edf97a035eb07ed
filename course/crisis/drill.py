"""A crisis drill: an incident unfolds on a simulated clock and the learner decides at checkpoints.

Each incident is data (``course/data/incidents/<id>.yaml``): timed events, checkpoints with
options (or a statement to write), the effect of each choice on the public-sentiment index
(舆情指数, 0–100, higher is worse) and media attention (媒体关注度, 0–100), and the thresholds at
which the matter escalates to the 12345 hotline, the government or the media. Statements are
reviewed with :func:`course.crisis.rubric.review_statement`. The same inputs always give the same
drill: ``seed`` only picks the wording variants the incident offers (e.g. which outlet calls).

>>> d = start("meter_replacement")
>>> d.state.checkpoint.id
'first_response'
>>> d.decide(d.state.checkpoint.best.id).state.step
1
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from course.crisis.model import (
    CHANNELS,
    OUTCOMES,
    Checkpoint,
    Debrief,
    Decision,
    DrillState,
    Option,
    TimelineEntry,
    fmt_hour,
    incident,
    raw_incident,
)
from course.crisis.rubric import CrisisError, StatementReview, review_statement

__all__ = ["CHANNELS", "Drill", "briefing", "replay", "start"]


class Drill:
    """One run of an incident. Drive it with :meth:`decide` and :meth:`statement`."""

    def __init__(self, incident_id: str, seed: int = 0) -> None:
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise CrisisError(f"版本号必须是不小于 0 的整数，收到的是 {seed!r}。")
        self.incident = incident(incident_id)
        self.seed = seed
        raw = raw_incident(incident_id)
        rng = random.Random(f"{incident_id}:{seed}")
        self._vars = {k: rng.choice(v) for k, v in sorted((raw.get("variables") or {}).items())}
        self._drift = raw["drift"]
        self._rules = raw["escalation"]
        self._outcome_rules = raw["outcome"]
        self._hour = 0.0
        self._sentiment = float(raw["start"]["sentiment"])
        self._attention = float(raw["start"]["attention"])
        self._escalations: list[str] = []
        self._timeline: list[tuple[float, int, TimelineEntry]] = []
        self._decisions: list[Decision] = []
        self._unsafe = False
        self._step = 0
        self._outcome: str | None = None
        for text in raw.get("opening", ()):
            self._log(0.0, "event", text)
        self._enter()

    # -- helpers --------------------------------------------------------------------------
    def _text(self, s: str) -> str:
        return s.format(**self._vars) if self._vars else s

    def _log(self, hour: float, kind: str, text: str, channel: str = "", *,
             verbatim: bool = False) -> None:
        """Add a timeline entry; incident text is filled in, a learner's text never is."""
        entry = TimelineEntry(
            round(hour, 2),
            kind,
            text if verbatim else self._text(text),
            round(self._sentiment),
            round(self._attention),
            channel,
        )
        self._timeline.append((entry.hour, len(self._timeline), entry))

    def _move(self, sentiment: float, attention: float) -> None:
        self._sentiment = min(100.0, max(0.0, self._sentiment + sentiment))
        self._attention = min(100.0, max(0.0, self._attention + attention))

    def _escalate(self, channel: str, text: str | None = None) -> None:
        if channel in self._escalations:
            return
        if channel not in CHANNELS:
            raise CrisisError(f"升级渠道必须是 {'、'.join(CHANNELS)} 之一，收到的是 {channel!r}。")
        self._escalations.append(channel)
        rule = next((r for r in self._rules if r["channel"] == channel), {})
        eff = rule.get("effects", {}) or {}
        self._move(float(eff.get("sentiment", 0)), float(eff.get("attention", 0)))
        default = f"事件升级到{CHANNELS[channel]}。"
        self._log(self._hour, "escalation", text or rule.get("text", default), channel)

    def _check_thresholds(self) -> None:
        for rule in self._rules:
            hit = ("sentiment" in rule and self._sentiment >= rule["sentiment"]) or (
                "attention" in rule and self._attention >= rule["attention"]
            )
            if hit:
                self._escalate(rule["channel"])

    def _enter(self) -> None:
        """Advance the clock to the current checkpoint and log its events."""
        cps = self.incident.checkpoints
        if self._step >= len(cps):
            self._finish()
            return
        cp = cps[self._step]
        self._hour = max(self._hour, cp.at)
        for text in cp.events:
            self._log(cp.at, "event", text)

    def _finish(self) -> None:
        rules = self._outcome_rules
        esc = set(self._escalations)
        bad = rules["escalated"]
        good = rules["contained"]
        if (
            self._unsafe
            or self._sentiment >= bad["sentiment_min"]
            or esc & set(bad.get("channels", ()))
        ):
            self._outcome = "escalated"
        elif (
            self._sentiment <= good["sentiment_max"]
            and self._attention <= good["attention_max"]
            and not esc & set(good.get("channels", ()))
        ):
            self._outcome = "contained"
        else:
            self._outcome = "managed"
        self._log(self._hour, "end", f"演练结束：{OUTCOMES[self._outcome]}。")

    def _require(self, kind: str) -> Checkpoint:
        if self._outcome is not None:
            raise CrisisError(
                "演练已经结束，不能再作决定；请查看 debrief() 复盘，或重新 start() 一次。"
            )
        cp = self.incident.checkpoints[self._step]
        if cp.kind != kind:
            if kind == "decision":
                raise CrisisError(
                    f"当前环节“{cp.skill}”需要写一段声明，"
                    "请用 statement(\"声明文字\") 提交，而不是 decide()。"
                )
            raise CrisisError(
                f"当前环节“{cp.skill}”是选择题，请用 decide(选项) 作答，而不是 statement()。"
            )
        return cp

    # -- public API -----------------------------------------------------------------------
    def decide(self, option: int | str | Option) -> Drill:
        """Take ``option`` (index, id or Option) at the current decision checkpoint; returns self."""
        cp = self._require("decision")
        opt = cp.option(option)
        self._move(self._drift["sentiment"] * opt.hours, self._drift["attention"] * opt.hours)
        self._hour += opt.hours
        self._move(opt.sentiment, opt.attention)
        if opt.quality == "unsafe":
            self._unsafe = True
        self._log(self._hour, "decision", f"决定：{opt.label}")
        if opt.then:
            self._log(self._hour, "event", opt.then)
        for ch in opt.escalate:
            self._escalate(ch)
        self._check_thresholds()
        self._decisions.append(
            Decision(cp.id, cp.skill, self._hour, opt.id, opt.label, opt.quality,
                     self._text(opt.feedback), cp.best.label)
        )
        self._step += 1
        self._enter()
        return self

    def preview(self, text: str) -> StatementReview:
        """Review ``text`` as if published now at the current statement checkpoint (no effect)."""
        cp = self._require("statement")
        on_time = cp.window is None or self._hour + cp.hours <= cp.window
        return review_statement(text, on_time=on_time, keys=cp.keys)

    def statement(self, text: str) -> StatementReview:
        """Publish ``text`` at the current statement checkpoint; returns its review."""
        cp = self._require("statement")
        published = self._hour + cp.hours
        on_time = cp.window is None or published <= cp.window
        review = review_statement(text, on_time=on_time, keys=cp.keys)
        self._move(self._drift["sentiment"] * cp.hours, self._drift["attention"] * cp.hours)
        self._hour = published
        outcome = "pass" if review.passed else "fail"
        eff = cp.effects[outcome]
        self._move(float(eff.get("sentiment", 0)), float(eff.get("attention", 0)))
        if not on_time:
            eff_late = cp.effects.get("late", {}) or {}
            self._move(float(eff_late.get("sentiment", 0)), float(eff_late.get("attention", 0)))
        self._log(self._hour, "statement", f"发布：{text.strip()}", verbatim=True)
        feedback = self._text(cp.feedback[outcome])
        if not on_time:
            feedback += (
                f" 发布时已是{fmt_hour(published)}，"
                f"超过了{fmt_hour(cp.window or 0)}的时间窗口。"
            )
        for ch in eff.get("escalate", ()) or ():
            self._escalate(ch)
        self._check_thresholds()
        quality = ("best" if on_time else "slow") if review.passed else "weak"
        when = f"在第{cp.window:g}小时前发布" if cp.window else "按评分要点回应"
        self._decisions.append(
            Decision(cp.id, cp.skill, self._hour, "statement", f"声明（{review.score}分）", quality,
                     feedback, f"{when}，例如：{self.example()}", review, on_time)
        )
        self._step += 1
        self._enter()
        return review

    @property
    def state(self) -> DrillState:
        """A snapshot of the drill now."""
        cps = self.incident.checkpoints
        cp = cps[self._step] if self._step < len(cps) else None
        return DrillState(
            self.incident.id, round(self._hour, 2), round(self._sentiment, 1),
            round(self._attention, 1), tuple(self._escalations), self._step, len(cps), cp,
            self._outcome is not None, self._outcome,
        )

    @property
    def timeline(self) -> tuple[TimelineEntry, ...]:
        """Everything that happened so far, in clock order."""
        return tuple(e for _, _, e in sorted(self._timeline, key=lambda t: (t[0], t[1])))

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """The learner's decisions so far."""
        return tuple(self._decisions)

    def prompt(self) -> str:
        """The current checkpoint's question, with its wording variants filled in."""
        cp = self.state.checkpoint
        return self._text(cp.prompt) if cp else ""

    def example(self, which: str = "model") -> str:
        """The current statement checkpoint's example text: ``"model"`` or ``"defensive"``."""
        cp = self.state.checkpoint
        if cp is None or cp.kind != "statement":
            raise CrisisError("当前环节不是写声明的环节，没有示例声明。")
        if which not in ("model", "defensive"):
            raise CrisisError(
                f"示例类型必须是 \"model\" 或 \"defensive\"，收到的是 {which!r}。"
            )
        return " ".join(self._text(getattr(cp, which)).split())

    def debrief(self) -> Debrief:
        """The debrief (``CrisisError`` while the drill is still running)."""
        if self._outcome is None:
            st = self.state
            raise CrisisError(
                f"演练还没有结束（进行到第 {st.step + 1}/{st.steps} 个环节），请先完成所有环节。"
            )
        return Debrief(
            self.incident.id, self.incident.title, self._outcome, self.state,
            tuple(self._decisions), self.incident.lessons,
        )

    def __repr__(self) -> str:
        return f"<Drill {self.incident.id} seed={self.seed}: {self.state}>"


def start(incident_id: str, seed: int = 0) -> Drill:
    """Start a drill of ``incident_id``; ``seed`` picks wording variants only."""
    return Drill(incident_id, seed)


def briefing(incident_id: str, seed: int = 0) -> str:
    """The incident's script for a paper exercise: each checkpoint's events, question and options.

    Options are lettered A, B, C … in data order (the order :meth:`Drill.decide` indexes).
    """
    drill = start(incident_id, seed)
    inc = drill.incident
    lines = [f"【{inc.title}】{inc.summary}", ""]
    lines += [f"[{fmt_hour(0)}] {drill._text(t)}" for t in raw_incident(incident_id).get("opening", ())]
    for n, cp in enumerate(inc.checkpoints, start=1):
        lines += [f"[{fmt_hour(cp.at)}] {drill._text(t)}" for t in cp.events]
        lines.append(f"  环节 {n}【{cp.skill}】{drill._text(cp.prompt)}")
        if cp.kind == "decision":
            letters = zip("ABCDEFGH", cp.options, strict=False)
            lines += [f"    {letter}. {o.label}" for letter, o in letters]
        else:
            window = f"，须在第{cp.window:g}小时前发布" if cp.window else ""
            lines.append(f"    （这一环节要写一段文字{window}）")
        lines.append("")
    return "\n".join(lines).rstrip()


def replay(
    incident_id: str, actions: Iterable[int | str] | Sequence[int | str], seed: int = 0
) -> Drill:
    """Run a drill from a list of actions: an option (index or id) or a statement's text per step.

    At a statement checkpoint the action is the statement text; at a decision checkpoint an
    index or option id. Raises ``CrisisError`` (Chinese) for a wrong or missing action.
    """
    if isinstance(actions, str) or not isinstance(actions, Iterable):
        raise CrisisError(
            "操作列表必须是一个列表，每个环节一项（选项序号/编号，或声明文字）。"
        )
    drill = start(incident_id, seed)
    for i, act in enumerate(list(actions)):
        cp = drill.state.checkpoint
        if cp is None:
            raise CrisisError(
                f"操作列表 多出了第 {i + 1} 项：演练只有 {drill.state.steps} 个环节。"
            )
        if cp.kind == "statement":
            if not isinstance(act, str):
                raise CrisisError(
                    f"操作列表第 {i + 1} 项应是声明文字（“{cp.skill}”环节），收到的是 {act!r}。"
                )
            drill.statement(act)
        else:
            drill.decide(act)
    return drill
