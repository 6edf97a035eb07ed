"""Numbers that say what they are: yuan, m³, yuan per m³, tier bounds, a bill's breakdown.

They are plain ``float``/``tuple``/``dict`` values in every calculation (``Money(104) + 1`` is
``105.0``); only the way they show in a notebook is Chinese: ``104.00 元`` instead of ``104.0``,
``18 立方米`` instead of ``18.0``.

>>> Money(104)
104.00 元
>>> Volume(18.0)
18 立方米
>>> TierBounds((10.161290322580644, 14.903225806451612))
第1档 0–10.16 立方米，第2档 10.16–14.9 立方米，第3档 14.9 立方米以上
"""

from __future__ import annotations

__all__ = ["Breakdown", "Money", "TierBounds", "TierPosition", "UnitPrice", "Volume",
           "VolumeBreakdown"]


def _m3(x: float) -> str:
    return f"{round(float(x), 2):g}"


class Money(float):
    """An amount in yuan."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"{float(self):.2f} 元"

    __str__ = __repr__


class Volume(float):
    """A volume of water in m³."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"{_m3(self)} 立方米"

    __str__ = __repr__


class UnitPrice(float):
    """A price in yuan per m³."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"{float(self):.2f} 元/立方米"

    __str__ = __repr__


class TierBounds(tuple):
    """Upper bounds (m³) of every tier but the last."""

    __slots__ = ()

    def __repr__(self) -> str:
        parts, lower = [], 0.0
        for i, bound in enumerate(self, start=1):
            parts.append(f"第{i}档 {_m3(lower)}–{_m3(bound)} 立方米")
            lower = bound
        parts.append(f"第{len(self) + 1}档 {_m3(lower)} 立方米以上")
        return "，".join(parts)

    __str__ = __repr__


class TierPosition(tuple):
    """(tier, m³ left before the next tier; ``None`` in the top tier), shown in Chinese."""

    __slots__ = ()

    def __new__(cls, tier: int, left: float | None) -> TierPosition:
        return super().__new__(cls, (tier, None if left is None else Volume(left)))

    def __repr__(self) -> str:
        tier, left = self
        if left is None:
            return f"已在第{tier}档（最高一档）"
        return f"在第{tier}档，再用 {_m3(left)} 立方米进入第{tier + 1}档"

    __str__ = __repr__


class Breakdown(dict):
    """Amounts (yuan) by tier or by price component."""

    def _value(self, v: float) -> str:
        return f"{float(v):.2f} 元"

    def __repr__(self) -> str:
        def key(k: object) -> str:
            return f"第{k}档" if isinstance(k, int) else str(k)

        return "，".join(f"{key(k)} {self._value(v)}" for k, v in self.items())

    __str__ = __repr__


class VolumeBreakdown(Breakdown):
    """Volumes (m³) by tier."""

    def _value(self, v: float) -> str:
        return f"{_m3(v)} 立方米"
