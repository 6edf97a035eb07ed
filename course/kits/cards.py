"""The role-play kit's content: customer card, staff card and observer sheet, from the data.

Everything is derived from the scenario (``course/data/scenarios/``), the local profile
(``course/data/local/``) and the coach's checklists, so the printed kit stays in sync with the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from course.roleplay import Scenario

__all__ = ["Card", "Item", "KitError", "Score", "Section", "customer_card", "observer_sheet",
           "score", "sheet_items", "staff_card"]

#: Who may read each card (printed in its header).
AUDIENCE = {
    "customer": "顾客卡 · 仅扮演顾客的学员阅读，请勿给员工看",
    "staff": "员工卡 · 仅扮演员工的学员阅读，请勿给顾客看",
    "observer": "观察员记录表 · 观察员使用，演练结束后与双方一起复盘",
}
#: Item groups of the observer sheet; the 禁语 group counts against, the others for.
GROUPS = {"action": "十五个动作", "step": "十大步骤", "layer": "三层要诀",
          "move": "本场景关键动作", "forbidden": "禁语（听到就勾）"}
_LAYER_HINTS = {1: "开口先接住情绪：理解、致歉或感谢客户来反映",
                2: "讲清并落实客户的核心问题：查什么、怎么办、谁负责、什么时候",
                3: "结尾再表达关心：感谢、确认客户还有没有别的需要"}
_CHANNEL_VARIANT = {"电话": "phone", "上门": "door"}


class KitError(ValueError):
    """Bad input to the kit engine; the message (Chinese) names the field and what is allowed."""

    user_facing = True


@dataclass(frozen=True)
class Item:
    """One line of a card; on the observer sheet a box to tick (``id`` is stable)."""

    id: str
    text: str
    hint: str = ""


@dataclass(frozen=True)
class Section:
    """A titled block of a card."""

    title: str
    items: tuple[Item, ...]
    group: str = ""  # observer sheet: action / step / layer / move / forbidden


@dataclass(frozen=True)
class Card:
    """One printable page for one role of one scenario."""

    kind: str  # customer / staff / observer
    scenario_id: str
    title: str
    sections: tuple[Section, ...]

    @property
    def audience(self) -> str:
        """Who may read this card (Chinese)."""
        return AUDIENCE[self.kind]

    def text(self) -> str:
        """All the card's text, one line per item (for search and tests)."""
        lines = [self.audience, self.title]
        for s in self.sections:
            lines.append(s.title)
            lines += [f"{i.text} {i.hint}".strip() for i in s.items]
        return "\n".join(lines)


@dataclass(frozen=True)
class Score:
    """The observer's tally: good items ticked out of all good items, and 禁语 heard."""

    score: int
    max: int
    forbidden_heard: int

    def __str__(self) -> str:
        return f"做到 {self.score} / {self.max} 项，听到禁语 {self.forbidden_heard} 次"


def _scenario(scenario: Scenario | str) -> Scenario:
    from course import roleplay

    if isinstance(scenario, str):
        try:
            return roleplay.scenario(scenario)
        except roleplay.RoleplayError as exc:
            raise KitError(str(exc)) from None
    return scenario


def _label(signal: str) -> str:
    from course.roleplay import signal_label

    return signal_label(signal)


def _harmful_signals(s: Scenario) -> list[str]:
    from course.roleplay.catalog import rules

    table = rules().signals
    seen: list[str] = []
    for beat in s.beats:
        for opt in beat.options:
            for sig in opt.signals:
                if not table[sig].helps and sig not in seen:
                    seen.append(sig)
    return seen


def _key_option(beat: Any) -> Any:
    """The first option of a beat that reaches its goal with no harmful signal."""
    from course.roleplay.catalog import rules

    table = rules().signals
    for opt in beat.options:
        if set(opt.signals) & set(beat.goal) and all(table[x].helps for x in opt.signals):
            return opt
    return None


def _short(text: str, limit: int = 45) -> str:
    return text if len(text) <= limit else text[:limit] + "……"


def customer_card(scenario: Scenario | str) -> Card:
    """The customer's card: situation, hidden motive, what escalates, what calms, when to end."""
    from course.roleplay.catalog import rules

    s = _scenario(scenario)
    r = rules()
    need = r.needs[s.need]
    ctype = r.customer_types.get(s.customer_type, {})
    situation = (Item("situation", f"你是{s.customer_name}：{s.profile}。"),
                 Item("channel", f"你在和{s.job}打交道（{s.channel}）。"),
                 Item("opening", f"开场白：{s.beats[0].customer[0]}"))
    motive = [Item("need", f"你真正想要的：{s.need}——{need['description']}"),
              Item("type", f"你的性格：{s.customer_type}。{ctype.get('trait', '')}")]
    if s.compensation_type:
        motive.append(Item("compensation", "你希望得到一些补偿，但底线不是钱本身。"))
    else:
        motive.append(Item("compensation", "你并不是来要补偿的：要的是被当回事、问题有着落。"))
    default = r.default_reactions
    escalate = []
    for sig in _harmful_signals(s):
        lines = s.reactions.get(sig) or default.get(sig) or ()
        say = f"你可以说：{lines[0]}" if lines else "你更生气，声音更大。"
        escalate.append(Item(f"escalate_{sig}", f"员工{_label(sig)}时", say))
    calm = []
    for n, beat in enumerate(s.beats, 1):
        goals = "或".join(_label(g) for g in beat.goal)
        line = "（开场白）" if n == 1 else beat.customer[0]
        tail = "" if n < len(s.beats) else "　做到了就准备收尾（见下）。"
        calm.append(Item(f"calm_{beat.id}", f"第{n}步：你说{line}——员工要{goals}，才往下一步。",
                         f"没做到就说：{beat.pushback[0]}{tail}"))
    end = []
    ok = s.endings.get("success")
    if ok:
        end.append(Item("end_success", f"员工把以上 {len(s.beats)} 步都做到了，你的火气消了",
                        f"说：{ok.line}"))
    ho = s.endings.get("handover")
    if ho:
        end.append(Item("end_handover", f"员工请{ho.to}出面接手（太早推给别人算推诿，你更生气）",
                        f"说：{ho.line}"))
    bad = s.endings.get("explode")
    if bad:
        where = f"（去{bad.to}）" if bad.to else ""
        end.append(Item("end_explode", f"员工一再犯上面“会让你更生气”的错，你忍无可忍{where}",
                        f"说：{bad.line}"))
    late = s.endings.get("timeout")
    if late:
        end.append(Item("end_timeout", f"说了 {s.turn_limit} 轮还没有着落", f"说：{late.line}"))
    return Card("customer", s.id, s.title, (
        Section("你的处境", situation), Section("你心里真正想要的（不要直接说出来）", tuple(motive)),
        Section("什么会让你更生气", tuple(escalate)), Section("什么会让你平静下来", tuple(calm)),
        Section("什么时候结束", tuple(end))))


def staff_card(scenario: Scenario | str, profile: Any = None) -> Card:
    """The staff card: the facts the staff member knows and the authority limits of the profile."""
    from course import local, roleplay

    s = _scenario(scenario)
    p = profile if profile is not None else local.current()
    facts = [Item("situation", f"你是{s.job}（{s.channel}），单位：{p.utility}。"),
             Item("case", f"情形：{s.case_text}"),
             Item("customer", f"来的客户：{s.customer_name}。"),
             Item("hotline", f"服务热线：{p.text('hotline.number')}（{p.text('hotline.hours')}）")]
    auth = p.get("authority")
    limits = (Item("counter_clerk", "你可以当场办理：" + "、".join(auth["counter_clerk"])),
              Item("supervisor", "须由主管批准：" + "、".join(auth["supervisor"])),
              Item("never", "任何人都不能：" + "、".join(auth["never"])),
              Item("late_fee_waiver", f"减免违约金由谁批准：{p.text('late_fee.waiver')}"))
    ho = s.endings.get("handover")
    if ho:
        limits += (Item("handover", f"需要移交时请：{ho.to}（客户情绪升到第{s.handover_from_level}级"
                                    "及以上时移交才算对，太早移交算推诿）"),)
    sections = [Section("你知道的情况", tuple(facts)), Section("你的权限（本地规定）", limits)]
    if s.legal:
        from course import legal

        law = tuple(Item(f"legal_{e.id}", f"{e.topic}：{e.cite()}。{e.gist}",
                         f"可以这样说：“{e.may_say[0]}”" + (f"　必须转交/上报：{e.refer[0]}"
                                                          if e.refer else ""))
                    for e in (legal.entry(i) for i in s.legal))
        sections.append(Section("法律依据", law))
    strat = tuple(Item(f"strategy_{x}", f"{st.name}：{st.what}")
                  for x in s.strategies for st in (roleplay.strategy(x),))
    sections.append(Section("可以用的策略", strat))
    if s.safety_protocol:
        steps = tuple(Item(f"safety_{st.id}", f"{n}. {st.name}：{st.detail}")
                      for n, st in enumerate(roleplay.safety_protocol(), 1))
        steps += (Item("safety_never", "绝不做：" + "；".join(roleplay.safety_never())),)
        sections.append(Section("安全预案（按顺序）", steps))
    return Card("staff", s.id, s.title, tuple(sections))


def observer_sheet(scenario: Scenario | str) -> Card:
    """The observer's sheet: 15 actions, 10 steps, the three layers, the key moves, 禁语 heard."""
    from course.coach import list_forbidden_rules
    from course.coach.knowledge import checklist
    from course.coach.model import LAYER_NAMES

    s = _scenario(scenario)
    variant = _CHANNEL_VARIANT.get(s.channel, "")

    def checklist_items(list_id: str, prefix: str) -> tuple[Item, ...]:
        return tuple(Item(f"{prefix}{i.number}", f"{i.number}. {i.name}",
                          (getattr(i, variant) if variant else "") or i.tip)
                     for i in checklist(list_id).items)

    moves = []
    for n, beat in enumerate(s.beats, 1):
        opt = _key_option(beat)
        moves.append(Item(f"move_{beat.id}",
                          f"第{n}步：{'或'.join(_label(g) for g in beat.goal)}",
                          f"参考说法：{_short(opt.text)}" if opt else ""))
    layers = tuple(Item(f"layer{n}", LAYER_NAMES[n], _LAYER_HINTS[n]) for n in (1, 2, 3))
    forbidden = tuple(Item(f"forbidden_{a.id}", a.name, f"例：{a.example}")
                      for a in list_forbidden_rules())
    return Card("observer", s.id, s.title, (
        Section(GROUPS["move"], tuple(moves), "move"),
        Section(GROUPS["layer"], layers, "layer"),
        Section(GROUPS["action"], checklist_items("fifteen_actions", "action"), "action"),
        Section(GROUPS["step"], checklist_items("ten_steps", "step"), "step"),
        Section(GROUPS["forbidden"], forbidden, "forbidden")))


def sheet_items(sheet: Card) -> tuple[tuple[str, Item], ...]:
    """(group, item) for every box of an observer sheet."""
    return tuple((sec.group, it) for sec in sheet.sections for it in sec.items)


def score(sheet: Card, ticks: Mapping[str, bool]) -> Score:
    """Tally an observer's ticks (``{item_id: bool}``); unknown ids are an error."""
    if sheet.kind != "observer":
        raise KitError(f"只能给观察员记录表计分；收到的是{AUDIENCE[sheet.kind][:3]}。")
    groups = dict((it.id, g) for g, it in sheet_items(sheet))
    unknown = [k for k in ticks if k not in groups]
    if unknown:
        raise KitError(f"勾选项 {'、'.join(map(str, unknown))} 不在场景 {sheet.scenario_id} "
                       "的观察员记录表上；可用的编号见记录表（如 action1、step1、layer1、move_…）。")
    good = [k for k, g in groups.items() if g != "forbidden"]
    return Score(score=sum(bool(ticks.get(k)) for k in good), max=len(good),
                 forbidden_heard=sum(bool(v) for k, v in ticks.items() if groups[k] == "forbidden"))
