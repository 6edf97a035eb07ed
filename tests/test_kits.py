"""Role-play kits: cards derived from the scenario data and the local profile, printed as A4 PDFs."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from course import kits, legal, local, roleplay
from course.coach import list_forbidden_rules
from course.coach.knowledge import checklist
from course.local import Profile
from course.roleplay.catalog import rules

IDS = roleplay.scenarios()


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _authority() -> list[str]:
    auth = local.current().get("authority")
    return [x for key in ("counter_clerk", "supervisor", "never") for x in auth[key]]


@pytest.mark.parametrize("sid", IDS)
def test_cards_carry_the_scenario_and_keep_roles_apart(sid: str) -> None:
    s = roleplay.scenario(sid)
    cust, staff, obs = kits.kit_cards(sid)
    need = rules().needs[s.need]["description"]
    c, t = cust.text(), staff.text()
    # customer card: situation, hidden motive, escalation lines, calm-down goals, endings
    assert s.beats[0].customer[0] in c and s.profile in c and need in c
    assert s.endings["success"].line in c and s.endings["explode"].line in c
    assert f"{s.turn_limit} 轮" in c
    for beat in s.beats:
        assert beat.pushback[0] in c
    # staff card: the local profile's authority limits, the scenario's legal entries
    for limit in _authority():
        assert limit in t and limit not in c
    for e in (legal.entry(i) for i in s.legal):
        assert e.gist in t and e.gist not in c
    assert s.endings["handover"].to in t
    # the hidden motive stays off the staff card
    assert need not in t and "你真正想要的" not in t
    # observer sheet: 15 actions, 10 steps, 3 layers, every beat, every 禁语
    groups = [g for g, _ in kits.sheet_items(obs)]
    assert groups.count("action") == len(checklist("fifteen_actions").items) == 15
    assert groups.count("step") == len(checklist("ten_steps").items) == 10
    assert groups.count("layer") == 3
    assert groups.count("move") == len(s.beats)
    assert groups.count("forbidden") == len(list_forbidden_rules())
    assert len({it.id for _, it in kits.sheet_items(obs)}) == len(groups)  # ids unique
    html = kits.render_html([cust, staff, obs])
    assert html.count('class="page ') == 3 and "仅扮演顾客的学员阅读" in html


def test_phone_scenario_uses_the_phone_wording_of_the_actions() -> None:
    sid = next(i for i in IDS if roleplay.scenario(i).channel == "电话")
    obs = kits.observer_sheet(sid)
    first = checklist("fifteen_actions").items[0]
    hints = {it.id: it.hint for _, it in kits.sheet_items(obs)}
    assert hints["action1"] == first.phone != first.tip


def test_staff_card_follows_the_profile_given() -> None:
    raw = local.current().as_dict()
    raw["authority"]["supervisor"] = ["核销坏账（测试用）"]
    raw["late_fee"]["waiver"] = "客户服务中心经理"
    text = kits.staff_card("refuse_to_pay", Profile(raw)).text()
    assert "须由主管批准：核销坏账（测试用）" in text and "客户服务中心经理" in text
    assert "须由主管批准：减免违约金" not in text


def test_score_counts_good_ticks_and_forbidden_heard() -> None:
    obs = kits.observer_sheet("rude_customer")
    good = [it.id for g, it in kits.sheet_items(obs) if g != "forbidden"]
    ticks = {good[0]: True, good[1]: True, good[2]: False, "forbidden_shirk": True}
    sc = kits.score(obs, ticks)
    assert (sc.score, sc.max, sc.forbidden_heard) == (2, 15 + 10 + 3 + 3, 1)
    assert "2 / 31" in str(sc)
    with pytest.raises(kits.KitError, match="nope"):
        kits.score(obs, {"nope": True})
    with pytest.raises(kits.KitError, match="观察员记录表"):
        kits.score(kits.customer_card("rude_customer"), {})


def test_bad_scenario_id_names_the_valid_ids(tmp_path: Path) -> None:
    with pytest.raises(kits.KitError) as exc:
        kits.build_kits(tmp_path, ["no_such_case"], tmp_path)
    msg = str(exc.value)
    assert "no_such_case" in msg and all(i in msg for i in IDS)
    assert exc.value.user_facing is True
    with pytest.raises(kits.KitError, match="场景编号只能是以下之一"):
        kits.customer_card("no_such_case")
    assert not list(tmp_path.glob("*.pdf"))


def test_cli_writes_one_pdf_per_scenario_and_an_all_in_one(tmp_path: Path, capsys) -> None:
    from course.kits import cli
    from course.pdf import page_texts

    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    ids = ["rude_customer", "hotline_low_pressure"]
    args = parser.parse_args([*ids, "--out", str(tmp_path / "out")])
    assert cli.run(args, tmp_path) == 0
    assert "共 3 个 PDF" in capsys.readouterr().out
    for sid in ids:
        s = roleplay.scenario(sid)
        pages = [_flat(p) for p in page_texts(tmp_path / "out" / f"{sid}.pdf")]
        assert len(pages) == 3  # each card on its own A4 page
        cust, staff, obs = pages
        assert "顾客卡" in cust and "剪裁线" in cust and _flat(s.endings["success"].line) in cust
        assert "员工卡" in staff and all(_flat(x) in staff for x in _authority())
        assert not any(_flat(x) in cust for x in _authority())
        assert "观察员记录表" in obs
        assert all(i.name in obs for i in checklist("fifteen_actions").items)
        assert all(a.name in obs for a in list_forbidden_rules())
    assert len(page_texts(tmp_path / "out" / "全部场景.pdf")) == 6


def test_cli_default_out_is_reports_kits(tmp_path: Path) -> None:
    from course.kits import cli

    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    with pytest.raises(kits.KitError):
        cli.run(parser.parse_args(["bogus"]), tmp_path)
    args = parser.parse_args(["threat"])
    assert args.out is None and args.scenarios == ["threat"]
