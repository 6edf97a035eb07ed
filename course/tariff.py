"""Residential tiered water tariffs (阶梯水价): bills for one household or a million.

Tariffs are data (``course/data/tariffs/<city>.yaml``, each with its source document). The model:

* a tariff has tier upper bounds per billing period (annual, monthly or bimonthly);
* each price component is either tiered (one price per tier, e.g. 水费) or flat per m³
  (e.g. 水资源税, 污水处理费);
* a large-household rule raises some tier bounds (per extra person, or once from N persons);
* a bill covering part of a period prorates the bounds (``fraction``).

>>> from course import tariff
>>> bill = tariff.load("beijing").bill(200)
>>> bill.total
1040.0
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from course._data import list_yaml, load_yaml

if TYPE_CHECKING:  # numpy is imported lazily: `import course.tariff` stays cheap
    import numpy as np

__all__ = [
    "PERIODS",
    "Bill",
    "BillLine",
    "Component",
    "HouseholdRule",
    "Source",
    "Tariff",
    "TariffInputError",
    "cities",
    "load",
    "parse_number",
    "period_fraction",
    "summary_table",
    "usage_from_readings",
]

#: Chinese names of the billing periods a tariff's tier volumes can refer to.
PERIODS = {"annual": "年", "monthly": "月", "bimonthly": "两个月"}
MAX_HOUSEHOLD_SIZE = 20
_FEN = Decimal("0.01")


class TariffInputError(ValueError):
    """Bad input to the tariff engine; the message is Chinese and names the field."""


# ---------------------------------------------------------------------------
# input validation
# ---------------------------------------------------------------------------


def parse_number(
    value: Any,
    field_name: str,
    *,
    minimum: float | None = 0.0,
    maximum: float | None = None,
    integer: bool = False,
) -> float:
    """Parse a number typed by a learner (str or number) or raise :class:`TariffInputError`.

    Full-width digits (``１２``) and surrounding spaces are accepted; booleans, NaN and infinity are
    not.

    >>> parse_number(" １８ ", "用水量（立方米）")
    18.0
    """
    allowed = _allowed_text(minimum, maximum, integer)
    shown = value
    if isinstance(value, bool) or value is None:
        raise TariffInputError(f"{field_name}必须是{allowed}，收到的是“{shown}”。")
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
        if text == "":
            raise TariffInputError(f"{field_name}不能为空：请填写{allowed}。")
        try:
            number = float(text)
        except ValueError:
            raise TariffInputError(f"{field_name}必须是{allowed}，收到的是“{value}”。") from None
    else:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise TariffInputError(f"{field_name}必须是{allowed}，收到的是“{shown}”。") from None
    if not math.isfinite(number):
        raise TariffInputError(f"{field_name}必须是{allowed}，收到的是“{shown}”（不是有限的数字）。")
    if integer and number != int(number):
        raise TariffInputError(f"{field_name}必须是{allowed}，收到的是“{shown}”（不是整数）。")
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise TariffInputError(f"{field_name}必须是{allowed}，收到的是“{shown}”。")
    return float(number)


def _allowed_text(minimum: float | None, maximum: float | None, integer: bool) -> str:
    kind = "整数" if integer else "数字"
    fmt = _fmt_num
    if minimum is not None and maximum is not None:
        return f"{fmt(minimum)} 到 {fmt(maximum)} 之间的{kind}"
    if minimum is not None:
        return f"不小于 {fmt(minimum)} 的{kind}"
    if maximum is not None:
        return f"不大于 {fmt(maximum)} 的{kind}"
    return f"一个{kind}"


def _fmt_num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _household_size(value: Any) -> int:
    return int(
        parse_number(value, "家庭人口（人）", minimum=1, maximum=MAX_HOUSEHOLD_SIZE, integer=True)
    )


def _fraction(value: Any) -> float:
    number = parse_number(value, "计费周期比例", minimum=0, maximum=1)
    if number == 0:
        raise TariffInputError("计费周期比例必须大于 0、不大于 1（1 表示完整的一个计费周期）。")
    return number


def usage_from_readings(previous: Any, current: Any, *, meter_digits: int | None = None) -> float:
    """Water used between two meter readings (m³), handling a meter that rolled over.

    A meter with ``meter_digits`` whole-m³ digits rolls over from ``10**digits - 1`` to 0. Without
    ``meter_digits`` a current reading below the previous one is an error (a misread or a meter
    change), never silently negative.

    >>> usage_from_readings(9990, 25, meter_digits=4)
    35.0
    """
    prev = parse_number(previous, "上次读数（立方米）")
    cur = parse_number(current, "本次读数（立方米）")
    if cur >= prev:
        return cur - prev
    if meter_digits is None:
        raise TariffInputError(
            f"本次读数（{_fmt_num(cur)}）小于上次读数（{_fmt_num(prev)}）：请核对读数；"
            "如果水表走满一圈后归零，请填写水表位数（整数，3 到 8 位）。"
        )
    digits = int(parse_number(meter_digits, "水表位数", minimum=3, maximum=8, integer=True))
    capacity = 10**digits
    if prev >= capacity:
        raise TariffInputError(
            f"上次读数（{_fmt_num(prev)}）超出了 {digits} 位水表的量程（0 到 {capacity - 1}）。"
        )
    return round(cur + capacity - prev, 6)


def period_fraction(start: date, end: date, period: str) -> float:
    """Share of a billing period covered by the days ``start`` (inclusive) to ``end`` (exclusive).

    Annual periods count days in the calendar year; monthly and bimonthly ones count each calendar
    month's share of its own days, so a bill from 1 to 16 February covers 15/28 of a month.

    >>> round(period_fraction(date(2025, 1, 1), date(2025, 7, 1), "annual"), 4)
    0.4959
    """
    if period not in PERIODS:
        raise TariffInputError(f"计费周期必须是 {'、'.join(PERIODS)} 之一，收到的是“{period}”。")
    if end <= start:
        raise TariffInputError("计费结束日期必须晚于开始日期。")
    if period == "annual":
        total = 0.0
        day = start
        while day < end:
            year_end = date(day.year + 1, 1, 1)
            chunk_end = min(end, year_end)
            total += (chunk_end - day).days / (year_end - date(day.year, 1, 1)).days
            day = chunk_end
        return total
    months = 0.0
    day = start
    while day < end:
        month_start = date(day.year, day.month, 1)
        next_month = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        chunk_end = min(end, next_month)
        months += (chunk_end - day).days / (next_month - month_start).days
        day = chunk_end
    return months if period == "monthly" else months / 2


# ---------------------------------------------------------------------------
# the tariff model
# ---------------------------------------------------------------------------


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
    """

    rule: str
    volume: float
    tiers: tuple[int, ...]
    base_persons: int | None = None
    min_persons: int | None = None
    note: str | None = None

    def extra(self, household_size: int) -> float:
        """Extra m³ per period added to each listed tier bound for this household size."""
        if self.rule == "per_person":
            return self.volume * max(0, household_size - (self.base_persons or 0))
        return self.volume if household_size >= (self.min_persons or 0) else 0.0


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
        return {t: float(v.quantize(_FEN, ROUND_HALF_UP)) for t, v in sorted(out.items())}

    def by_component(self) -> dict[str, float]:
        """Amount per price component (all tiers), yuan, rounded to the fen."""
        out: dict[str, Decimal] = {}
        for line in self.lines:
            out[line.component] = out.get(line.component, Decimal(0)) + Decimal(str(line.amount))
        return {c: float(v.quantize(_FEN, ROUND_HALF_UP)) for c, v in out.items()}

    def volume_by_tier(self) -> dict[int, float]:
        """Volume (m³) billed in each tier that has any."""
        out: dict[int, float] = {}
        for line in self.lines:
            out[line.tier] = line.volume
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

        head = "".join(f"<th>{h}</th>" for h in ("档位", "项目", "水量", "单价", "金额"))
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in self.rows()
        )
        return (
            f'<div class="course-bill"><p><b>{escape(self._heading())}</b></p>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
            f'<tfoot><tr><td colspan="4"><b>合计</b></td>'
            f'<td class="course-bill-total"><b>{self.total:.2f} 元</b></td></tr></tfoot>'
            "</table></div>"
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
            float(sum(Decimal(str(c.price(t))) for c in self.components))
            for t in range(1, self.n_tiers + 1)
        )

    def bounds(self, household_size: int = 3, fraction: float = 1.0) -> tuple[float, ...]:
        """Upper bound (m³) of each tier but the last, after the household rule and proration."""
        size = _household_size(household_size)
        frac = _fraction(fraction)
        extra = self.household.extra(size) if self.household else 0.0
        raised = self.household.tiers if self.household else ()
        out: list[float] = []
        for i, limit in enumerate(self.limits[:-1], start=1):
            assert limit is not None
            value = (limit + (extra if i in raised else 0.0)) * frac
            out.append(max(value, out[-1] if out else 0.0))
        return tuple(out)

    def marginal_price(self, usage_m3: Any, *, household_size: int = 3) -> float:
        """Price (yuan/m³) of the next m³ for a household that has used ``usage_m3``."""
        usage = parse_number(usage_m3, "用水量（立方米）")
        bounds = self.bounds(household_size)
        tier = 1 + sum(usage >= b for b in bounds)
        return self.unit_prices()[tier - 1]

    def remaining_in_tier(self, usage_so_far: Any, *, household_size: int = 3) -> tuple[int, float | None]:
        """(current tier, m³ left before the next tier) after ``usage_so_far`` in this period.

        The second value is ``None`` in the top tier, which has no upper bound.

        >>> load("beijing").remaining_in_tier(150)
        (1, 30.0)
        """
        usage = parse_number(usage_so_far, "已用水量（立方米）")
        for tier, bound in enumerate(self.bounds(household_size), start=1):
            if usage < bound:
                return tier, round(bound - usage, 6)
        return self.n_tiers, None

    # -- bills ---------------------------------------------------------------------------------

    def bill(self, usage_m3: Any, *, household_size: int = 3, fraction: float = 1.0) -> Bill:
        """The bill for ``usage_m3`` m³ in one billing period of this city.

        ``fraction`` < 1 prorates the tier volumes for a bill covering part of a period
        (see :func:`period_fraction`).
        """
        usage = parse_number(usage_m3, "用水量（立方米）")
        size = _household_size(household_size)
        frac = _fraction(fraction)
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
            total=float(exact_total.quantize(_FEN, ROUND_HALF_UP)),
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

        use = _as_float_array(usages, "用水量（立方米）")
        sizes = _as_size_array(household_sizes, use.shape[0])
        frac = _fraction(fraction)
        prices = self.unit_prices()
        bounds = np.empty((len(self.limits) - 1, use.shape[0]))
        if self.household is not None:
            h = self.household
            if h.rule == "per_person":
                extra = h.volume * np.maximum(0, sizes - (h.base_persons or 0))
            else:
                extra = np.where(sizes >= (h.min_persons or 0), h.volume, 0.0)
        else:
            extra = np.zeros(use.shape[0])
        raised = self.household.tiers if self.household else ()
        for i, limit in enumerate(self.limits[:-1]):
            row = np.full(use.shape[0], float(limit)) if (i + 1) not in raised else limit + extra
            row = row * frac
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


def _as_float_array(values: Any, field_name: str) -> np.ndarray:
    import numpy as np

    try:
        arr = np.asarray(values, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise TariffInputError(f"{field_name}必须是一组数字。") from None
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise TariffInputError(
            f"{field_name}第 {i + 1} 个值必须是不小于 0 的有限数字，收到的是“{arr[i]}”。"
        )
    return arr


def _as_size_array(values: Any, n: int) -> np.ndarray:
    import numpy as np

    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TariffInputError("家庭人口（人）必须是一组 1 到 20 之间的整数。") from None
    arr = np.broadcast_to(arr, (n,)) if arr.ndim == 0 else arr.reshape(-1)
    if arr.shape[0] != n:
        raise TariffInputError(
            f"家庭人口（人）的个数（{arr.shape[0]}）必须与用水量的个数（{n}）相同。"
        )
    bad = ~np.isfinite(arr) | (arr < 1) | (arr > MAX_HOUSEHOLD_SIZE) | (arr != np.round(arr))
    if bad.any():
        i = int(np.argmax(bad))
        raise TariffInputError(
            f"家庭人口（人）第 {i + 1} 个值必须是 1 到 {MAX_HOUSEHOLD_SIZE} 之间的整数，"
            f"收到的是“{arr[i]}”。"
        )
    return arr


# ---------------------------------------------------------------------------
# loading
# ---------------------------------------------------------------------------


def summary_table(household_size: int = 3) -> Any:
    """A pandas table comparing every city's tiers and prices for one household size."""
    import pandas as pd

    rows = []
    for city in cities():
        t = load(city)
        prices = t.unit_prices()
        rows.append({
            "城市": t.name + ("（虚构）" if t.fictional else ""),
            "分档周期": "每" + t.period_name,
            "执行日期": f"{t.effective:%Y-%m-%d}",
            "各档上限（立方米）": " / ".join(f"{b:g}" for b in t.bounds(household_size)),
            "各档合计单价（元/立方米）": " / ".join(f"{x:.2f}" for x in prices),
            "价格之比": "1 : " + " : ".join(f"{x / prices[0]:.2f}" for x in prices[1:]),
        })
    return pd.DataFrame(rows)


def cities() -> list[str]:
    """Ids of the cities with a tariff file, e.g. ``["beijing", "shanghai", …]``."""
    return list_yaml("tariffs")


def load(city: str) -> Tariff:
    """Load a city's tariff by id (see :func:`cities`)."""
    known = cities()
    if city not in known:
        raise TariffInputError(f"城市“{city}”没有水价数据。可选的城市：{'、'.join(known)}。")
    return _load(city)


@cache
def _load(city: str) -> Tariff:
    raw = load_yaml(f"tariffs/{city}.yaml")
    return _from_dict(raw)


def _from_dict(raw: dict[str, Any]) -> Tariff:
    limits = tuple(None if x is None else float(x) for x in raw["tiers"])
    n = len(limits)
    components = tuple(
        Component(name=c["name"], tiered=bool(c["tiered"]), prices=tuple(map(float, c["prices"])))
        for c in raw["components"]
    )
    for comp in components:
        expected = n if comp.tiered else 1
        if len(comp.prices) != expected:
            raise ValueError(f"{raw['id']}: component {comp.name} needs {expected} prices")
    if limits[-1] is not None or any(x is None for x in limits[:-1]):
        raise ValueError(f"{raw['id']}: only the last tier may be open-ended")
    hh = raw.get("household")
    household = None
    if hh:
        household = HouseholdRule(
            rule=hh["rule"],
            volume=float(hh["volume"]),
            tiers=tuple(int(t) for t in hh.get("tiers") or ()),
            base_persons=hh.get("base_persons"),
            min_persons=hh.get("min_persons"),
            note=hh.get("note"),
        )
        if household.rule not in ("per_person", "step"):
            raise ValueError(f"{raw['id']}: unknown household rule {household.rule}")
    src = raw["source"]
    effective = raw["effective"]
    if isinstance(effective, str):
        effective = date.fromisoformat(effective)
    if raw["period"] not in PERIODS:
        raise ValueError(f"{raw['id']}: unknown period {raw['period']}")
    return Tariff(
        id=raw["id"],
        name=raw["name"],
        category=raw.get("category", "居民生活用水"),
        period=raw["period"],
        effective=effective,
        fictional=bool(raw.get("fictional", False)),
        source=Source(
            title=src.get("title"),
            document=src.get("document"),
            issuer=src["issuer"],
            url=src.get("url"),
            accessed_via=src.get("accessed_via"),
            notes=src.get("notes"),
        ),
        limits=limits,
        components=components,
        household=household,
        billing=raw.get("billing"),
        facts=tuple(raw.get("facts") or ()),
    )
