"""Drawing one learner's variant of an item, deterministically, and what it asks for.

The numbers and the order of options come from a hash of the item, the learner id and the
attempt: the same learner sees the same variant every time (and the hidden test computes the
same one), two learners almost never share all of a paper's variants, and a practice retry
(``attempt`` + 1) gives fresh ones.
"""

from __future__ import annotations

import hashlib
import html
import math
import random
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from course.itembank.bank import Item, ItemBankError, get_item
from course.itembank.learner import learner_id

__all__ = ["Variant", "variant"]

LETTERS = "ABCDEFGH"
NAMES = ("张师傅", "李大姐", "王阿姨", "赵先生", "刘女士", "陈大爷", "杨师傅", "黄阿姨", "周先生",
         "吴女士", "郑大哥", "孙奶奶")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass(frozen=True)
class Variant:
    """One learner's version of an item: its text, shown options and (for numbers) the answer."""

    ref: str
    kind: str
    learner: str
    attempt: int
    text: str
    params: dict[str, Any] = field(default_factory=dict)
    options: tuple[tuple[str, str, str], ...] = ()  # (letter, id, text) in the shown order
    answer: float | None = None
    hint: str = ""
    right: str = ""  # drill: the id of the best option (drawn from the drill data)

    def letter_of(self, option_id: str) -> str:
        """The letter under which this learner sees option ``option_id``."""
        for letter, oid, _ in self.options:
            if oid == option_id:
                return letter
        raise ItemBankError(f"题目 {self.ref} 没有选项“{option_id}”。")

    def __str__(self) -> str:
        lines = [_BOLD.sub(r"\1", self.text)]
        lines += [f"{letter}. {text}" for letter, _, text in self.options]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        lines = [self.text, ""] if self.options else [self.text]
        lines += [f"- {letter}. {text}" for letter, _, text in self.options]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        body = "".join("<p>" + _BOLD.sub(r"<b>\1</b>", html.escape(p)) + "</p>"
                       for p in self.text.split("\n\n"))
        if self.options:
            body += "<ul style='list-style:none;padding-left:0.5em'>" + "".join(
                f"<li><b>{letter}.</b> {html.escape(text)}</li>" for letter, _, text in self.options
            ) + "</ul>"
        if self.kind == "chart":
            body += _chart_img(self.params["tariff_id"], int(self.params["household"]))
        return f"<div class='course-item' style='font-size:1.05em;line-height:1.7'>{body}</div>"


@cache
def _chart_img(tariff_id: str, household: int) -> str:
    """An inline PNG of the tier chart of ``tariff_id`` for a household of ``household``."""
    import base64
    import io

    import matplotlib.pyplot as plt

    from course.tariff import load
    from course.tariff.charts import plot_staircase

    fig = plot_staircase(load(tariff_id), household_size=household)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode()
    return (f"<img alt='{household} 人户的阶梯价格图' style='max-width:100%' "
            f"src='data:image/png;base64,{data}'>")


def variant(ref: str, learner: str | None = None, attempt: int = 0) -> Variant:
    """The variant of item ``ref`` (``<bank>.<item>``) for ``learner`` (default: the current one)."""
    item = get_item(ref)
    who = learner if learner is not None else learner_id()
    digest = hashlib.sha256(f"{item.ref}|{who}|{int(attempt)}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    draw = _DRAW[item.kind]
    return draw(item, rng, who, int(attempt))


def _pick(rng: random.Random, value: Any) -> Any:
    return rng.choice(value) if isinstance(value, list) else value


def _fill(template: str, params: dict[str, Any]) -> str:
    return str(template).format(**params).strip()


def _num(x: float) -> str:
    return f"{float(x):.2f}".rstrip("0").rstrip(".")


def _band(bounds: tuple[float, ...], tier: int) -> tuple[int, int]:
    """Whole-m³ usages strictly inside ``tier`` (never on a tier bound)."""
    b1, b2 = float(bounds[0]), float(bounds[1]) if len(bounds) > 1 else float(bounds[0]) * 2
    if tier == 1:
        return max(3, math.ceil(b1 * 0.4)), math.ceil(b1) - 1
    if tier == 2:
        return math.floor(b1) + 1, math.ceil(b2) - 1
    return math.floor(b2) + 1, math.floor(b2) + max(6, math.ceil((b2 - b1) * 0.8))


def _price_table(tariff: Any, bounds: tuple[float, ...]) -> str:
    prices = tariff.unit_prices()
    parts, low = [], 0.0
    for b, p in zip(bounds, prices, strict=False):
        parts.append(f"{_num(low)}–{_num(b)} 立方米（含 {_num(b)}）{float(p):.2f} 元/立方米")
        low = float(b)
    parts.append(f"{_num(low)} 立方米以上 {float(prices[len(bounds)]):.2f} 元/立方米")
    return "，".join(parts)


def _bill(item: Item, rng: random.Random, who: str, attempt: int) -> Variant:
    from course.tariff import load

    spec = item.spec
    tariff = load(_pick(rng, spec["tariff"]))
    size = int(_pick(rng, spec["household"]))
    tier = int(_pick(rng, spec["tier"]))
    bounds = tuple(tariff.bounds(size))
    lo, hi = _band(bounds, tier)
    usage = rng.randint(lo, max(lo, hi))
    bill = tariff.bill(usage, household_size=size)
    vol = bill.volume_by_tier()
    base = tuple(tariff.bounds(min(size, 4)))
    params = {"name": rng.choice(NAMES), "city_name": tariff.name, "household": size,
              "usage": usage, "period": tariff.period_name, "b1": _num(bounds[0]),
              "b2": _num(bounds[1]) if len(bounds) > 1 else "", "more": max(0, size - 4),
              "extra": _num(float(bounds[0]) - float(base[0])), "table": _price_table(tariff, bounds),
              "base_table": _price_table(tariff, base),
              "per_person": _num(float(tariff.bounds(5)[0]) - float(tariff.bounds(4)[0])),
              **{f"v{t}": _num(vol.get(t, 0)) for t in (1, 2, 3)}}
    return Variant(item.ref, item.kind, who, attempt, _fill(spec["text"], params), params,
                   answer=round(float(bill.total), 2), hint=_fill(spec.get("hint", ""), params))


def _chart(item: Item, rng: random.Random, who: str, attempt: int) -> Variant:
    """A tier chart to read: where tier 2 starts, or the price of the next m³ at a usage."""
    from course.tariff import load

    spec = item.spec
    tariff_id = _pick(rng, spec["tariff"])
    if tariff_id == "local":
        from course.local import current

        tariff_id = current().tariff_id
    tariff = load(tariff_id)
    size = int(_pick(rng, spec["household"]))
    bounds = tuple(tariff.bounds(size))
    params: dict[str, Any] = {"name": rng.choice(NAMES), "city_name": tariff.name, "household": size,
                              "period": tariff.period_name, "tariff_id": tariff_id, "ask": spec["ask"],
                              "b1": _num(bounds[0]), "b2": _num(bounds[1]) if len(bounds) > 1 else ""}
    if spec["ask"] == "tier2_start":
        result = float(bounds[0])
    else:
        tier = int(_pick(rng, spec["tier"]))
        lo, hi = _band(bounds, tier)
        params["usage"] = rng.randint(lo, max(lo, hi))
        params["tier"] = tier
        result = float(tariff.marginal_price(params["usage"], household_size=size))
    return Variant(item.ref, item.kind, who, attempt, _fill(spec["text"], params), params,
                   answer=round(result, 2), hint=_fill(spec.get("hint", ""), params))


def _rollover(item: Item, rng: random.Random, who: str, attempt: int) -> Variant:
    from course.tariff import usage_from_readings

    spec = item.spec
    digits = int(spec["digits"])
    previous, current = rng.randint(*spec["previous"]), rng.randint(*spec["current"])
    params = {"name": rng.choice(NAMES), "previous": previous, "current": current,
              "digits": digits, "top": "9" * digits, "to_top": 10 ** digits - 1 - previous}
    usage = usage_from_readings(previous, current, meter_digits=digits)
    return Variant(item.ref, item.kind, who, attempt, _fill(spec["text"], params), params,
                   answer=float(usage), hint=_fill(spec.get("hint", ""), params))


def _shuffled(item: Item, rng: random.Random, who: str, attempt: int) -> Variant:
    spec = item.spec
    entries = list(spec["options" if item.kind != "order" else "steps"])
    fixed = [e for e in entries if e.get("last")]
    moving = [e for e in entries if not e.get("last")]
    rng.shuffle(moving)
    shown = tuple((LETTERS[i], str(e["id"]), str(e["text"]).strip())
                  for i, e in enumerate([*moving, *fixed]))
    return Variant(item.ref, item.kind, who, attempt, str(spec["stem"]).strip(), {}, shown,
                   hint=str(spec.get("hint", "")).strip())


def _rewrite(item: Item, rng: random.Random, who: str, attempt: int) -> Variant:
    """A bad reply from one role-play beat; params carry the coach situation and a model reply."""
    from course.itembank.bank import BAD_SIGNALS
    from course.roleplay.catalog import load_scenario

    pool = []
    for rp, situation in sorted(item.spec["scenarios"].items()):
        sc = load_scenario(rp)
        goods = [[o.text for o in b.options if not set(o.signals) & {*BAD_SIGNALS, "overpromise"}]
                 for b in sc.beats]
        for n, beat in enumerate(sc.beats):
            for o in beat.options:
                if set(o.signals) & set(BAD_SIGNALS) and goods[n] and goods[-1]:
                    model = goods[n][0] + ("" if n == len(sc.beats) - 1 else goods[-1][0])
                    pool.append((sc, situation, beat.customer[0], o, model))
    sc, situation, customer, bad, model = rng.choice(pool)
    params = {"scenario": sc.id, "situation": situation, "job": sc.job, "title": sc.title,
              "customer": customer, "bad": bad.text, "original": bad.text, "model": model,
              "why": bad.why}
    return Variant(item.ref, item.kind, who, attempt, _fill(item.spec["text"], params), params,
                   hint=_fill(item.spec.get("hint", ""), params))


_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_STAND_INS = {"outlet": "本地媒体", "community": "某小区"}


def _plain_text(text: str) -> str:
    return _PLACEHOLDER.sub(lambda m: _STAND_INS.get(m.group(1), "某处"), str(text))


def _drill(item: Item, rng: random.Random, who: str, attempt: int) -> Variant:
    """One decision of a crisis drill, its options shuffled; ``right`` is its best option."""
    from course.crisis import incident

    pool = []
    for iid in item.spec["incidents"]:
        inc = incident(iid)
        for cp in inc.checkpoints:
            best = [o for o in cp.options if o.quality == "best"]
            if cp.kind == "decision" and len(best) == 1:
                pool.append((inc, cp, best[0]))
    inc, cp, best = rng.choice(pool)
    options = list(cp.options)
    rng.shuffle(options)
    shown = tuple((LETTERS[i], o.id, _plain_text(o.label)) for i, o in enumerate(options))
    params = {"incident": inc.id, "checkpoint": cp.id, "title": inc.title,
              "summary": _plain_text(inc.summary), "events": _plain_text("".join(cp.events)),
              "prompt": _plain_text(cp.prompt), "feedback": _plain_text(best.feedback)}
    return Variant(item.ref, item.kind, who, attempt, _fill(item.spec["text"], params), params, shown,
                   hint=_fill(item.spec.get("hint", ""), params), right=best.id)


_DRAW = {"bill": _bill, "rollover": _rollover, "choice": _shuffled, "multi": _shuffled,
         "order": _shuffled, "rewrite": _rewrite, "drill": _drill, "chart": _chart}
