"""Trainer's handbook: run-sheet data, day-3 stations, rotation, scoring, ranking, HTML/PDF, CLI."""

from __future__ import annotations

import copy
from itertools import pairwise
from pathlib import Path

import pytest

from course import handbook
from course._data import list_yaml, load_yaml
from course.handbook.model import (
    ACTIVITY_TYPES,
    HandbookError,
    load_day3,
    load_runsheets,
    notebook_headings,
)
from course.handbook.scoring import REST, rotation, round_times, station_best

ROOT = Path(__file__).resolve().parents[1]


def _min(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


# --- run-sheet data ---------------------------------------------------------------------------

def test_half_days_cover_the_workshop_and_minutes_add_up() -> None:
    halves = load_runsheets()
    assert [(h.day, h.start) for h in halves] == [(1, "09:00"), (1, "14:00"), (2, "09:00"), (2, "14:00"), (3, "09:00")]
    for h in halves:
        assert sum(b.minutes for b in h.blocks) == h.minutes
        assert h.blocks[0].start == h.start
        for a, b in pairwise(h.blocks):
            assert _min(a.start) + a.minutes == _min(b.start)
        assert all(b.type in ACTIVITY_TYPES for b in h.blocks)
        assert h.objectives


def test_every_projected_section_is_a_real_notebook_heading() -> None:
    heads = notebook_headings(ROOT / "notebooks")
    refs = [(b.notebook, b.section) for h in load_runsheets() for b in h.blocks if b.notebook]
    assert len(refs) >= 25
    missing = [r for r in refs if r[1] not in heads.get(r[0], set())]
    assert not missing, missing


def test_required_moments_are_in_the_plan() -> None:
    halves = load_runsheets()
    first, last = halves[0].blocks, halves[-1].blocks
    assert first[0].type == "测验" and "pretest" in first[0].instructions
    assert (ROOT / "source" / "pretest").is_dir() and (ROOT / "source" / "posttest").is_dir()
    assert any(b.type == "测验" and "posttest" in b.instructions for b in last)
    titles = [b.title for b in last]
    assert titles[-2:] == ["颁奖", "领导总结发言"]
    kinds = {b.type for h in halves for b in h.blocks}
    assert {"案例分析", "短片", "头脑风暴", "示范", "角色扮演", "复盘"} <= kinds
    clips = [b for h in halves for b in h.blocks if b.type == "短片"]
    assert clips and all(b.clip and b.clip.slot.startswith("单位自备短片：") and b.clip.discuss for b in clips)


def test_bad_runsheet_data_is_explained_in_chinese() -> None:
    raw = copy.deepcopy(load_yaml("handbook.yaml"))
    raw["days"][0]["halves"][0]["blocks"][0]["minutes"] = 25
    with pytest.raises(HandbookError, match="开始时间应为 09:25"):
        load_runsheets(raw)
    raw = copy.deepcopy(load_yaml("handbook.yaml"))
    raw["days"][0]["halves"][0]["blocks"][1]["type"] = "聊天"
    with pytest.raises(HandbookError, match="活动类型“聊天”不认识"):
        load_runsheets(raw)
    raw = copy.deepcopy(load_yaml("handbook.yaml"))
    raw["days"][0]["halves"][0]["minutes"] = 200
    with pytest.raises(HandbookError, match="合计 180"):
        load_runsheets(raw)


# --- day 3 -------------------------------------------------------------------------------------

def test_day3_stations_reference_real_scenarios_and_weights_add_up() -> None:
    day3 = load_day3()
    assert [s.name for s in day3.stations] == ["柜台", "热线", "上门", "团体来访", "新闻发布会"]
    scen, inc = set(list_yaml("scenarios")), set(list_yaml("incidents"))
    for s in day3.stations:
        assert set(s.scenarios) <= scen and set(s.incidents) <= inc
        assert sum(c.weight for c in s.criteria) == 100
        assert all(len(c.descriptors) == len(day3.levels) for c in s.criteria)
        assert s.minutes <= day3.round_minutes
        assert {"评委"} <= {r for r, _ in s.roles}
    assert "outage_media" in day3.station("新闻发布会").incidents
    assert "meter_replacement" in day3.station("group_visit").incidents


def test_day3_rounds_fit_the_run_sheet() -> None:
    day3, d3 = load_day3(), load_runsheets()[-1]
    times = round_times(day3, len(day3.stations))
    rp = [b for b in d3.blocks if b.type == "角色扮演"]
    assert times[0][0] == rp[0].start and times[-1][1] == rp[-1].end
    assert times[2][1] == "12:00"  # three morning rounds with a 10-minute break end at lunch


def test_bad_scenario_id_is_named() -> None:
    raw = copy.deepcopy(load_yaml("day3.yaml"))
    raw["stations"][1]["scenarios"] = ["no_such_case"]
    with pytest.raises(HandbookError, match=r"hotline.*no_such_case"):
        load_day3(raw)


@pytest.mark.parametrize("teams", [1, 3, 5, 7])
def test_rotation_covers_every_team_station_once_without_clash(teams: int) -> None:
    names = ["柜台", "热线", "上门", "团体来访", "新闻发布会"]
    rounds = rotation(teams, names)
    assert len(rounds) == max(teams, 5)
    for r in rounds:
        busy = [s for s in r.slots if s != REST]
        assert len(busy) == len(set(busy))  # one team per station per round
    for t in range(teams):
        visits = [r.slots[t] for r in rounds if r.slots[t] != REST]
        assert sorted(visits) == sorted(names)


def test_rotation_rejects_bad_team_count() -> None:
    with pytest.raises(HandbookError, match="队数"):
        rotation(0, ["柜台"])


# --- scoring and ranking -----------------------------------------------------------------------

def test_score_total_uses_weights() -> None:
    counter = load_day3().station("柜台")
    top = {c.id: 4 for c in counter.criteria}
    assert handbook.score_total(counter, top) == 100.0
    # empathy 25 and language 20 at level 2, core 35 and closing 20 at level 4 → 22.5 + 55
    mixed = {"empathy": 2, "规范用语与禁语": 2, "core": 4, "closing": 4}
    assert handbook.score_total(counter, mixed) == 77.5
    with pytest.raises(HandbookError, match="没有打分"):
        handbook.score_total(counter, {"empathy": 4})
    with pytest.raises(HandbookError, match="1–4 的整数"):
        handbook.score_total(counter, {**top, "core": 5})


def _rec(station: str, team: str, judge: str, total: float) -> dict:
    return {"station": station, "team": team, "judge": judge, "scores": {}, "total": total}


def test_ranking_averages_judges_sums_stations_and_shares_ties() -> None:
    recs = [
        _rec("柜台", "一队", "王", 80), _rec("柜台", "一队", "李", 90),  # mean 85
        _rec("热线", "一队", "王", 70),
        _rec("柜台", "二队", "王", 75), _rec("热线", "二队", "王", 80),
        _rec("柜台", "三队", "王", 60), _rec("热线", "三队", "王", 60),
        _rec("柜台", "三队", "王", 96),  # the judge's later record replaces the earlier one
    ]
    rows = handbook.ranking(recs)
    assert [(r.place, r.team, r.total) for r in rows] == [(1, "三队", 156.0), (2, "一队", 155.0), (2, "二队", 155.0)]
    recs.append(_rec("上门", "二队", "王", 10))
    rows = handbook.ranking(recs)
    assert [(r.place, r.team) for r in rows] == [(1, "二队"), (2, "三队"), (3, "一队")]
    assert dict(rows[2].stations) == {"柜台": 85.0, "热线": 70.0}
    assert station_best(rows) == {"上门": ("二队",), "柜台": ("三队",), "热线": ("二队",)}


def test_ranking_recomputes_totals_from_rubric_weights() -> None:
    day3 = load_day3()
    counter = day3.station("counter")
    # same sum of levels (10), but 甲 is strong on the heavier criteria (core 35 + closing 20)
    heavy = {"empathy": 1, "language": 1, "core": 4, "closing": 4}   # 25/4 + 20/4 + 35 + 20 = 66.25
    light = {"empathy": 4, "language": 4, "core": 1, "closing": 1}   # 25 + 20 + 35/4 + 20/4 = 58.75
    recs = [{"station": "counter", "team": "乙", "judge": "王", "scores": light, "total": 999},
            {"station": "柜台", "team": "甲", "judge": "王", "scores": heavy, "total": 0}]
    rows = handbook.ranking(recs, day3)
    assert [(r.team, r.total) for r in rows] == [("甲", 66.25), ("乙", 58.75)]
    assert rows[0].stations == (("柜台", handbook.score_total(counter, heavy)),)


def test_ranking_bad_record_is_explained() -> None:
    with pytest.raises(HandbookError, match="total（总分）应为数字"):
        handbook.ranking([{"station": "柜台", "team": "甲", "total": "很高"}])


# --- rendering and CLI -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from course.handbook import cli

    out = tmp_path_factory.mktemp("hb")
    assert cli.run(_args("--out", str(out), "--teams", "6"), ROOT) == 0
    return out


def test_pdf_has_a_page_per_half_day_station_and_sheet(built: Path) -> None:
    from course.pdf import page_texts

    texts = [t.replace("\r", "").replace("\n", "") for t in page_texts(built / "handbook.pdf")]
    halves, day3 = load_runsheets(), load_day3()
    for h in halves:
        assert sum(h.title in t for t in texts) >= 1, h.title
    for s in day3.stations:
        assert any(f"第三天站点：{s.name}" in t for t in texts)
        assert any(f"评分表：{s.name}站" in t for t in texts)
    assert len(texts) == 1 + len(halves) + 1 + 2 * len(day3.stations)
    rot = next(t for t in texts if t.startswith("第三天：轮站模拟 轮站表"))
    assert "第 6 队" in rot and "观摩" in rot and "第 6 轮" in rot


def test_html_written_with_clip_slots(built: Path) -> None:
    html = (built / "handbook.html").read_text(encoding="utf-8")
    assert html.count("单位自备短片：") == sum(b.type == "短片" for h in load_runsheets() for b in h.blocks)
    assert "Noto Sans CJK SC" in html


def _args(*argv: str) -> object:
    import argparse

    from course.handbook import cli

    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return parser.parse_args(argv)


def test_cli_ranking_without_board_is_a_chinese_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from course.handbook import cli

    monkeypatch.setitem(sys.modules, "course.board", None)  # board package absent → ImportError
    with pytest.raises(HandbookError, match="班级看板") as info:
        cli.run(_args("ranking"), ROOT)
    assert info.value.user_facing is True


def test_cli_ranking_prints_places(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from course.handbook import cli, scoring

    day3 = load_day3()
    full = {c.id: 4 for c in day3.station("热线").criteria}
    monkeypatch.setattr(scoring, "board_scores", lambda root: [
        {"station": "热线", "team": "蓝队", "judge": "王", "scores": full, "total": 100}])
    assert cli.run(_args("ranking"), ROOT) == 0
    out = capsys.readouterr().out
    assert "第 1 名  蓝队  总分 100" in out and "各站最佳：热线 蓝队" in out


def test_cli_bad_team_count() -> None:
    from course.handbook import cli

    with pytest.raises(HandbookError, match="--teams（队数）"):
        cli.run(_args("--teams", "0"), ROOT)
