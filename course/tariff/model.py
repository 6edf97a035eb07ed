"""The tariff model: tiers, price components, large-household rules and bills.

A tariff has tier upper bounds per billing period (annual, monthly or bimonthly); each price
component is either tiered (one price per tier, e.g. 水费) or flat per m³ (e.g. 水资源税,
污水处理费); a large-household rule raises some tier bounds (per extra person, or once from N
persons); a bill covering part of a period prorates the bounds (``fraction``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from course.tariff.inputs import (
    PERIODS,
    as_float_array,
    as_size_array,
    parse_fraction,
    parse_household_size,
    parse_number,
)
from course.tariff.units import (
    Breakdown,
    Money,
    TierBounds,
    TierPosition,
    UnitPrice,
    Volume,
    VolumeBreakdown,
)

if TYPE_CHECKING:  # numpy is imported lazily: `import course.tariff` stays cheap
    import numpy as np

__all__ = ["Bill", "BillLine", "Component", "HouseholdRule", "Source", "Tariff"]

_FEN = Decimal("0.01")


@dataclass(frozen=True)
class Source:
    """Where a tariff comes from."""

    title: str | None
    document: str | None
    issuer: str
    url: str | None = None
    accessed_via: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Component:
    """A price component billed per m³: tiered (one price per tier) or flat."""

    name: str
    tiered: bool
    prices: tuple[float, ...]

    def price(self, tier: int) -> float:
        """Unit price (yuan/m³) in tier ``tier`` (1-based)."""
        return self.prices[tier - 1] if self.tiered else self.prices[0]


@dataclass(frozen=True)
class HouseholdRule:
    """Large-household rule: extra volume on some tier bounds.

    ``per_person``: each person above ``base_persons`` adds ``volume``;
    ``step``: a household of at least ``min_persons`` gets ``volume`` once.
    ``volume`` is one amount for every listed tier, or one amount per listed tier (in the order
    of ``tiers``), as in Wuhan: 6.25 m³ a person on tier 1, 8.25 m³ on tier 2.
    """

    rule: str
    volume: float | tuple[float, ...]
    tiers: tuple[int, ...]
    base_persons: int | None = None
    min_persons: int | None = None
    note: str | None = None

    def volume_on(self, tier: int) -> float:
        """The rule's amount on one tier bound (0 for a tier the rule does not raise)."""
        if tier not in self.tiers:
            return 0.0
        if isinstance(self.volume, tuple):
            return self.volume[self.tiers.index(tier)]
        return self.volume

    def extra(self, household_size: int, tier: int) -> float:
        """Extra m³ per period added to one tier bound for this household size."""
        volume = self.volume_on(tier)
        if self.rule == "per_person":
            return volume * max(0, household_size - (self.base_persons or 0))
        return volume if household_size >= (self.min_persons or 0) else 0.0


@dataclass(frozen=True)
class BillLine:
    """One (tier, component) line of a bill."""

    tier: int
    component: str
    volume: float
    unit_price: float
    amount: float


@dataclass(frozen=True)
class Bill:
    """A household's bill for one billing period (or part of one)."""

    city: str
    city_name: str
    period: str
    usage: float
    household_size: int
    fraction: float
    bounds: tuple[float, ...]
    lines: tuple[BillLine, ...]
    total: float

    def by_tier(self) -> dict[int, float]:
        """Amount per tier (all components), yuan, rounded to the fen."""
        out: dict[int, Decimal] = {}
        for line in self.lines:
            out[line.tier] = out.get(line.tier, Decimal(0)) + Decimal(str(line.amount))
        return Breakdown({t: Money(v.quantize(_FEN, ROUND_HALF_UP))
                          for t, v in sorted(out.items())})

    def by_component(self) -> dict[str, float]:
        """Amount per price component (all tiers), yuan, rounded to the fen."""
        out: dict[str, Decimal] = {}
        for line in self.lines:
            out[line.component] = out.get(line.component, Decimal(0)) + Decimal(str(line.amount))
        return Breakdown({c: Money(v.quantize(_FEN, ROUND_HALF_UP)) for c, v in out.items()})

    def volume_by_tier(self) -> dict[int, float]:
        """Volume (m³) billed in each tier that has any."""
        out = VolumeBreakdown()
        for line in self.lines:
            out[line.tier] = Volume(line.volume)
        return out

    def rows(self) -> list[tuple[str, str, str, str, str]]:
        """Table rows in Chinese: 档位, 项目, 水量, 单价, 金额."""
        rows = []
        for line in self.lines:
            rows.append(
                (
                    f"第{line.tier}档",
                    line.component,
                    f"{round(line.volume, 2):g} 立方米",
                    f"{line.unit_price:.2f} 元/立方米",
                    f"{line.amount:.2f} 元",
                )
            )
        return rows

    def _heading(self) -> str:
        period = PERIODS[self.period]
        part = "" if self.fraction == 1 else f"（按 {self.fraction:.4g} 个计费周期折算）"
        return (
            f"{self.city_name}居民水费：{self.household_size} 人户，"
            f"本期用水 {self.usage:g} 立方米（每{period}计）{part}"
        )

    def __str__(self) -> str:
        lines = [self._heading()]
        lines += ["  ".join(row) for row in self.rows()]
        lines.append(f"合计：{self.total:.2f} 元")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from html import escape

        # text columns left, amounts right (a notebook's own table style puts all on the right)
        align = ("left", "left", "right", "right", "right")
        cell = 'style="text-align:{};padding:2px 10px;white-space:nowrap"'
        head = "".join(f"<th {cell.format(a)}>{h}</th>"
                       for h, a in zip(("档位", "项目", "水量", "单价", "金额"), align, strict=True))
        body = "".join(
            "<tr>" + "".join(f"<td {cell.format(a)}>{escape(c)}</td>"
                             for c, a in zip(row, align, strict=True)) + "</tr>"
            for row in self.rows()
        )
        return (
            f'<div class="course-bill"><p><b>{escape(self._heading())}</b></p>'
            f'<table style="border-collapse:collapse"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody>"
            f'<tfoot><tr><td colspan="4" {cell.format("right")}><b>合计</b></td>'
            f'<td class="course-bill-total" {cell.format("right")}><b>{self.total:.2f} 元</b>'
            "</td></tr></tfoot></table></div>"
        )


@dataclass(frozen=True)
class Tariff:
    """A city's residential tiered tariff. Build with :func:`load`."""

    id: str
    name: str
    category: str
    period: str
    effective: date
    fictional: bool
    source: Source
    limits: tuple[float | None, ...]
    components: tuple[Component, ...]
    household: HouseholdRule | None = None
    billing: str | None = None
    facts: tuple[dict[str, Any], ...] = field(default=())

    # -- structure ---------------------------------------------------------------------------

    @property
    def n_tiers(self) -> int:
        """Number of tiers."""
        return len(self.limits)

    @property
    def period_name(self) -> str:
        """Chinese name of the billing period (年 / 月 / 两个月)."""
        return PERIODS[self.period]

    def unit_prices(self) -> tuple[float, ...]:
        """Total price per m³ in each tier (all components), yuan."""
        return tuple(
            UnitPrice(sum(Decimal(str(c.price(t))) for c in self.components))
            for t in range(1, self.n_tiers + 1)
        )

    def bounds(self, household_size: int = 3, fraction: float = 1.0) -> tuple[float, ...]:
        """Upper bound (m³) of each tier but the last, after the household rule and proration."""
        size = parse_household_size(household_size)
        frac = parse_fraction(fraction)
        out: list[float] = []
        for i, limit in enumerate(self.limits[:-1], start=1):
            assert limit is not None
            extra = self.household.extra(size, i) if self.household else 0.0
            value = (limit + extra) * frac
            out.append(max(value, out[-1] if out else 0.0))
        return TierBounds(out)

    def marginal_price(self, usage_m3: Any, *, household_size: int = 3) -> float:
        """Price (yuan/m³) of the next m³ for a household that has used ``usage_m3``."""
        usage = parse_number(usage_m3, "用水量（立方米）")
        bounds = self.bounds(household_size)
        tier = 1 + sum(usage >= b for b in bounds)
        return self.unit_prices()[tier - 1]  # a UnitPrice: shows as "4.40 元/立方米"

    def remaining_in_tier(self, usage_so_far: Any, *, household_size: int = 3) -> tuple[int, float | None]:
        """(current tier, m³ left before the next tier) after ``usage_so_far`` in this period.

        The second value is ``None`` in the top tier, which has no upper bound.

        >>> from course import tariff
        >>> tariff.load("beijing").remaining_in_tier(150)
        在第1档，再用 30 立方米进入第2档
        >>> tier, left = tariff.load("beijing").remaining_in_tier(150)
        """
        usage = parse_number(usage_so_far, "已用水量（立方米）")
        for tier, bound in enumerate(self.bounds(household_size), start=1):
            if usage < bound:
                return TierPosition(tier, round(bound - usage, 6))
        return TierPosition(self.n_tiers, None)

    # -- bills ---------------------------------------------------------------------------------

    def bill(self, usage_m3: Any, *, household_size: int = 3, fraction: float = 1.0) -> Bill:
        """The bill for ``usage_m3`` m³ in one billing period of this city.

        ``fraction`` < 1 prorates the tier volumes for a bill covering part of a period
        (see :func:`period_fraction`).
        """
        usage = parse_number(usage_m3, "用水量（立方米）")
        size = parse_household_size(household_size)
        frac = parse_fraction(fraction)
        bounds = self.bounds(size, frac)
        use = Decimal(repr(usage))
        lines: list[BillLine] = []
        exact_total = Decimal(0)
        lower = Decimal(0)
        for tier in range(1, self.n_tiers + 1):
            upper = Decimal(repr(bounds[tier - 1])) if tier <= len(bounds) else None
            top = use if upper is None else min(use, upper)
            volume = max(Decimal(0), top - lower)
            if volume > 0:
                for comp in self.components:
                    price = Decimal(str(comp.price(tier)))
                    amount = volume * price
                    exact_total += amount
                    lines.append(
                        BillLine(
                            tier=tier,
                            component=comp.name,
                            volume=float(volume),
                            unit_price=float(price),
                            amount=float(amount.quantize(_FEN, ROUND_HALF_UP)),
                        )
                    )
            if upper is not None:
                lower = max(lower, upper)
        return Bill(
            city=self.id,
            city_name=self.name,
            period=self.period,
            usage=usage,
            household_size=size,
            fraction=frac,
            bounds=bounds,
            lines=tuple(lines),
            total=Money(exact_total.quantize(_FEN, ROUND_HALF_UP)),
        )

    def bills(
        self,
        usages: Iterable[float] | np.ndarray,
        household_sizes: int | Sequence[int] | np.ndarray = 3,
        fraction: float = 1.0,
    ) -> np.ndarray:
        """Vectorised bill totals (yuan, rounded to the fen) for many households at once.

        Equal to ``bill(u, household_size=h).total`` within 0.005 yuan for every element.
        """
        import numpy as np

        use = as_float_array(usages, "用水量（立方米）")
        sizes = as_size_array(household_sizes, use.shape[0])
        frac = parse_fraction(fraction)
        prices = self.unit_prices()
        bounds = np.empty((len(self.limits) - 1, use.shape[0]))
        h = self.household
        for i, limit in enumerate(self.limits[:-1]):
            volume = h.volume_on(i + 1) if h is not None else 0.0
            if h is None or volume == 0.0:
                extra = np.zeros(use.shape[0])
            elif h.rule == "per_person":
                extra = volume * np.maximum(0, sizes - (h.base_persons or 0))
            else:
                extra = np.where(sizes >= (h.min_persons or 0), volume, 0.0)
            row = (limit + extra) * frac
            bounds[i] = row if i == 0 else np.maximum(row, bounds[i - 1])
        total = np.zeros(use.shape[0])
        lower = np.zeros(use.shape[0])
        for i, price in enumerate(prices):
            if i < bounds.shape[0]:
                vol = np.clip(use, lower, bounds[i]) - lower
                lower = bounds[i]
            else:
                vol = np.maximum(use - lower, 0.0)
            total += vol * price
        return np.floor(np.round(total * 100, 6) + 0.5) / 100
