"""The syllabus map (培训大纲对照表): its data checks out against the course, depths are computed from
the notebooks, and stale data (a renamed heading, a lost term, a dangling ref) fails in Chinese."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from course import syllabus
from course.cli import main
from course.syllabus import SyllabusError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "course" / "data" / "syllabus.yaml"


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True, sort_keys=False)


def _raw() -> dict:
    return yaml.load(DATA.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


# ── the real map against the real course ──────────────────────────────────────────────────────────

def test_the_map_validates_and_every_location_and_ref_checks_out() -> None:
    coverage = syllabus.check(ROOT)  # raises on any stale heading, term, example or ref
    entries = syllabus.load(DATA)
    assert len(coverage.items) == len(entries)
    assert {it.entry.seed for it in coverage.items} == set(syllabus.SEEDS)
    for it in coverage.items:
        assert it.depth in syllabus.DEPTHS
        assert (it.depth == 0) == (not it.entry.taught)


def test_every_seed_section_of_the_outline_has_entries() -> None:
    """The map covers the outline's chapters and the other seeds' parts (not a hand-picked subset)."""
    entries = syllabus.load(DATA)
    wheres = [e.where_in_seed for e in entries]
    for part in ("导入篇", "第一章", "第二章 一", "第二章 四", "第二章 十", "第三章 二", "第三章 四", "第四章"):
        assert any(w.startswith(part) for w in wheres), part
    by_seed = {s: sum(e.seed == s for e in entries) for s in syllabus.SEEDS}
    assert by_seed["002"] == 25  # the seed's 10 steps and 15 actions, one entry each


# ── stale data on tmp copies of the real map and notebooks ────────────────────────────────────────

def _edit_map(tmp_path: Path, entry_id: str, *, whole: bool = False, **changes: object) -> Path:
    """A tmp copy of the real map with one entry changed (only that entry unless ``whole``)."""
    raw = _raw()
    entry = next(e for e in raw["items"] if e["id"] == entry_id)
    entry.update(changes)
    if not whole:
        raw["items"] = [entry]
    path = tmp_path / "syllabus.yaml"
    path.write_text(_dump(raw), encoding="utf-8")
    return path


def _first_taught(prefix: str = "notebooks/") -> dict:
    raw = _raw()
    return next(e for e in raw["items"] if e.get("taught") and e["taught"][0].startswith(prefix)
                and e.get("practice"))


def test_a_heading_that_is_not_in_the_notebook_fails_naming_entry_and_field(tmp_path: Path) -> None:
    e = _first_taught()
    broken = e["taught"][0] + "（旧标题）"
    with pytest.raises(SyllabusError) as exc:
        syllabus.check(ROOT, _edit_map(tmp_path, e["id"], taught=[broken]))
    msg = str(exc.value)
    assert e["id"] in msg and "taught" in msg and "没有标题" in msg and "相近的标题" in msg


def test_a_renamed_heading_in_a_notebook_copy_fails(tmp_path: Path) -> None:
    e = _first_taught()
    nb_rel, _, heading = e["taught"][0].partition("#")
    for name in ("course", "source"):
        (tmp_path / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    nb = nbformat.read(tmp_path / nb_rel, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and heading in cell.source:
            cell.source = cell.source.replace(heading, heading + "（改过）", 1)
    nbformat.write(nb, tmp_path / nb_rel)
    with pytest.raises(SyllabusError) as exc:
        syllabus.check(tmp_path, _edit_map(tmp_path, e["id"]))
    assert e["id"] in str(exc.value) and "没有标题" in str(exc.value)


def test_a_term_missing_from_its_section_fails(tmp_path: Path) -> None:
    e = _first_taught()
    with pytest.raises(SyllabusError) as exc:
        syllabus.check(ROOT, _edit_map(tmp_path, e["id"], term="这个词不在课文里"))
    assert e["id"] in str(exc.value) and "term" in str(exc.value) and "没有出现在" in str(exc.value)


def test_an_example_not_in_the_section_fails(tmp_path: Path) -> None:
    e = _first_taught()
    with pytest.raises(SyllabusError) as exc:
        syllabus.check(ROOT, _edit_map(tmp_path, e["id"], example="课文里没有这句话"))
    assert "example" in str(exc.value) and e["id"] in str(exc.value)


@pytest.mark.parametrize("ref, words", [
    ("scenario:no_such_scenario", "找不到"),
    ("exercise:no_such_exercise", "找不到"),
    ("selfcheck:ch2:no_such_key", "没有题号"),
    ("assignment:source/ch2_response_techniques/ch2_response_techniques.ipynb:no_such_cell", "没有 id 或 grade_id"),
    ("widget:notebooks/01_阶梯水价.ipynb#7. 尚未解决的问题", "没有交互组件"),
    ("drill:no_such_incident", "找不到"),
    ("homework:1", "不是认得的练习引用"),
])
def test_a_dangling_practice_ref_fails(tmp_path: Path, ref: str, words: str) -> None:
    e = _first_taught()
    with pytest.raises(SyllabusError) as exc:
        syllabus.check(ROOT, _edit_map(tmp_path, e["id"], practice=[ref]))
    assert e["id"] in str(exc.value) and "practice" in str(exc.value) and words in str(exc.value)


@pytest.mark.parametrize("changes, words", [
    ({"seed": "007"}, "来源材料编号"),
    ({"colour": "red"}, "不认得的字段"),
    ({"example": "一" * 31}, "不超过 30"),
    ({"explained": "是"}, "explained"),
    ({"term": None}, "还要写 term"),
    ({"taught": ["02_巧妙应答.ipynb#1. 处理投诉的要诀"]}, "写法不对"),
])
def test_malformed_entries_get_a_chinese_message_naming_entry_and_field(
        tmp_path: Path, changes: dict, words: str) -> None:
    e = _first_taught()
    with pytest.raises(SyllabusError) as exc:
        syllabus.load(_edit_map(tmp_path, e["id"], **changes))
    assert words in str(exc.value) and e["id"] in str(exc.value)


def test_a_duplicate_id_is_rejected(tmp_path: Path) -> None:
    raw = _raw()
    raw["items"].append(dict(raw["items"][0]))
    path = tmp_path / "syllabus.yaml"
    path.write_text(_dump(raw), encoding="utf-8")
    with pytest.raises(SyllabusError, match="重复"):
        syllabus.load(path)


# ── depth rules and sections, on a small synthetic course ─────────────────────────────────────────

def _course(tmp_path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 第二章\n## 1. 三明治法则\n**先处理心情**，再处理事情。例：“换作是我也会着急。”"),
        nbformat.v4.new_markdown_cell("### 1.1 小节\n```\n# 代码块里的井号不是标题\n```\n小节里提到ＳＰＩＮ提问。"),
        nbformat.v4.new_code_cell('check("demo.q1", None)\nResponseDrafter("x")'),
        nbformat.v4.new_markdown_cell("## 2. 禁语\n只在第二节出现：规定就是这样。"),
        nbformat.v4.new_code_cell('checklist("principles")'),
    ]
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nb, tmp_path / "notebooks" / "02_x.ipynb")
    data = tmp_path / "course" / "data"
    for sub in ("selfcheck", "scenarios", "exercises", "incidents"):
        (data / sub).mkdir(parents=True)
    (data / "selfcheck" / "demo.yaml").write_text("q1: {hash: x}\n", encoding="utf-8")
    (data / "scenarios" / "s1.yaml").write_text("id: s1\n", encoding="utf-8")
    (data / "exercises" / "unused.yaml").write_text("id: unused\n", encoding="utf-8")
    (tmp_path / "course" / "widgets").mkdir()
    (tmp_path / "course" / "widgets" / "drafter.py").write_text("class ResponseDrafter(object):\n    pass\n")
    return tmp_path


def _map(tmp_path: Path, *entries: dict) -> Path:
    base = {"seed": "000", "where_in_seed": "第二章 三", "item": "条目"}
    path = tmp_path / "map.yaml"
    items = [{**base, "id": f"e{n}", **e} for n, e in enumerate(entries)]
    path.write_text(_dump({"items": items}), encoding="utf-8")
    return path


LOC = "notebooks/02_x.ipynb#1. 三明治法则"


def test_depth_is_computed_from_what_the_notebook_holds(tmp_path: Path) -> None:
    root = _course(tmp_path)
    path = _map(root,
                {},
                {"taught": [LOC], "term": "先处理心情"},
                {"taught": [LOC], "term": "先处理心情", "explained": True, "practice": ["selfcheck:demo:q1"]},
                {"taught": [LOC], "term": "先处理心情", "explained": True, "example": "换作是我也会着急"},
                {"taught": [LOC], "term": "先处理心情", "explained": True, "example": "换作是我也会着急",
                 "practice": ["selfcheck:demo:q1", "scenario:s1", f"widget:{LOC}"]})
    coverage = syllabus.check(root, path)
    assert [it.depth for it in coverage.items] == [0, 1, 2, 2, 3]
    assert coverage.counts["000"] == {0: 1, 1: 1, 2: 2, 3: 1}
    assert [it.entry.id for it in coverage.below(2)] == ["e0", "e1"]
    text = coverage.below_text(3)
    assert "缺：例子" in text and "缺：练习" in text and "课程里还没有讲到" in text


def test_a_section_runs_to_the_next_heading_of_the_same_level_and_folds_full_width(tmp_path: Path) -> None:
    root = _course(tmp_path)
    # the subsection (### 1.1) belongs to section 1; its full-width ＳＰＩＮ matches SPIN
    syllabus.check(root, _map(root, {"taught": [LOC], "term": "SPIN"}))
    # section 2's text does not belong to section 1
    with pytest.raises(SyllabusError, match="没有出现在"):
        syllabus.check(root, _map(root, {"taught": [LOC], "term": "规定就是这样"}))
    # a '#' inside a fenced code block is not a heading
    with pytest.raises(SyllabusError, match="没有标题"):
        syllabus.check(root, _map(root, {"taught": ["notebooks/02_x.ipynb#代码块里的井号不是标题"], "term": "井号"}))


def test_what_a_lesson_cell_displays_from_the_data_counts_as_its_text(tmp_path: Path) -> None:
    root = _course(tmp_path)
    loc = "notebooks/02_x.ipynb#2. 禁语"
    from course.coach.knowledge import checklist

    first = checklist("principles").items[0]
    syllabus.check(root, _map(root, {"taught": [loc], "term": first.name, "explained": True, "example": first.tip[:10]}))


def test_an_exercise_no_notebook_uses_is_not_practice(tmp_path: Path) -> None:
    root = _course(tmp_path)
    with pytest.raises(SyllabusError, match="没有在任何笔记本"):
        syllabus.check(root, _map(root, {"taught": [LOC], "term": "先处理心情", "practice": ["exercise:unused"]}))


def test_the_strategy_table_does_not_count_the_scripts_behind_the_lookup(tmp_path: Path) -> None:
    """03 §5's table shows 是什么 and 边界; a strategy's 示范话术 is only shown by roleplay.strategy(...)."""
    from course import roleplay

    root = _course(tmp_path)
    nb_path = root / "notebooks" / "02_x.ipynb"
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    nb["cells"].append(nbformat.v4.new_markdown_cell("## 3. 策略"))
    nb["cells"].append(nbformat.v4.new_code_cell("table([s.name for s in roleplay.strategies()])"))
    nb_path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    s = roleplay.strategies()[0]
    loc = "notebooks/02_x.ipynb#3. 策略"
    syllabus.check(root, _map(root, {"taught": [loc], "term": s.name}))
    with pytest.raises(SyllabusError, match="example"):
        syllabus.check(root, _map(root, {"taught": [loc], "term": s.name, "example": s.example[:12]}))


# ── the command ───────────────────────────────────────────────────────────────────────────────────

def test_course_syllabus_prints_the_table_and_the_items_below_a_depth(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "syllabus", "--below", "3"]) == 0
    out = capsys.readouterr().out
    assert "种子" in out and "有例有练" in out and "合计" in out and "目标" in out
    coverage = syllabus.check(ROOT)
    assert (f"深度低于 3 的条目（{len(coverage.below(3))} 条）" in out) or "没有深度低于 3 的条目" in out


def test_course_syllabus_reports_stale_data_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("notebooks", "source", "nbgrader_config.py"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "course" / "data").mkdir(parents=True)
    for name in ("exercises", "selfcheck", "scenarios", "incidents"):
        (tmp_path / "course" / "data" / name).symlink_to(ROOT / "course" / "data" / name)
    (tmp_path / "course" / "widgets").symlink_to(ROOT / "course" / "widgets")
    e = _first_taught()
    broken = _edit_map(tmp_path, e["id"], whole=True, term="这个词不在课文里")
    broken.rename(tmp_path / "course" / "data" / "syllabus.yaml")
    assert main(["--root", str(tmp_path), "syllabus"]) == 2
    err = capsys.readouterr().err
    assert "错误" in err and e["id"] in err and "Traceback" not in err
