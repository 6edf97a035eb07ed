"""Lessons 00, 04 and 05: the outline map points at real sections; contents cells match headings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from course._data import load_yaml

REPO = Path(__file__).resolve().parents[1]
OUTLINE = load_yaml("crisis/outline_map.yaml")["items"]


def _headings(name: str) -> list[str]:
    nb = json.loads((REPO / "notebooks" / name).read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            src = "".join(cell["source"])
            found += [m.group(2).strip() for m in re.finditer(r"(?m)^(#{1,4}) (.+)$", src)]
    return found


@pytest.mark.parametrize("item", OUTLINE, ids=lambda i: i["outline"][:20])
def test_every_outline_item_points_at_a_section_that_exists(item):
    assert item["section"] in _headings(item["notebook"])


def test_outline_map_covers_all_of_chapter_4_and_the_introduction():
    text = " ".join(i["outline"] for i in OUTLINE)
    for part in ("导入篇 一", "导入篇 二", "导入篇 三", "第四章 一", "第四章 二", "第四章 三",
                 "第四章 四", "第四章 五", "第四章 六", "情绪调整", "第三天", "学习总结与行动计划"):
        assert part in text, part


@pytest.mark.parametrize("name", ["04_危机公关.ipynb", "05_综合演练.ipynb"])
def test_contents_cell_lists_the_headings_in_order(name):
    nb = json.loads((REPO / "notebooks" / name).read_text(encoding="utf-8"))
    toc = next("".join(c["source"]) for c in nb["cells"] if "<!-- toc -->" in "".join(c["source"]))
    listed = re.findall(r"- \[(.+?)\]\(#", toc)
    heads = [h for h in _headings(name) if h not in ("学习目标", "怎样使用本页", "目录")]
    heads = [h for h in heads if not h.startswith(("第四章 危机", "全面模拟演练："))]
    assert listed == heads


def test_chapter_4_lesson_names_the_helpline_with_its_source():
    nb = json.loads((REPO / "notebooks" / "04_危机公关.ipynb").read_text(encoding="utf-8"))
    text = "".join("".join(c["source"]) for c in nb["cells"])
    assert "12356" in text and "国家卫生健康委" in text
    assert "110" in text and "120" in text
