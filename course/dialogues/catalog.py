"""Loading and checking the model dialogues in ``course/data/dialogues/`` (one file each).

Numbers in a dialogue are never typed by hand: a placeholder is filled from the course data —
``{本地.meter_test.fee}`` from the local profile, ``{水价.tier1_price}`` from its tariff,
``{账单.now.total}`` from a bill the file declares under ``bills`` (computed by
:mod:`course.tariff`), and ``{差额.now.usual}`` the difference of two such bills.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from course._data import list_yaml, load_yaml
from course.dialogues.model import GROUPS, VERSIONS, Dialogue, DialogueError, Tag, Turn, Version

__all__ = ["MAX_TURNS", "MIN_TURNS", "dialogue_ids", "load", "mistake_rules", "tariff_facts"]

MIN_TURNS, MAX_TURNS = 8, 12
_ANNOTATIONS = ("layers", "techniques", "strategies", "steps")
_TURN_KEYS = {"customer", "staff", "action", "note", "mistakes", "coach_misses", *_ANNOTATIONS}
_LAYERS = {1: "第1层 积极情感", 2: "第2层 核心问题", 3: "第3层 积极情感"}
_PLACEHOLDER = re.compile(r"\{(水价|账单|差额)\.([^{}]+)\}")
_BILL_FIELDS = ("usage", "persons", "total", "bound1", "bound2", "tier1_volume", "tier2_volume",
                "tier3_volume", "tier1_amount", "tier2_amount", "tier3_amount", "flat_tier1",
                "above_tier1")


def dialogue_ids(group: str | None = None) -> tuple[str, ...]:
    """Ids of the shipped dialogues (all, or one ``group``: ``faq`` or ``case``), by number."""
    if group is not None and group not in GROUPS:
        raise DialogueError(f"分组只能是 {'、'.join(GROUPS)}；收到的是 {group!r}。")
    found = [load(i) for i in list_yaml("dialogues")]
    found.sort(key=lambda d: (list(GROUPS).index(d.group), d.number, d.id))
    return tuple(d.id for d in found if group is None or d.group == group)


def load(dialogue_id: str) -> Dialogue:
    """One dialogue by id, its placeholders filled from the current local profile."""
    from course import local

    if not isinstance(dialogue_id, str) or dialogue_id not in list_yaml("dialogues"):
        known = "、".join(list_yaml("dialogues"))
        raise DialogueError(f"没有这段示范对话：{dialogue_id!r}。可选的有：{known}。")
    return _load(dialogue_id, local.current().key)


# --------------------------------------------------------------------------- reference tables


@cache
def _known() -> dict[str, dict[str, str]]:
    """id -> Chinese name, for every kind of annotation a dialogue may use."""
    techniques = {t["name"]: t["name"] for t in load_yaml("coach/techniques.yaml")["techniques"]}
    raw = load_yaml("strategies.yaml")
    strategies = {s["id"]: f"{s['number']}. {s['name']}" for s in raw["strategies"]}
    strategies |= {s["id"]: f"升级投诉·{s['name']}" for s in raw["escalation_strategies"]}
    steps = {}
    for list_id, data in load_yaml("coach/process.yaml")["lists"].items():
        for n, item in enumerate(data["items"], 1):
            steps[f"{list_id}:{n}"] = f"{data['title']} {n}. {item['name']}"
    acts = load_yaml("coach/acts.yaml")["acts"]
    mistakes = {k: f"禁语·{v['name']}" for k, v in acts.items() if v["kind"] == "forbidden"}
    mistakes |= {k: v.replace("避免二十种错误的服务方式", "二十种错误")
                 for k, v in steps.items() if k.startswith("wrong_ways:")}
    return {"techniques": techniques, "strategies": strategies, "steps": steps,
            "mistakes": mistakes}


def mistake_rules(mistake_id: str) -> frozenset[str]:
    """The reply coach's rules that detect a mistake: a forbidden act is its own rule; each of
    the twenty wrong ways maps to rules in ``dialogues/_mistakes.yaml``."""
    if not mistake_id.startswith("wrong_ways:"):
        return frozenset({mistake_id})
    table = load_yaml("dialogues/_mistakes.yaml")["wrong_ways"]
    return frozenset(table.get(int(mistake_id.split(":")[1])) or ())


# --------------------------------------------------------------------------- numbers from the data


def _money(x: float) -> str:
    return f"{float(x):.2f}"


def _volume(x: float) -> str:
    return f"{round(float(x), 2):g}"


def tariff_facts(profile: Any) -> dict[str, str]:
    """The ``{水价.…}`` values: the local tariff's tier bounds (a household of the base size)
    and prices per m³, as a learner reads them."""
    t = profile.tariff()
    size = t.household.base_persons if t.household and t.household.base_persons else 3
    out = {"city": t.name, "period": t.period_name}
    for i, b in enumerate(t.bounds(size), 1):
        out[f"tier{i}_limit"] = _volume(b)
    for i, p in enumerate(t.unit_prices(), 1):
        out[f"tier{i}_price"] = _money(p)
    for comp in t.components:
        for i in range(1, t.n_tiers + 1):
            out[f"{comp.name}{i}"] = _money(comp.price(i))
    days = {"annual": 365, "monthly": 30, "bimonthly": 61}.get(t.period)
    if days:  # litres per person per day in tier 1, for a household of three
        out["tier1_daily_litres_3"] = f"{t.bounds(3)[0] * 1000 / days / 3:.0f}"
    if t.household and t.household.rule == "per_person":
        out["household_base"] = str(t.household.base_persons)
        out["household_volume"] = _volume(t.household.volume_on(1))
    return out


def _bill(profile: Any, spec: Any, where: str) -> dict[str, str]:
    if not isinstance(spec, dict) or "usage" not in spec or set(spec) - {"usage", "persons"}:
        raise DialogueError(f"{where}：每张账单写成 {{usage: 用水量, persons: 人口}}"
                            f"（persons 可省略，默认 3 人）；收到的是 {spec!r}。")
    t = profile.tariff()
    persons = spec.get("persons", 3)
    try:
        bill = t.bill(spec["usage"], household_size=persons)
    except ValueError as e:
        raise DialogueError(f"{where}：{e}") from None
    by_tier, vols = bill.by_tier(), bill.volume_by_tier()
    flat = float(bill.usage) * float(t.unit_prices()[0])
    out = {"usage": _volume(bill.usage), "persons": str(bill.household_size),
           "total": _money(bill.total), "flat_tier1": _money(flat),
           "above_tier1": _money(float(bill.total) - flat)}
    for i, b in enumerate(bill.bounds, 1):
        out[f"bound{i}"] = _volume(b)
    for i in range(1, t.n_tiers + 1):
        out[f"tier{i}_amount"] = _money(by_tier.get(i, 0))
        out[f"tier{i}_volume"] = _volume(vols.get(i, 0))
    return out


def _filler(raw: dict, profile: Any, where: str):
    facts = tariff_facts(profile)
    specs = raw.get("bills") or {}
    if not isinstance(specs, dict):
        raise DialogueError(f"{where} 的 bills：要写成“名字: {{usage: 用水量}}”的列表。")
    bills = {name: _bill(profile, s, f"{where} 的 bills.{name}") for name, s in specs.items()}

    def value(space: str, key: str, field: str) -> str:
        parts = key.split(".")
        if space == "水价" and len(parts) == 1 and key in facts:
            return facts[key]
        if space == "账单" and len(parts) == 2 and parts[0] in bills and parts[1] in bills[parts[0]]:
            return bills[parts[0]][parts[1]]
        if space == "差额" and len(parts) == 2 and all(p in bills for p in parts):
            a, b = (float(bills[p]["total"]) for p in parts)
            return _money(a - b)
        allowed = {"水价": "、".join(facts), "账单": f"账单名（{'、'.join(bills) or '未声明'}）."
                   + "／".join(_BILL_FIELDS), "差额": "两个账单名，如 {差额.now.usual}"}[space]
        raise DialogueError(f"{where} 的 {field}：占位符 {{{space}.{key}}} 填不上；"
                            f"可用的有：{allowed}。")

    def fill(text: str, field: str) -> str:
        text = _PLACEHOLDER.sub(lambda m: value(m.group(1), m.group(2), field), text)
        try:
            text = profile.fill(text)
        except (KeyError, TypeError):
            raise DialogueError(f"{where} 的 {field}：本地档案里没有占位符所指的项目"
                                f"（{text[:40]}…）。") from None
        if "{" in text or "}" in text:
            raise DialogueError(f"{where} 的 {field}：有没填上的占位符：{text[:60]}。")
        return text

    return fill


# --------------------------------------------------------------------------- checking one file


def _text(raw: dict, key: str, where: str, required: bool = True) -> str:
    value = raw.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise DialogueError(f"{where} 缺少 {key}（一段文字）。")
    return value.strip()


def _tags(turn: dict, where: str, bad: bool) -> tuple[Tag, ...]:
    known = _known()
    out: list[Tag] = []
    layers = turn.get("layers") or []
    if not isinstance(layers, list) or any(x not in _LAYERS for x in layers):
        raise DialogueError(f"{where} 的 layers：只能写 1、2、3 中的几个，如 [1, 2, 3]；"
                            f"收到的是 {layers!r}。")
    out += [Tag("layer", str(x), _LAYERS[x]) for x in layers]
    for field, kind in (("techniques", "technique"), ("strategies", "strategy"),
                        ("steps", "step"), ("mistakes", "mistake")):
        ids = turn.get(field) or []
        if not isinstance(ids, list):
            raise DialogueError(f"{where} 的 {field}：要写成列表，如 [{next(iter(known[field]))}]。")
        for x in ids:
            if x not in known[field]:
                sample = "、".join(list(known[field])[:8])
                raise DialogueError(f"{where} 的 {field}：课程里没有“{x}”。可用的例如：{sample}……"
                                    f"（全部见 {_SOURCES[field]}）。")
            out.append(Tag(kind, str(x), known[field][x]))
    if bad and turn.get("coach_misses") and not turn.get("mistakes"):
        raise DialogueError(f"{where}：写了 coach_misses 就要在 mistakes 里写出是哪种错误。")
    if not bad and (turn.get("mistakes") or turn.get("coach_misses")):
        raise DialogueError(f"{where}：好的示范里不能标错误（mistakes、coach_misses 只用于 bad）。")
    if not bad and not any(t.kind != "mistake" for t in out):
        raise DialogueError(f"{where}：好的示范里员工的每句话都要标出用到的方法"
                            f"（{'、'.join(_ANNOTATIONS)} 至少写一项）。")
    return tuple(out)


_SOURCES = {"techniques": "course/data/coach/techniques.yaml",
            "strategies": "course/data/strategies.yaml",
            "steps": "course/data/coach/process.yaml（清单编号:序号，如 routine_steps:1）",
            "mistakes": "course/data/coach/acts.yaml 的禁语，或 wrong_ways:1 到 wrong_ways:20"}


def _version(raw: Any, kind: str, where: str, fill) -> Version:
    here = f"{where} 的 {kind}"
    if not isinstance(raw, dict) or not isinstance(raw.get("turns"), list):
        raise DialogueError(f"{here}：要有 turns（一句一行的对话列表）。")
    turns_raw = raw["turns"]
    if not MIN_TURNS <= len(turns_raw) <= MAX_TURNS:
        raise DialogueError(f"{here}.turns：对话要有 {MIN_TURNS}–{MAX_TURNS} 句，"
                            f"现在是 {len(turns_raw)} 句。")
    turns = []
    for n, t in enumerate(turns_raw, 1):
        at = f"{here} 第 {n} 句"
        if not isinstance(t, dict) or len({"customer", "staff"} & set(t)) != 1:
            raise DialogueError(f"{at}：每句要么是 customer（客户说），要么是 staff（员工说）。")
        extra = set(t) - _TURN_KEYS
        if extra:
            raise DialogueError(f"{at}：不认识的字段 {'、'.join(sorted(extra))}；"
                                f"可用的字段：{'、'.join(sorted(_TURN_KEYS))}。")
        speaker = "customer" if "customer" in t else "staff"
        if speaker == "customer":
            if set(t) - {"customer", "action"}:
                raise DialogueError(f"{at}：客户的话不需要标注，只写 customer（可加 action）。")
            turns.append(Turn("customer", fill(_text(t, "customer", at), f"{kind} 第 {n} 句"),
                              action=_text(t, "action", at, required=False)))
            continue
        turns.append(Turn(
            "staff", fill(_text(t, "staff", at), f"{kind} 第 {n} 句"),
            action=fill(_text(t, "action", at, required=False), f"{kind} 第 {n} 句 action"),
            tags=_tags(t, at, kind == "bad"),
            note=fill(_text(t, "note", at, required=kind == "good"), f"{kind} 第 {n} 句 note"),
            coach_misses=bool(t.get("coach_misses", False))))
    if not any(t.is_staff for t in turns):
        raise DialogueError(f"{here}：对话里没有员工说的话。")
    if kind == "bad" and not any(t.mistakes for t in turns):
        raise DialogueError(f"{here}：错误的示范至少要有一句标出 mistakes。")
    outcome = fill(_text(raw, "outcome", here, required=False), f"{kind} 的 outcome")
    return Version(kind=kind, turns=tuple(turns), outcome=outcome)


@cache
def _load(dialogue_id: str, profile_key: str) -> Dialogue:
    import json

    from course.local import Profile

    where = f"对话文件 dialogues/{dialogue_id}.yaml"
    raw = load_yaml(f"dialogues/{dialogue_id}.yaml")
    if not isinstance(raw, dict):
        raise DialogueError(f"{where}：内容要是“字段: 值”的形式。")
    if raw.get("id") != dialogue_id:
        raise DialogueError(f"{where} 的 id：要和文件名一致（{dialogue_id}），"
                            f"收到的是 {raw.get('id')!r}。")
    group = raw.get("group")
    if group not in GROUPS:
        raise DialogueError(f"{where} 的 group：只能是 {'、'.join(GROUPS)}；收到的是 {group!r}。")
    top = 9 if group == "faq" else 8
    number = raw.get("number")
    if not isinstance(number, int) or not 1 <= number <= top:
        raise DialogueError(f"{where} 的 number：{GROUPS[group]}的序号是 1–{top} 的整数；"
                            f"收到的是 {number!r}。")
    scenario = raw.get("scenario")
    if scenario is not None:
        known = {s["id"] for s in load_yaml("coach/scenarios.yaml")["scenarios"]}
        if scenario not in known:
            raise DialogueError(f"{where} 的 scenario：回复教练没有这个场景 {scenario!r}；"
                                f"可用的有：{'、'.join(sorted(known))}。")
    roleplay = raw.get("roleplay")
    if roleplay is not None and roleplay not in list_yaml("scenarios"):
        raise DialogueError(f"{where} 的 roleplay：角色扮演里没有场景 {roleplay!r}。")
    fill = _filler(raw, Profile(json.loads(profile_key)), where)
    for kind in VERSIONS:
        if kind not in raw:
            raise DialogueError(f"{where}：缺少 {kind}（{VERSIONS[kind]}）。")
    return Dialogue(
        id=dialogue_id, title=_text(raw, "title", where), group=group, number=number,
        source=_text(raw, "source", where), setting=fill(_text(raw, "setting", where), "setting"),
        channel=_text(raw, "channel", where), customer=_text(raw, "customer", where),
        staff=_text(raw, "staff", where),
        good=_version(raw["good"], "good", where, fill),
        bad=_version(raw["bad"], "bad", where, fill),
        scenario=scenario, roleplay=roleplay)
