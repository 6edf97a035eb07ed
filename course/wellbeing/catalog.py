"""Reading and checking ``course/data/wellbeing/*.yaml`` (breathing, debrief, aftercare).

Every ``parse_*`` function takes the loaded YAML and the file name, so a broken file gives a
Chinese :class:`~course.wellbeing.model.WellbeingError` naming the file and the field.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from course._data import load_yaml
from course.wellbeing.model import (
    AftercareProtocol,
    AftercareStage,
    AftercareStep,
    BreathPattern,
    BreathPhase,
    DebriefCard,
    DebriefQuestion,
    Source,
    WellbeingError,
)

__all__ = [
    "AFTERCARE",
    "BREATHING",
    "DEBRIEF",
    "aftercare",
    "breathing_pattern",
    "breathing_patterns",
    "debrief_card",
    "parse_aftercare",
    "parse_breathing",
    "parse_debrief",
]

BREATHING = "wellbeing/breathing.yaml"
DEBRIEF = "wellbeing/debrief.yaml"
AFTERCARE = "wellbeing/aftercare.yaml"
MAX_PHASE_SECONDS = 10
MAX_ROUNDS = 10
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
# a folded YAML line break between two Chinese characters is not a space
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        shown = "是空的" if value in (None, "") else f"不是一段文字（是 {value!r}）"
        raise WellbeingError(f"{where}{shown}：请写一段中文。")
    return _CJK_GAP.sub("", " ".join(value.split()))


def _mapping(value: Any, where: str, fields: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise WellbeingError(f"{where}应当写成 {fields} 这几项。")
    return value


def _list(value: Any, where: str, least: int = 1) -> list[Any]:
    if not isinstance(value, list) or len(value) < least:
        raise WellbeingError(f"{where}应当是一个列表，至少 {least} 项。")
    return value


def _whole(value: Any, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise WellbeingError(f"{where}应当是 {low} 到 {high} 之间的整数，现在是 {value!r}。")
    return value


def parse_breathing(data: Any, filename: str = BREATHING) -> tuple[BreathPattern, ...]:
    """The breathing patterns of a ``breathing.yaml``."""
    at = f"数据文件 {filename} 的"
    data = _mapping(data, f"数据文件 {filename} ", "title、note、sources、kinds、patterns")
    _text(data.get("note"), f"{at} note ")
    for n, src in enumerate(_list(data.get("sources"), f"{at} sources "), 1):
        _text(src, f"{at} sources 第 {n} 条")
    kinds = _mapping(data.get("kinds"), f"{at} kinds ", "inhale、hold、exhale")
    cues: dict[str, tuple[str, str]] = {}
    for kind, spec in kinds.items():
        spec = _mapping(spec, f"{at} kinds.{kind} ", "label、cue")
        cues[str(kind)] = (_text(spec.get("label"), f"{at} kinds.{kind}.label "),
                           _text(spec.get("cue"), f"{at} kinds.{kind}.cue "))
    patterns: list[BreathPattern] = []
    seen: set[str] = set()
    for n, raw in enumerate(_list(data.get("patterns"), f"{at} patterns "), 1):
        where = f"{at} patterns 第 {n} 项的"
        raw = _mapping(raw, f"{at} patterns 第 {n} 项", "id、title、rounds、phases")
        pid = _text(raw.get("id"), f"{where} id ")
        if pid in seen:
            raise WellbeingError(f"{where} id“{pid}”和前面的重复了。")
        seen.add(pid)
        phases = []
        for k, step in enumerate(_list(raw.get("phases"), f"{where} phases "), 1):
            step = _mapping(step, f"{where} phases 第 {k} 步", "kind、seconds")
            kind = step.get("kind")
            if kind not in cues:
                raise WellbeingError(f"{where} phases 第 {k} 步的 kind“{kind}”不认识：只能是 "
                                     f"{'、'.join(cues)}。")
            seconds = _whole(step.get("seconds"), f"{where} phases 第 {k} 步的 seconds ",
                             1, MAX_PHASE_SECONDS)
            phases.append(BreathPhase(kind=kind, label=cues[kind][0], cue=cues[kind][1],
                                      seconds=seconds))
        if not any(p.kind == "exhale" for p in phases):
            raise WellbeingError(f"{where} phases 里没有呼气（exhale）：每一轮都要有呼气。")
        patterns.append(BreathPattern(
            id=pid, title=_text(raw.get("title"), f"{where} title "),
            rounds=_whole(raw.get("rounds"), f"{where} rounds ", 1, MAX_ROUNDS),
            phases=tuple(phases)))
    return tuple(patterns)


@cache
def breathing_patterns() -> tuple[BreathPattern, ...]:
    """The breathing patterns shipped with the course, the default first."""
    return parse_breathing(load_yaml(BREATHING))


def breathing_pattern(pattern_id: str | None = None) -> BreathPattern:
    """The pattern ``pattern_id`` (the first, 舒缓呼吸, when not given)."""
    patterns = breathing_patterns()
    if pattern_id is None:
        return patterns[0]
    for p in patterns:
        if p.id == pattern_id or p.title == pattern_id:
            return p
    known = "、".join(f"{p.id}（{p.title}）" for p in patterns)
    raise WellbeingError(f"没有名为“{pattern_id}”的呼吸节奏。可以选：{known}。")


def parse_debrief(data: Any, filename: str = DEBRIEF) -> DebriefCard:
    """The pair debrief card of a ``debrief.yaml``."""
    at = f"数据文件 {filename} 的"
    data = _mapping(data, f"数据文件 {filename} ", "title、basis、how、questions、listener、trainer")
    questions = []
    for n, raw in enumerate(_list(data.get("questions"), f"{at} questions ", 3), 1):
        raw = _mapping(raw, f"{at} questions 第 {n} 题", "title、prompt")
        questions.append(DebriefQuestion(
            title=_text(raw.get("title"), f"{at} questions 第 {n} 题的 title "),
            prompt=_text(raw.get("prompt"), f"{at} questions 第 {n} 题的 prompt ")))
    listener = tuple(_text(x, f"{at} listener 第 {n} 句")
                     for n, x in enumerate(_list(data.get("listener"), f"{at} listener "), 1))
    trainer = _mapping(data.get("trainer"), f"{at} trainer ", "timing、rules")
    rules = tuple(_text(x, f"{at} trainer.rules 第 {n} 条")
                  for n, x in enumerate(_list(trainer.get("rules"), f"{at} trainer.rules "), 1))
    return DebriefCard(title=_text(data.get("title"), f"{at} title "),
                       how=_text(data.get("how"), f"{at} how "),
                       basis=_text(data.get("basis"), f"{at} basis "),
                       questions=tuple(questions), listener=listener,
                       timing=_text(trainer.get("timing"), f"{at} trainer.timing "), rules=rules)


@cache
def debrief_card() -> DebriefCard:
    """The pair debrief card shipped with the course."""
    return parse_debrief(load_yaml(DEBRIEF))


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _fill(text: str, contacts: dict[str, str], where: str) -> str:
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in contacts:
            known = "、".join("{" + k + "}" for k in contacts) or "（没有）"
            raise WellbeingError(f"{where}里的 {{{name}}} 在 contacts 里没有写：能用的是 {known}。")
        return contacts[name]

    return _PLACEHOLDER.sub(sub, text)


def parse_aftercare(data: Any, filename: str = AFTERCARE, utility: str = "") -> AftercareProtocol:
    """The after-care protocol of an ``aftercare.yaml`` (``utility`` names the employer)."""
    at = f"数据文件 {filename} 的"
    data = _mapping(data, f"数据文件 {filename} ", "title、scope、basis、contacts、sources、stages")
    contacts_raw = _mapping(data.get("contacts") or {}, f"{at} contacts ", "名称: 说法")
    contacts = {str(k): _text(v, f"{at} contacts.{k} ") for k, v in contacts_raw.items()}
    sources: dict[str, Source] = {}
    for n, raw in enumerate(_list(data.get("sources"), f"{at} sources "), 1):
        raw = _mapping(raw, f"{at} sources 第 {n} 条", "id、text、url")
        sid = _text(raw.get("id"), f"{at} sources 第 {n} 条的 id ")
        url = raw.get("url") or ""
        if url and not str(url).startswith(("http://", "https://")):
            raise WellbeingError(f"{at} sources 第 {n} 条的 url 应当以 http:// 或 https:// 开头。")
        sources[sid] = Source(id=sid, text=_text(raw.get("text"), f"{at} sources 第 {n} 条的 text "),
                              url=str(url))
    stages = []
    seen: set[str] = set()
    for n, raw in enumerate(_list(data.get("stages"), f"{at} stages "), 1):
        where = f"{at} stages 第 {n} 段"
        raw = _mapping(raw, where, "id、title、when、steps")
        sid = _text(raw.get("id"), f"{where}的 id ")
        if sid in seen:
            raise WellbeingError(f"{where}的 id“{sid}”和前面的重复了。")
        seen.add(sid)
        steps = []
        for k, step in enumerate(_list(raw.get("steps"), f"{where}的 steps "), 1):
            here = f"{where}第 {k} 步"
            step = _mapping(step, here, "text、who、source")
            refs = step.get("source") or []
            refs = [refs] if isinstance(refs, str) else refs
            if not isinstance(refs, list):
                raise WellbeingError(f"{here}的 source 应当是 sources 里的 id，或 id 的列表。")
            unknown = [str(r) for r in refs if r not in sources]
            if unknown:
                raise WellbeingError(f"{here}的 source {'、'.join(unknown)} 在 sources 里没有：能用的是 "
                                     f"{'、'.join(sources)}。")
            text = _fill(_text(step.get("text"), f"{here}的 text "), contacts, f"{here}的 text ")
            steps.append(AftercareStep(text=text, who=_text(step.get("who"), f"{here}的 who "),
                                       sources=tuple(sources[r] for r in refs)))
        stages.append(AftercareStage(id=sid, title=_text(raw.get("title"), f"{where}的 title "),
                                     when=_text(raw.get("when"), f"{where}的 when "),
                                     steps=tuple(steps)))
    used = {s.id for st in stages for step in st.steps for s in step.sources}
    unused = [sid for sid in sources if sid not in used]
    if unused:
        raise WellbeingError(f"{at} sources 里的 {'、'.join(unused)} 没有被任何一步引用：删掉，"
                             "或在用到它的那一步写上 source。")
    return AftercareProtocol(title=_text(data.get("title"), f"{at} title "),
                             scope=_text(data.get("scope"), f"{at} scope "),
                             basis=_text(data.get("basis"), f"{at} basis "),
                             utility=utility, stages=tuple(stages),
                             sources=tuple(sources.values()))


def aftercare() -> AftercareProtocol:
    """The after-care protocol, naming the utility of the current local profile."""
    from course import local

    return parse_aftercare(load_yaml(AFTERCARE), utility=local.current().utility)
