"""The item bank: parameterised questions in ``course/data/items/<bank>.yaml``, validated.

An item is named ``<bank>.<item>`` (for example ``ch1.q1_bill_tier1``). Its ``kind`` says how its
variants are drawn (see :mod:`course.itembank.variants`):

- ``bill``: a household's bill — ``tariff`` (city ids), ``household`` (sizes), ``tier`` (tiers the
  usage falls in), ``text`` and ``hint`` templates;
- ``rollover``: meter readings across a roll-over — ``previous`` and ``current`` ranges, ``digits``;
- ``choice`` / ``multi``: a stem and ``options`` (``id`` and ``text``), shown in a shuffled order;
- ``order``: a stem and ``steps`` (``id`` and ``text``), shown shuffled, to be put in order;
- ``rewrite``: a bad reply drawn from the role-play scenarios (``scenarios``: role-play id → the
  reply coach's situation), to be rewritten; the coach grades it for that learner's situation;
- ``drill``: a decision of a crisis drill (``incidents``), its options shuffled;
- ``chart``: a tier chart to read — ``tariff`` (``local`` for the utility's own tariff, or city
  ids), ``household`` (sizes), ``ask`` (``tier2_start``: where tier 2 starts; ``marginal``: the
  price of the next m³ at a usage inside ``tier``); the variant shows that household's chart.

Which option of a ``choice``/``multi``/``order`` item is right is not in the bank: the hidden test
names it (``letter(ref, "id")``). ``rewrite`` and ``drill`` items draw on the role-play and drill
data, whose good and bad moves the lessons teach openly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from course._data import list_yaml, load_yaml

__all__ = ["KINDS", "Item", "ItemBankError", "banks", "get_item", "items"]

KINDS = ("bill", "rollover", "choice", "multi", "order", "rewrite", "drill", "chart")
_REQUIRED = {
    "bill": ("tariff", "household", "tier", "text"),
    "rollover": ("previous", "current", "digits", "text"),
    "choice": ("stem", "options"),
    "multi": ("stem", "options"),
    "order": ("stem", "steps"),
    "rewrite": ("scenarios", "text"),
    "drill": ("incidents", "text"),
    "chart": ("tariff", "household", "ask", "text"),
}
#: What a ``chart`` item can ask.
CHART_ASKS = {"tier2_start": "第二档从多少立方米开始", "marginal": "再多用 1 立方米的价格"}

#: A role-play option with one of these signals is a bad reply a learner can be asked to rewrite.
BAD_SIGNALS = ("forbidden", "shirk", "argue", "cold", "pressure", "blame")


class ItemBankError(ValueError):
    """A bad item reference or a bad bank file, explained in Chinese."""


@dataclass(frozen=True)
class Item:
    """One parameterised question of the bank."""

    bank: str
    id: str
    kind: str
    spec: dict[str, Any]
    skill: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.bank}.{self.id}"


def banks() -> list[str]:
    """Names of the item banks (files in ``course/data/items/``)."""
    return list_yaml("items")


@cache
def items(bank: str) -> dict[str, Item]:
    """Every item of ``bank``, validated; raises :class:`ItemBankError` naming item and field."""
    if bank not in banks():
        raise ItemBankError(f"没有题库“{bank}”。现有题库：{'、'.join(banks()) or '（无）'}。")
    raw = load_yaml(f"items/{bank}.yaml") or {}
    if not isinstance(raw, dict):
        raise ItemBankError(f"题库文件 items/{bank}.yaml 应当是“题目编号: 内容”的列表。")
    return {key: _item(bank, str(key), spec) for key, spec in raw.items()}


def get_item(ref: str) -> Item:
    """The item named ``<bank>.<item>``."""
    bank, _, name = str(ref).partition(".")
    if not name:
        raise ItemBankError(f"题目编号“{ref}”应写成“题库.题目”，例如 ch1.q1_bill_tier1。")
    found = items(bank)
    if name not in found:
        raise ItemBankError(f"题库“{bank}”里没有题目“{name}”。")
    return found[name]


def _item(bank: str, key: str, spec: Any) -> Item:
    where = f"items/{bank}.yaml 的 {key}"
    if not isinstance(spec, dict):
        raise ItemBankError(f"{where}：应当是一组“字段: 值”。")
    kind = spec.get("kind")
    if kind not in KINDS:
        raise ItemBankError(f"{where}：kind 只能是 {'、'.join(KINDS)} 之一，现在是“{kind}”。")
    missing = [f for f in _REQUIRED[kind] if f not in spec]
    if missing:
        raise ItemBankError(f"{where}：缺少字段 {'、'.join(missing)}。")
    if kind == "bill":
        _check_bill(where, spec)
    elif kind == "rollover":
        for f in ("previous", "current"):
            _range(where, f, spec[f])
    elif kind == "rewrite":
        _check_rewrite(where, spec)
    elif kind == "drill":
        _check_drill(where, spec)
    elif kind == "chart":
        _check_chart(where, spec)
    else:
        entries = spec["options" if kind != "order" else "steps"]
        _check_entries(where, "options" if kind != "order" else "steps", entries)
    return Item(bank, key, kind, spec, spec.get("skill"))


def _check_rewrite(where: str, spec: dict[str, Any]) -> None:
    from course.coach import list_scenarios
    from course.roleplay.catalog import scenario_ids

    pool = spec["scenarios"]
    if not isinstance(pool, dict) or not pool:
        raise ItemBankError(f"{where}：scenarios 应当写成“角色扮演情景: 回复教练的投诉情境”。")
    situations = {getattr(s, "id", s) for s in list_scenarios()}
    for rp, situation in pool.items():
        if rp not in scenario_ids():
            raise ItemBankError(f"{where}：scenarios 里的“{rp}”不是角色扮演情景（可用：{'、'.join(scenario_ids())}）。")
        if situation not in situations:
            raise ItemBankError(f"{where}：scenarios 里“{rp}”对应的“{situation}”不是回复教练的投诉情境"
                                f"（可用：{'、'.join(sorted(situations))}）。")


def _check_drill(where: str, spec: dict[str, Any]) -> None:
    from course.crisis import incidents

    known = [getattr(i, "id", i) for i in incidents()]
    pool = spec["incidents"]
    if not isinstance(pool, list) or not pool or any(i not in known for i in pool):
        raise ItemBankError(f"{where}：incidents 应当是危机演练事件的列表（可用：{'、'.join(known)}）。")


def _check_chart(where: str, spec: dict[str, Any]) -> None:
    if spec["ask"] not in CHART_ASKS:
        allowed = "、".join(f"{k}（{v}）" for k, v in CHART_ASKS.items())
        raise ItemBankError(f"{where}：ask 只能是 {allowed}，现在是“{spec['ask']}”。")
    if spec["ask"] == "marginal" and "tier" not in spec:
        raise ItemBankError(f"{where}：ask 是 marginal 时要写 tier（用水量落在第几档）。")
    _check_bill(where, {"tier": 1, **spec}, local_ok=True)


def _check_bill(where: str, spec: dict[str, Any], *, local_ok: bool = False) -> None:
    from course.tariff import cities

    tariffs = spec["tariff"] if isinstance(spec["tariff"], list) else [spec["tariff"]]
    unknown = [t for t in tariffs if t not in cities() and not (local_ok and t == "local")]
    if unknown:
        raise ItemBankError(f"{where}：tariff 里的 {'、'.join(map(str, unknown))} 不是课程里的城市"
                            f"（可用：{'、'.join(cities())}）。")
    for f, allowed in (("household", range(1, 13)), ("tier", (1, 2, 3))):
        values = spec[f] if isinstance(spec[f], list) else [spec[f]]
        if not values or any(v not in allowed for v in values):
            raise ItemBankError(f"{where}：{f} 应当是 {min(allowed)}–{max(allowed)} 之间的整数列表。")


def _range(where: str, field: str, value: Any) -> None:
    ok = (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)
          and value[0] <= value[1])
    if not ok:
        raise ItemBankError(f"{where}：{field} 应当写成 [最小, 最大] 两个整数。")


def _check_entries(where: str, field: str, entries: Any) -> None:
    if not isinstance(entries, list) or not 2 <= len(entries) <= 8:
        raise ItemBankError(f"{where}：{field} 应当有 2–8 项。")
    ids = [e.get("id") if isinstance(e, dict) else None for e in entries]
    if any(not i or not isinstance(e.get("text"), str) or not e["text"].strip()
           for i, e in zip(ids, entries, strict=True)):
        raise ItemBankError(f"{where}：{field} 的每一项都要有 id 和 text。")
    if len(set(ids)) != len(ids):
        raise ItemBankError(f"{where}：{field} 的 id 有重复。")
