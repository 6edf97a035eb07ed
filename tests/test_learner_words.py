"""Words a learner should never see, scanned in everything a learner reads.

Scanned: every cell and output of the lessons (``notebooks/``) and the released assignments
(``release/``), the Markdown of the instructor's versions (``source/``: it becomes the release and
the feedback), every string of the data files in ``course/data/`` except the maintainers' own
provenance (``source``/``seeds`` keys, the outline map's ``outline``, a tariff's ``notes``/``accessed_via``/``url``), and every
Chinese string literal in ``course/`` that is not a docstring.

What is not allowed: the course's internal material ("seed", the outlines and other documents the
learner never saw, "课程插补"), English jargon without a Chinese gloss, internal ids, a stigmatising
label, "unverified" notes that belong in the data files, and the tool names other than the one the
course uses (回复教练).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")

BANNED: dict[str, str] = {
    r"(?i)\bseeds?\b|随机种子|种子大纲": "the course's internal material (or a programmer's word)",
    r"大纲只列|大纲未列|课程插补|本课程插补|培训大纲": "the outlines the course was built from, which learners never saw",
    r"另一份投诉处理课程|物业客服培训|有效的客户对应": "documents the learner never saw",
    r"(?i)holding statement": "English jargon: say 情况说明",
    r"(?<!（)Coombs|Coombs(?!）)": "a name without a Chinese gloss: 库姆斯（Coombs）",
    r"编号\s*[a-z][a-z0-9_]+": "an internal id",
    r"心理不健康": "a stigmatising label",
    r"尚待核对|未查到原文|未能查到原文": "an unverified note: keep it in the data file, not in the lesson",
    r"回复草稿教练|话术教练|回复点评工具": "one tool, one name: 回复教练",
    r"固执己见型": "one name: 固执己见者 (as the other four difficult customers: …者)",
    r"滞纳金(?!」|”)": "a water bill's late charge is 违约金 (民法典); name 滞纳金 only as the old word, in quotes",
}
_MAINTAINER_KEYS = {"source", "seeds", "notes", "accessed_via", "url", "outline"}
# What the coach recognises in a learner's text (a learner may well write 滞纳金), never shown
_RECOGNISER_KEYS = {"frames", "core_cues", "cues", "classes"}
_RECOGNISER_FILES = {"course/coach/text.py"}


def _notebook_texts(path: Path, markdown_only: bool = False) -> Iterator[tuple[str, str]]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if markdown_only and cell["cell_type"] != "markdown":
            continue
        yield f"{path.relative_to(REPO)} cell {i}", "".join(cell["source"])
        for out in cell.get("outputs", []):
            parts = [out.get("text", "")] + [v for k, v in out.get("data", {}).items()
                                             if k.startswith("text/")]
            for part in parts:
                yield f"{path.relative_to(REPO)} cell {i} output", "".join(part)


def _data_texts(value: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if (key in _MAINTAINER_KEYS and not isinstance(item, dict)) or key in _RECOGNISER_KEYS:
                continue
            yield from _data_texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _data_texts(item, f"{where}[{i}]")


def _python_texts(path: Path) -> Iterator[tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in docstrings and CJK.search(node.value)):
            yield f"{path.relative_to(REPO)}:{node.lineno}", node.value


def learner_texts() -> Iterator[tuple[str, str]]:
    """Every text a learner may read, with where it is."""
    for folder in ("notebooks", "release"):
        for path in sorted((REPO / folder).rglob("*.ipynb")):
            if ".ipynb_checkpoints" not in path.parts:
                yield from _notebook_texts(path)
    for path in sorted((REPO / "source").rglob("*.ipynb")):
        if ".ipynb_checkpoints" not in path.parts:
            yield from _notebook_texts(path, markdown_only=True)
    for path in sorted((REPO / "course" / "data").rglob("*.yaml")):
        yield from _data_texts(yaml.safe_load(path.read_text(encoding="utf-8")),
                               str(path.relative_to(REPO)))
    for path in sorted((REPO / "course").rglob("*.py")):
        if str(path.relative_to(REPO)) not in _RECOGNISER_FILES:
            yield from _python_texts(path)


def test_the_scan_reads_lessons_assignments_data_and_messages():
    places = {where.split(" ")[0].split(":")[0].split(".yaml")[0] for where, _ in learner_texts()}
    assert any(p.startswith("notebooks/01_") for p in places)
    assert any(p.startswith("release/ch1_tiered_pricing/") for p in places)
    assert any(p.startswith("course/data/coach/process") for p in places)
    assert any(p.startswith("course/widgets/") for p in places)


def test_the_patterns_catch_what_they_name():
    samples = {
        "第四级（课程插补）": True, "同一个随机种子": True, "编号 meter_replacement": True,
        "情况说明（holding statement）": True, "Coombs 的情境危机传播理论": True,
        "库姆斯（Coombs）的情境危机传播理论": False, "逾期按合同收取违约金": False,
        "按日加收滞纳金": True, "过去常说的“滞纳金”": False, "话术教练": True, "回复教练": False,
        "固执己见型": True, "固执己见者": False,
    }
    for text, banned in samples.items():
        found = any(re.search(p, text) for p in BANNED)
        assert found == banned, text


def test_no_learner_facing_text_uses_words_a_learner_should_never_see():
    found = []
    for where, text in learner_texts():
        for pattern, why in BANNED.items():
            for m in re.finditer(pattern, text):
                context = text[max(0, m.start() - 20):m.end() + 20].replace("\n", " ")
                found.append(f"{where}: {m.group(0)!r} ({why}) …{context}…")
    assert not found, "\n".join(found)
