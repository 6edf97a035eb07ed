"""The coach judges what a reply does (speech acts), resists gaming and explains itself."""

from __future__ import annotations

import re

import pytest

from course.coach import review
from course.coach.classifier import clause_text, load
from course.coach.gaming import check
from course.coach.text import normalise, parse

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(("text", "act"), [
    ("这事归物业管，您找他们去", "shirk"),
    ("是您自己没看清楚吧", "blame"),
    ("您这么说有什么根据？", "interrogate"),
    ("这有啥不会的", "belittle"),
    ("过两天再说吧", "stall"),
    ("不交的话后果自负", "threaten"),
])
def test_the_paraphrases_the_phrase_lists_missed_are_found_with_a_chinese_reason(text, act):
    r = review(text)
    found = [f for f in r.forbidden if f.rule == act]
    assert found, [f.rule for f in r.forbidden]
    f = found[0]
    assert text[f.span[0]:f.span[1]] == f.excerpt and CJK.search(f.message) and f.suggestion
    assert f.name.startswith("禁语") and not r.passed


@pytest.mark.parametrize("text", [
    "您不用再去问别人，我来办。",
    "这不是您的错，是我们没通知到位。",
    "我们不会对您说“这是常有的事”，您的事我们马上查。",
    "我保证今天下午五点前给您回电话。",
    "请问您家最近有没有装修或者换过水管？我问这个是为了帮您找原因。",
    "要是读数没问题，明天上午我安排师傅上门查漏。",
])
def test_harmless_look_alikes_and_rejected_quotes_are_not_forbidden(text):
    assert review(text).forbidden == ()


def test_warmth_in_any_wording_opens_and_closes_the_reply():
    r = review("大热天跑一趟，辛苦您了。我马上帮您把近半年的读数调出来，十分钟出结果。"
               "有事随时招呼我。", scenario="estimated_reading")
    assert r.sandwich and r.next_step and r.passed


def test_a_natural_colloquial_reply_without_formulas_passes():
    r = review("您别急，水费一下子翻倍，搁谁都会觉得表有问题。我这就把您家近半年的读数调出来，"
               "咱俩一起对一对；要是读数没问题，明天上午我安排师傅上门检查有没有漏水。有事您直接找我。",
               scenario="broken_meter")
    assert r.passed and r.sandwich and r.next_step and r.addresses_core


@pytest.mark.parametrize("text", [
    "理解您的心情。验表验表验表，读数读数读数，漏水漏水。祝您生活愉快，谢谢！",
    "理解您的心情。验表 读数 漏水 阶梯 水价 核对 上门 今天。祝您生活愉快！",
    "您好！感谢您的耐心等待！理解您的心情！感谢您的支持！祝您生活愉快！",
    "理解您的心情。我马上帮您查。我马上帮您查。我马上帮您查。祝您生活愉快！",
])
def test_keyword_salad_repetition_and_stock_phrases_never_pass(text):
    r = review(text, scenario="broken_meter")
    assert not r.passed and r.score < 60
    assert r.gaming or not r.addresses_core


def test_a_gaming_finding_says_in_chinese_what_was_wrong():
    r = review("理解您的心情。验表验表验表，读数读数读数，漏水漏水。祝您生活愉快，谢谢！")
    assert r.gaming and all(CJK.search(reason) for reason in r.gaming)
    assert "gaming" in {f.rule for f in r.findings}


def test_unrelated_polite_text_does_not_address_this_complaint():
    r = review("您好，我司将于本周六开展节水进社区活动，欢迎您携家人参加，谢谢！",
               scenario="refuse_to_pay")
    assert r.addresses_core is False and not r.passed


def test_normalising_keeps_every_position_and_findings_quote_what_was_typed():
    raw = "您这么说有什么根据?   这个我们不管,您找物业去吧!"
    assert len(normalise(raw)) == len(raw)
    r = review(raw)
    assert r.forbidden and all(raw[f.span[0]:f.span[1]] == f.excerpt for f in r.forbidden)


def test_replies_typed_without_punctuation_are_cut_at_spaces():
    doc = parse("您别急 我马上帮您查读数 今天下午给您回电话")
    assert len(doc.clauses) == 3


def test_quoted_words_are_masked_for_the_model():
    doc = parse("我们不会说“这不归我们管”这种话。")
    assert "不归" not in clause_text(doc, doc.clauses[0])


def test_the_learned_model_names_the_words_that_made_it_decide():
    m = load()
    assert 0 < m.threshold < 1
    clause = "你们这种人就是事多"
    if m.probability(clause) >= m.threshold:
        assert m.evidence(clause)
    assert m.probability("我马上帮您把读数调出来") < m.threshold


def test_gaming_checks_are_quiet_on_a_real_reply():
    g = check(parse("您先坐，我看一下您家的账单。上个月读数是1203，这个月是1241，用了38方。"))
    assert not g.gaming and not g.reasons


def test_the_model_reads_a_clause_with_its_words_and_its_neighbours():
    from course.coach.classifier import clause_features

    doc = parse("我们不会说，这事归物业管，我现在就帮您联系物业。")
    feats = clause_features(doc, doc.clauses[1])
    assert "W物业" in feats and "P会说" in feats and "N我现" in feats
    assert not any(g.startswith("P") for g in clause_features(doc, doc.clauses[0]))


def test_the_model_sets_aside_a_frame_hit_only_below_its_veto(monkeypatch):
    import dataclasses

    from course.coach import acts

    text = "您好，这事归物业管，您找他们去。"
    assert [f.rule for f in review(text).forbidden] == ["shirk"]
    m = load()
    monkeypatch.setattr(acts, "load", lambda: dataclasses.replace(m, veto=1.0, threshold=1.0,
                                                                   _seen={}))
    assert review(text).forbidden == ()  # every clause is below a veto of 1: all set aside
    monkeypatch.setattr(acts, "load", lambda: dataclasses.replace(m, veto=0.0, _seen={}))
    assert [f.rule for f in review(text).forbidden] == ["shirk"]


@pytest.mark.parametrize(("text", "step"), [
    ("您反映的情况我们已经记录了，会尽快安排人员处理，有消息会通知您。", False),
    ("您的意见我们会转达给相关部门，请您耐心等待。", False),
    ("我现在就给您开验表单，明天上午十点前师傅上门，到之前会先给您打电话。", True),
    ("您把户号报给我，我马上调出这半年的读数逐月核对。", True),
])
def test_a_vague_promise_is_not_a_next_step(text, step):
    assert review(text).next_step is step


def test_warm_openings_and_closes_in_dialect_make_three_layers():
    r = review("阿姨侬覅急，排了老半天真个辛苦侬了。我马上帮侬查一下这半年额读数，今朝就给侬讲清爽。"
               "有啥事体再来寻我，慢慢走啊。")
    assert r.sandwich
    assert not review("您家这半年的读数我马上调出来核对，今天下午五点前给您回电话。").sandwich
