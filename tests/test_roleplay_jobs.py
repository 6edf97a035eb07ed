"""Role-plays beyond the counter's eight hard cases: hotline calls, meter readers at the door and
the non-tariff complaints at the counter (low pressure and 二次供水, 欠费停水, a leak after the meter,
过户, a failed bank debit, an aggressive resident).

The engine-wide behaviour (good path succeeds, bad path escalates, every option moves the state as
the data says …) is parametrised over every scenario in tests/test_roleplay.py; here: each new
scenario's job and channel, its local facts from the profile, natural typed replies judged by the
real coach, and the few behaviours particular to one scenario.
"""

from __future__ import annotations

import pytest
import yaml

from course import local
from course import roleplay as rp
from course.coach import review
from course.roleplay import catalog
from course.roleplay.catalog import rules

# scenario → (job, channel)
JOBS = {
    "hotline_low_pressure": ("热线客服", "电话"),
    "arrears_cutoff": ("营业厅营业员", "当面"),
    "meter_customer_leak": ("抄表员", "上门"),
    "account_transfer": ("营业厅营业员", "当面"),
    "hotline_autodebit_failed": ("热线客服", "电话"),
    "meter_aggressive_resident": ("抄表员", "上门"),
    "hotline_repair_late": ("热线客服", "电话"),
}

# Replies a learner might type, without the options' wording: each must move its step on.
NATURAL = {
    "hotline_low_pressure": [
        "赵先生您好，一到晚上水就没劲儿，老人洗不了澡，这确实让人着急，这事我来帮您跟。",
        "谢谢您说得这么细。楼上楼下是不是都这样？楼里有没有加压泵房？"
        "您的户号和地址也麻烦告诉我，我记在工单上。",
        "这事您不用自己跑。今晚七点半我们派师傅到楼下测进楼水压，下午四点前我打电话给物业查泵房，"
        "明天上午十点前我给您回电话。",
    ],
    "arrears_cutoff": [
        "冯先生您先坐。老人家一天没水用，您着急我完全理解，停水是怎么通知的，我现在就帮您查。",
        "麻烦您报一下户号，我把催缴和停水通知的记录调出来，一条条念给您听，您说没收到的情况我也如实记下来。",
        "按民法典的规定，欠费要先催告，停水前还得事先通知。短信发到了您不用的旧号码，这个情况很关键，"
        "我写进核查单，请主管核查通知到底有没有送到您。",
    ],
    "meter_customer_leak": [
        "阿姨，平时一个月才八九方，这个月一下多了这么多，换谁都觉得不对劲。我是抄表员，这是我的工牌，"
        "读数我拍了照，您先看看。",
        "您把家里的龙头都关上，马桶也别冲，咱们一起盯着表上的红针看几分钟：要是还在转，"
        "就是表后面哪儿漏水了；不转的话，我帮您登记验表。",
        "龙头全关了表还在走，说明是表后面漏了，多半是马桶水箱关不严，不是谁不小心。"
        "表后的管子和马桶得请物业或者维修师傅来修，修之前可以先把表后阀门关小一点。",
    ],
    "account_transfer": [
        "陈先生您好，恭喜乔迁！过户我来帮您办，麻烦您报一下房屋地址，我先把这户的信息调出来。",
        "房子刚到手就看到欠费，谁都不舒服。这笔是交房前的用水，记在原来的户头上。今天我先给您抄个交接读数，"
        "之后的水才算您的，原户头的欠费我请主管按规定处理，下班前给您回话。",
        "我理解您想自己去找他。不过电话和身份证号属于前房主的个人信息，我们不能提供。"
        "我来联系原户主请他结清，您也可以找当时的中介帮忙联系。",
    ],
    "hotline_autodebit_failed": [
        "何女士您好，办了代扣、卡里钱也够，还冒出一笔违约金，换谁都想问个明白。"
        "谢谢您先把流水核对好了，我这就帮您查代扣记录。",
        "麻烦您报一下户号和户主姓名，再说一下银行卡最后四位，我核对一下是不是同一张卡，完整卡号和密码我们不会问。",
        "查到了：上个月我们系统升级，您这户的代扣请求没有发给银行，所以卡里的钱没扣，账单就按逾期算了违约金。"
        "这是我们的原因，不是您的问题，对不起。",
    ],
    "meter_aggressive_resident": [
        "（后退一步，和他保持距离）马先生，您别急，我听您说，读数的事咱们弄清楚，我不跟您争。",
        "咱们不争谁对谁错，一起看表，我把读数念出来，您对一下，再拍张照片，照片和上个月的记录一起交营业所复核。",
        "我先离开，读数的事营业所会答复您。离开后我马上报告班长，如果您继续阻拦，我会报警处理。",
    ],
    "hotline_repair_late": [
        "周先生您好，我是热线客服。您早上八点报的修，说好上午来人，到现在师傅没到、回电也没有，"
        "在家守了一上午，换谁都着急，这事我现在就帮您跟。",
        "辛苦您跟我核对一下户号、地址和现在能接到的电话，我好把早上的报修单调出来，免得查错。",
        "谢谢您，信息我都记下了。我现在查一下报修单派到哪儿了，大约需要一分钟，您别挂，我查好马上回来告诉您。",
    ],
}

# A typed reply that makes each scenario's typical mistake: it must hurt and not move the step on.
MISTAKES = {
    "hotline_low_pressure": "高层水压低是物业的事，不归我们管，您找物业去吧。",
    "arrears_cutoff": "欠费就停水，公司的规定就是这样。",
    "meter_customer_leak": "表是不会错的，肯定是您家自己用多了。",
    "account_transfer": "前房主欠的钱跟我们没关系，你们自己找他去。",
    "hotline_autodebit_failed": "代扣失败肯定是您卡里没钱，这个您问银行去。",
    "meter_aggressive_resident": "你吼什么吼！有本事你动手试试！",
    "hotline_repair_late": "不可能没来吧，我们师傅都很准时，您是不是没听见敲门？",
}


def _good_index(session: rp.Session) -> int:
    blocking = rules().blocking
    return next(i for i, o in enumerate(session.option_details)
                if set(o.signals) & set(session.current_goal) and not set(o.signals) & blocking)


def _options(sid: str) -> list[str]:
    return [o.text for b in catalog.load_scenario(sid).beats for o in b.options]


def test_every_new_scenario_is_in_the_catalog_with_its_job_and_channel():
    assert set(JOBS) <= set(rp.scenarios())
    for sid, (job, channel) in JOBS.items():
        scen = rp.scenario(sid)
        assert (scen.job, scen.channel, scen.case) == (job, channel, 0), sid


def test_the_lesson_lists_every_non_case_scenario_by_job_from_the_catalog():
    import json
    from pathlib import Path

    nb = json.loads((Path(__file__).resolve().parents[1] / "notebooks" / "03_恶意投诉.ipynb")
                    .read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    # the 7.3 table is generated from the catalog, so new scenarios appear without a notebook edit
    assert any("roleplay.scenarios()" in c and ".job" in c and ".channel" in c for c in cells)


@pytest.mark.parametrize("sid", sorted(NATURAL))
def test_natural_typed_replies_move_each_step_on(sid):
    s = rp.start(sid)
    start_anger = s.state.anger
    for text in NATURAL[sid]:
        assert not review(text).forbidden, text
        turn = s.reply(text)
        assert turn.move.advanced, (sid, text, turn.move.signals)
        assert not turn.move.harmful
    assert s.state.step == len(NATURAL[sid])
    assert s.state.anger < start_anger
    assert not (s.state.ended and not s.state.ending.good)


@pytest.mark.parametrize("sid", sorted(MISTAKES))
def test_the_typical_mistake_typed_in_own_words_hurts_and_does_not_move_on(sid):
    s = rp.start(sid)
    before = s.state
    turn = s.reply(MISTAKES[sid])
    assert turn.move.harmful, turn.move.signals
    assert not turn.move.advanced
    assert turn.state.anger > before.anger and turn.state.trust <= before.trust


@pytest.mark.parametrize("sid", sorted(NATURAL))
def test_natural_replies_then_the_model_options_finish_well(sid):
    s = rp.start(sid)
    for text in NATURAL[sid]:
        s.reply(text)
    while not s.state.ended:
        s.choose(_good_index(s))
    assert s.state.ending.kind == "success" and s.state.ending.good


def _profile_with(tmp_path, changes: dict):
    raw = local.load("shili").as_dict()
    for path, value in changes.items():
        group, key = path.split(".")
        raw[group][key] = value
    raw["id"] = "other_utility"
    file = tmp_path / "other_utility.yaml"
    file.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return file


def test_local_facts_in_the_new_scenarios_come_from_the_profile(tmp_path, monkeypatch):
    shili = local.load("shili")
    assert any(shili.text("maintenance.leak_relief") in t for t in _options("meter_customer_leak"))
    assert any(shili.text("maintenance.utility_part") in t for t in _options("hotline_low_pressure"))
    assert any(f"{shili.text('interruption.restore_hours')} 小时内恢复" in t
               for t in _options("arrears_cutoff"))
    other = _profile_with(tmp_path, {
        "interruption.restore_hours": 12, "interruption.arrears_notice_days": 5,
        "maintenance.leak_relief": "户表后暗漏修好后凭维修凭证申请，漏失水量按第一档价格减半计收",
        "maintenance.utility_part": "本公司维护到小区红线处的总表"})
    monkeypatch.setenv("COURSE_PROFILE", str(other))
    assert any("12 小时内恢复" in t for t in _options("arrears_cutoff"))
    assert any("至少提前 5 天书面通知" in t for t in _options("arrears_cutoff"))
    assert any("按第一档价格减半计收" in t for t in _options("meter_customer_leak"))
    assert any("小区红线处的总表" in t for t in _options("hotline_low_pressure"))
    for sid in JOBS:
        assert not any("{本地." in t for t in _options(sid)), sid


@pytest.mark.parametrize(("path", "value", "expect"), [
    ("interruption.restore_hours", 0, "1 到 168 之间"),
    ("interruption.arrears_notice_days", "七天", "整数"),
    ("maintenance.leak_relief", "", "不能为空"),
])
def test_the_new_profile_fields_are_validated_in_chinese(path, value, expect):
    raw = local.load("shili").as_dict()
    group, key = path.split(".")
    raw[group][key] = value
    problems = local.validate(raw, "shili")
    assert len(problems) == 1 and path in problems[0] and expect in problems[0]
    del raw[group][key]
    assert any("缺少" in p and path in p for p in local.validate(raw, "shili"))


def test_the_maintenance_card_shows_the_boundary_and_the_leak_rule():
    shown = str(local.show("maintenance"))
    assert "设施维护分界" in shown
    assert local.current().text("maintenance.secondary_supply") in shown


def test_arrears_procedure_is_explained_without_threatening_to_cut_off_again():
    scen = rp.scenario("arrears_cutoff")
    rules_beat = next(b for b in scen.beats if b.id == "rules")
    good = next(o for o in rules_beat.options if "explain" in o.signals
                and not set(o.signals) & rules().blocking)
    assert "催告" in good.text and "事先通知" in good.text  # 民法典 第六百五十四条
    hardship = next(b for b in scen.beats if b.id == "hardship")
    threat = next(o for o in hardship.options if "再停" in o.text)
    assert "forbidden" in threat.signals


def test_the_previous_owners_details_are_never_given_out():
    s = rp.start("account_transfer")
    for _ in range(2):
        s.choose(_good_index(s))
    leak = next(i for i, o in enumerate(s.option_details) if "偷偷" in o.text)
    turn = s.choose(leak)
    assert not turn.move.advanced and "overpromise" in turn.move.signals
    assert turn.state.trust < s.history[-2].trust


def test_giving_in_to_a_threat_at_the_door_never_counts():
    s = rp.start("meter_aggressive_resident")
    for _ in range(2):
        s.choose(_good_index(s))
    assert s.scenario.beats[s.state.step].id == "threat"
    give_in = next(i for i, o in enumerate(s.option_details) if "改" in o.text
                   and "overpromise" in o.signals)
    assert not s.choose(give_in).move.advanced


def test_the_aggressive_resident_ends_with_the_reader_safe_and_the_office_following_up():
    s = rp.play("meter_aggressive_resident", rp.scripted_path("meter_aggressive_resident"))
    assert s.state.ending.good and s.state.outcome == "handed_over"
    assert "抄表班班长" in s.state.ending.to
    assert "safety" in s.moves[0].signals  # keeping distance comes before anything else
