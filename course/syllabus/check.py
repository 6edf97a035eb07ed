"""Load and validate ``course/data/syllabus.yaml`` and compute each seed item's depth by checking
the notebooks, the data and the assignments."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import yaml

from course.syllabus.model import SEEDS, Coverage, Entry, ItemDepth, SyllabusError
from course.syllabus.refs import resolve
from course.syllabus.sections import Section, heading_key, normalise, read_sections
from course.syllabus.shown import shown_text

__all__ = ["check", "default_path", "load"]

_ID = re.compile(r"^[a-z0-9_]+$")
_FIELDS = {"id", "seed", "where_in_seed", "item", "taught", "term", "explained", "example", "practice"}
MAX_EXAMPLE = 30


def default_path(root: Path) -> Path:
    """Where the syllabus map lives in a course directory."""
    return root / "course" / "data" / "syllabus.yaml"


def _strs(value: object, where: str, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SyllabusError(f"{where}的 {name} 应是一串非空文字（列表）；收到的是 {value!r}。")
    return tuple(v.strip() for v in value)


def _entry(raw: object, n: int, file: str) -> Entry:
    where = f"{file} 第 {n} 条"
    if not isinstance(raw, dict):
        raise SyllabusError(f"{where}应是一个条目（编号、来源材料、位置、条目名称……）。")
    ident = raw.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        raise SyllabusError(f"{where}的 id 应由小写字母、数字和下划线组成；收到的是 {ident!r}。")
    where = f"{file} 第 {n} 条（id：{ident}）"
    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise SyllabusError(f"{where}有不认得的字段：{'、'.join(unknown)}；允许的字段：{'、'.join(sorted(_FIELDS))}。")
    seed = str(raw.get("seed", "")).zfill(3) if raw.get("seed") is not None else ""
    if seed not in SEEDS:
        raise SyllabusError(f"{where}的来源材料编号应是 {'、'.join(SEEDS)} 之一；收到的是 {raw.get('seed')!r}。")
    for name in ("where_in_seed", "item"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise SyllabusError(f"{where}缺少 {name}（种子里的{'位置' if name == 'where_in_seed' else '条目名称'}）。")
    taught = _strs(raw.get("taught"), where, "taught")
    for loc in taught:
        if not re.match(r"^(notebooks|source)/[^#]+\.ipynb#.+", loc):
            raise SyllabusError(f"{where}的 taught 里“{loc}”写法不对：应写 notebooks/<文件>.ipynb#<标题原文>"
                                "或 source/<作业>/<文件>.ipynb#<标题原文>。")
    terms = _strs(raw.get("term"), where, "term")
    explained = raw.get("explained", False)
    if not isinstance(explained, bool):
        raise SyllabusError(f"{where}的 explained 只能写 true 或 false；收到的是 {explained!r}。")
    example = raw.get("example") or ""
    if not isinstance(example, str) or len(example) > MAX_EXAMPLE:
        raise SyllabusError(f"{where}的 example 应是课文中的一小段原文（不超过 {MAX_EXAMPLE} 个字）；"
                            f"收到的是 {example!r}。")
    practice = _strs(raw.get("practice"), where, "practice")
    if taught and not terms:
        raise SyllabusError(f"{where}写了 taught，还要写 term（该节课文里出现的条目名称或课程的叫法）。")
    if not taught and (terms or explained or example or practice):
        raise SyllabusError(f"{where}没有 taught（课程未涉及），就不能写 term、explained、example 或 practice。")
    return Entry(id=ident, seed=seed, where_in_seed=raw["where_in_seed"].strip(), item=raw["item"].strip(),
                 taught=taught, terms=terms, explained=explained, example=example.strip(), practice=practice)


def load(path: Path) -> tuple[Entry, ...]:
    """The entries of a syllabus file, validated (a :class:`SyllabusError` names entry and field)."""
    file = path.name
    if not path.is_file():
        raise SyllabusError(f"找不到课程内容对照表 {path}。")
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: several times faster
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        raise SyllabusError(f"{file} 不是有效的 YAML：{exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("items"), list) or not raw["items"]:
        raise SyllabusError(f"{file} 顶层应有 items（条目列表）。")
    entries = tuple(_entry(r, n, file) for n, r in enumerate(raw["items"], 1))
    seen: dict[str, int] = {}
    for n, e in enumerate(entries, 1):
        if e.id in seen:
            raise SyllabusError(f"{file} 第 {n} 条的 id“{e.id}”与第 {seen[e.id]} 条重复。")
        seen[e.id] = n
    return entries


class _Course:
    """Looks up notebook sections under a course root and the text each shows."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._shown: dict[tuple[str, str], str] = {}

    def section(self, location: str) -> tuple[Section | None, str | None]:
        nb, _, heading = location.partition("#")
        path = self.root / nb
        if not nb.endswith(".ipynb") or not path.is_file():
            return None, f"找不到笔记本 {nb}"
        sections = read_sections(path)
        key = heading_key(heading)
        hits = [s for s in sections if heading_key(s.heading) == key]
        if len(hits) == 1:
            return hits[0], None
        if hits:
            return None, f"{nb} 里有 {len(hits)} 个标题都是“{heading}”，无法确定是哪一节"
        near = difflib.get_close_matches(heading, [s.heading for s in sections], n=3, cutoff=0.3)
        hint = f"；相近的标题：{'、'.join(f'“{h}”' for h in near)}" if near else ""
        return None, f"{nb} 里没有标题“{heading}”{hint}"

    def text(self, section: Section) -> str:
        """Normalised text of the section: headings, markdown, code and what the code shows."""
        key = (section.notebook, section.heading)
        if key not in self._shown:
            shown = [shown_text(code) for code in section.code]
            self._shown[key] = normalise("\n".join([section.source_text, *shown]))
        return self._shown[key]


def _depth(e: Entry, course: _Course, file: str) -> ItemDepth:
    where = f"{file}（id：{e.id}，{e.item}）"
    if not e.taught:
        return ItemDepth(e, 0)
    texts = []
    for loc in e.taught:
        section, error = course.section(loc)
        if error:
            raise SyllabusError(f"{where}的 taught：{error}。")
        text = course.text(section)
        if not any(normalise(t) in text for t in e.terms):
            raise SyllabusError(f"{where}的 term：“{'”或“'.join(e.terms)}”没有出现在“{loc}”这一节里。")
        texts.append(text)
    found = bool(e.example) and any(normalise(e.example) in t for t in texts)
    if e.example and not found:
        raise SyllabusError(f"{where}的 example：“{e.example}”没有出现在 taught 列出的任何一节里。")
    for ref in e.practice:
        error = resolve(ref, course.root, course.section)
        if error:
            raise SyllabusError(f"{where}的 practice：{error}。")
    if not e.explained:
        return ItemDepth(e, 1, found)
    return ItemDepth(e, 3 if found and e.practice else 2, found)


def check(root: Path, path: Path | None = None) -> Coverage:
    """Check every entry of the syllabus map against the course under ``root``; the coverage.

    A heading that is missing, a term not in its section, an example not found or a practice ref
    that does not resolve raises :class:`SyllabusError` (stale data fails, it is not a lower depth).
    """
    path = path or default_path(root)
    entries = load(path)
    course = _Course(root)
    items, errors = [], []
    for e in entries:
        try:
            items.append(_depth(e, course, path.name))
        except SyllabusError as exc:
            errors.append(str(exc))
    if errors:
        more = f"\n……另有 {len(errors) - 20} 处" if len(errors) > 20 else ""
        raise SyllabusError(f"课程内容对照表有 {len(errors)} 处与课程对不上：\n" + "\n".join(errors[:20]) + more)
    return Coverage.of(tuple(items))
