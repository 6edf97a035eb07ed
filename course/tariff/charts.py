"""Charts for tiered water bills: a stacked bar by tier and the marginal-price staircase."""

from __future__ import annotations

from typing import TYPE_CHECKING

from course.plotting import new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from course.tariff.design import HouseholdSample
    from course.tariff.model import Bill, Tariff

__all__ = [
    "TIER_COLOURS",
    "plot_bill",
    "plot_flat_vs_tiered",
    "plot_staircase",
    "plot_usage_distribution",
]

TIER_COLOURS = ("#4C9BE8", "#F2A541", "#E5484D", "#8E6CCF", "#2BA36B")


def plot_bill(bill: Bill) -> Figure:
    """Stacked bar: the bill's amount per tier, split by price component."""
    fig, ax = new_figure(5.6, 3.4)
    bottom = 0.0
    for tier, amount in bill.by_tier().items():
        ax.bar(["本期水费"], [amount], bottom=bottom, color=TIER_COLOURS[(tier - 1) % 5],
               label=f"第{tier}档 {amount:.2f} 元", width=0.5)
        if amount > 0:
            ax.text(0, bottom + amount / 2, f"第{tier}档\n{amount:.2f} 元", ha="center",
                    va="center", fontsize=9)
        bottom += amount
    ax.set_ylabel("金额（元）")
    ax.set_title(f"{bill.city_name}：合计 {bill.total:.2f} 元")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9, frameon=False)
    ax.set_xlim(-0.8, 0.8)
    return fig


def plot_staircase(tariff: Tariff, *, household_size: int = 3, usage: float | None = None,
                   fraction: float = 1.0) -> Figure:
    """The price of the next m³ against usage, with this household's position marked."""
    bounds = tariff.bounds(household_size, fraction)
    prices = tariff.unit_prices()
    top = max([*bounds, usage or 0.0]) * 1.3 or 10.0
    edges = [0.0, *bounds, top]
    fig, ax = new_figure(6.4, 3.4)
    for i, price in enumerate(prices):
        ax.hlines(price, edges[i], edges[i + 1], colors=TIER_COLOURS[i % 5], linewidth=4,
                  label=f"第{i + 1}档 {price:.2f} 元/立方米")
        if i + 1 < len(prices):
            ax.vlines(edges[i + 1], price, prices[i + 1], colors="#999999", linestyles=":")
    if usage is not None:
        here = tariff.marginal_price(usage, household_size=household_size)
        ax.axvline(usage, color="#222222", linestyle="--", linewidth=1)
        ax.annotate(f"本户用水 {usage:g} 立方米", xy=(usage, here), xytext=(6, 10),
                    textcoords="offset points", fontsize=9)
    ax.set_xlim(0, top)
    ax.set_xticks(sorted({0.0, *map(float, bounds)}))  # the tier bounds, readable off the axis
    ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:g}")
    ax.set_ylim(0, max(prices) * 1.25)
    ax.set_xlabel(f"每{tariff.period_name}用水量（立方米）")
    ax.set_ylabel("每多用 1 立方米的价格（元）")
    ax.set_title(f"{tariff.name}阶梯水价：{household_size} 人户的档位")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return fig


def plot_usage_distribution(sample: HouseholdSample, tariff: Tariff, *,
                            household_size: int = 3) -> Figure:
    """Histogram of one household size's usage in the sample, with that size's tier bounds."""
    usage = sample.usage[sample.size == household_size]
    bounds = tariff.bounds(household_size)
    fig, ax = new_figure(7, 3.4)
    top = max(float(usage.max()) if usage.size else 0.0, bounds[-1] * 1.5)
    ax.hist(usage, bins=60, range=(0, top), color=TIER_COLOURS[0])
    for i, bound in enumerate(bounds):
        ax.axvline(bound, color=TIER_COLOURS[i + 1], linestyle="--",
                   label=f"第{i + 1}档上限 {bound:g} 立方米")
    ax.legend(frameon=False)
    ax.set_xlabel(f"每{tariff.period_name}用水量（立方米）")
    ax.set_ylabel("户数")
    ax.set_title(f"模拟的{tariff.name} {household_size} 人户用水量分布（{usage.size} 户）")
    return fig


def plot_flat_vs_tiered(tariff: Tariff, flat_prices: dict[str, float], *, household_size: int = 3,
                        max_usage: float | None = None) -> Figure:
    """Bill against usage under the tiered tariff and under each labelled flat price."""
    import numpy as np

    top = max_usage or tariff.bounds(household_size)[-1] * 1.5
    usages = np.linspace(0, top, 121)
    fig, ax = new_figure(7, 3.6)
    ax.plot(usages, tariff.bills(usages, household_size), label="阶梯水价", linewidth=2.5)
    for (label, price), style in zip(flat_prices.items(), ("--", ":", "-."), strict=False):
        ax.plot(usages, usages * price, linestyle=style, label=f"{label}（{price:.2f} 元）")
    ax.set_xlabel(f"每{tariff.period_name}用水量（立方米）")
    ax.set_ylabel("水费（元）")
    ax.set_title(f"{tariff.name} {household_size} 人户：同样的用水量，不同价格下的水费")
    ax.legend(frameon=False)
    return fig


