"""Paced breathing: what to show at each moment of a pattern (the clock itself runs elsewhere).

The widget's clock is a front-end timer that counts *ticks* (``ticks_per_second`` of them a
second); :func:`step_at` turns a tick count into what to show — the phase in large text, its
cue, the seconds left, the round, and how full the breathing circle is — so nothing here waits.

>>> from course.wellbeing import breathing_pattern
>>> p = breathing_pattern("calm")
>>> [step_at(p, t).label for t in (0, 4, 6, 12)]
['吸气', '屏住', '呼气', '吸气']
>>> step_at(p, total_ticks(p)).done
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from course.wellbeing.model import BreathPattern, WellbeingError

__all__ = ["TICKS_PER_SECOND", "BreathStep", "step_at", "total_ticks"]

TICKS_PER_SECOND = 1


@dataclass(frozen=True)
class BreathStep:
    """What the pacer shows at one moment."""

    kind: str  # inhale / hold / exhale, or "done"
    label: str  # 吸气 / 屏住 / 呼气 / 完成
    cue: str
    round: int  # 1-based; the last round when done
    rounds: int
    seconds_left: int  # in this phase (counting down 4, 3, 2, 1)
    fill: float  # 0 (lungs empty) … 1 (full): the size of the breathing circle
    progress: float  # 0 … 1 over the whole exercise
    done: bool = False

    @property
    def round_text(self) -> str:
        """第 1/3 轮 (or 完成 3 轮)."""
        return f"完成 {self.rounds} 轮" if self.done else f"第 {self.round}/{self.rounds} 轮"


def total_ticks(pattern: BreathPattern, ticks_per_second: int = TICKS_PER_SECOND) -> int:
    """Number of ticks from the start to the end of ``pattern``."""
    return pattern.total_seconds * _rate(ticks_per_second)


def _rate(ticks_per_second: int) -> int:
    if isinstance(ticks_per_second, bool) or not isinstance(ticks_per_second, int) \
            or not 1 <= ticks_per_second <= 20:
        raise WellbeingError(f"每秒的节拍数应当是 1 到 20 之间的整数，现在是 {ticks_per_second!r}。")
    return ticks_per_second


def _levels(pattern: BreathPattern) -> list[tuple[float, float]]:
    """How full the lungs are at the start and end of each phase of one round."""
    out, level = [], 0.0
    for phase in pattern.phases:
        end = {"inhale": 1.0, "exhale": 0.0}.get(phase.kind, level)
        out.append((level, end))
        level = end
    return out


def step_at(pattern: BreathPattern, tick: int,
            ticks_per_second: int = TICKS_PER_SECOND) -> BreathStep:
    """What to show ``tick`` ticks after the start (past the end: the finished step)."""
    rate = _rate(ticks_per_second)
    if isinstance(tick, bool) or not isinstance(tick, int) or tick < 0:
        raise WellbeingError(f"节拍应当是 0 或正整数，现在是 {tick!r}。")
    total = total_ticks(pattern, rate)
    if tick >= total:
        return BreathStep(kind="done", label="完成", cue="做得很好。慢慢恢复平常的呼吸，感觉一下肩膀和手。",
                          round=pattern.rounds, rounds=pattern.rounds, seconds_left=0, fill=0.0,
                          progress=1.0, done=True)
    per_round = pattern.round_seconds * rate
    round_index, within = divmod(tick, per_round)
    levels = _levels(pattern)
    for phase, (start, end) in zip(pattern.phases, levels, strict=True):
        length = phase.seconds * rate
        if within < length:
            # the circle reaches the phase's end size as the phase's last tick ends
            fraction = (within + 1) / length
            return BreathStep(kind=phase.kind, label=phase.label, cue=phase.cue,
                              round=round_index + 1, rounds=pattern.rounds,
                              seconds_left=math.ceil((length - within) / rate),
                              fill=round(start + (end - start) * fraction, 4),
                              progress=round(tick / total, 4))
        within -= length
    raise AssertionError("unreachable: a tick inside a round falls in one of its phases")
