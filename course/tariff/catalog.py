"""The cities whose tariffs ship in ``course/data/tariffs/``: listing, loading, comparing.

>>> load("beijing").bill(200).total
1040.00 元
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from course._data import list_yaml, load_yaml
from course.tables import Table, table
from course.tariff.inputs import PERIODS, TariffInputError
from course.tariff.model import Component, HouseholdRule, Source, Tariff

__all__ = ["cities", "load", "summary_table"]


def summary_table(household_size: int = 3) -> Table:
    """Every city's tiers and prices for one household size, as a table to read."""
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
    return table(rows, caption=f"各城市居民阶梯水价（按 {household_size} 人户计）")


def cities() -> list[str]:
    """Ids of the cities with a tariff file, e.g. ``["beijing", "shanghai", …]``."""
    return list_yaml("tariffs")


def load(city: str) -> Tariff:
    """Load a city's tariff by id (see :func:`cities`)."""
    known = cities()
    if city not in known:
        names = "、".join(f"\"{c}\"（{_load(c).name}）" for c in known)
        raise TariffInputError(f"没有城市“{city}”的水价数据。可以选的有：{names}。")
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
            volume=(tuple(float(v) for v in hh["volume"]) if isinstance(hh["volume"], list)
                    else float(hh["volume"])),
            tiers=tuple(int(t) for t in hh.get("tiers") or ()),
            base_persons=hh.get("base_persons"),
            min_persons=hh.get("min_persons"),
            note=hh.get("note"),
        )
        if household.rule not in ("per_person", "step"):
            raise ValueError(f"{raw['id']}: unknown household rule {household.rule}")
        if isinstance(household.volume, tuple) and len(household.volume) != len(household.tiers):
            raise ValueError(f"{raw['id']}: household.volume needs one amount per raised tier")
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
