"""Chapter 2 grading helpers (course.grading.reply_checks) reject wrong answers with teaching messages."""

from __future__ import annotations

import pytest

from course.coach import review
from course.grading.checks import AnswerError
from course.grading.reply_checks import (
    PARTS,
    expect_choice_list,
    expect_forbidden_phrase,
    expect_reply_part,
)

BAD = "不交水费就给你停水，公司的规定就是这样的，你自己看着办。"
GOOD = ("您先消消气，有什么不满意的您跟我说。我马上帮您把账单逐项核对，今天下班前给您结果；"
        "如果一次缴清有困难，也可以为您申请分期缴纳。谢谢您的耐心，有问题随时找我！")


@pytest.mark.parametrize(
    ("text", "part", "says"),
    [
        (BAD, "core", "和原来的回复一样"),
        ("您先消消气。公司的规定就是这样的，我马上帮您核对账单，今天给您结果。谢谢您！", "clean", "规定就是这样"),
        ("您先消消气，有什么不满意的您跟我说。我们会把您的意见记录下来，向上级反映。谢谢您的耐心！", "core",
         "核心问题"),
        ("好的", "clean", "太短"),
        (None, "next", "还没有作答"),
    ],
)
def test_a_weak_rewrite_fails_and_says_why(text, part, says):
    with pytest.raises(AnswerError, match=says):
        expect_reply_part(text, "rewrite", scenario="refuse_to_pay", part=part, original=BAD)


def test_the_bad_originals_of_the_assignment_fail_the_coach():
    for text in (BAD, "水表是不可能坏的，肯定是你家里漏水了，这种问题我们见得多了。",
                 "通知早就贴出去了，你自己没看到怪谁？什么时候来水我也不知道。"):
        r = review(text)
        assert r.forbidden and not r.sandwich


def test_forbidden_phrase_must_be_copied_and_forbidden():
    reply = "您说的情况我了解了，不过公司的规定就是这样的，估抄的水费下个月会自动调整。"
    expect_forbidden_phrase("公司的规定就是这样的", "p", reply)
    expect_forbidden_phrase("“规定就是这样”", "p", reply)  # quotes and a shorter copy are fine
    with pytest.raises(AnswerError, match="不是禁语"):
        expect_forbidden_phrase("估抄的水费", "p", reply)
    with pytest.raises(AnswerError, match="一字不差"):
        expect_forbidden_phrase("公司规定就这样", "p", reply)


def test_choice_list_checks_form():
    assert expect_choice_list(["c", "A", "b"], "x", 3, "ABC") == ["C", "A", "B"]
    assert expect_choice_list("C、A、B", "x", 3, "ABC") == ["C", "A", "B"]
    for bad, says in ((None, "还没有作答"), (["A"], "正好有 3 个"), (["A", "B", "Z"], "不存在"),
                      (3, "字母列表")):
        with pytest.raises(AnswerError, match=says):
            expect_choice_list(bad, "x", 3, "ABC")


# --------------------------------------------------------------------------- one point per part


def test_a_good_rewrite_earns_every_auto_point():
    for part in PARTS:
        expect_reply_part(GOOD, "rewrite", scenario="refuse_to_pay", part=part, original=BAD)


@pytest.mark.parametrize(("text", "fails", "says"), [
    ("您先消消气。公司的规定就是这样的，我马上帮您核对账单，今天下午五点前给您结果。谢谢您！",
     {"clean"}, "禁语"),
    ("您别着急，欠费停水之前会先通知，账单有疑问的话可以核实，也有分期和缓缴的办法。谢谢您的理解！",
     {"next"}, "下一步"),
    ("理解您的心情。验表验表验表，读数读数读数，漏水漏水。祝您生活愉快，谢谢！",
     {"clean", "core", "next"}, "不像一段真正的回复"),
])
def test_each_auto_point_fails_alone_and_says_why_in_chinese(text, fails, says):
    for part in PARTS:
        if part in fails:
            with pytest.raises(AnswerError, match=says):
                expect_reply_part(text, "rewrite", scenario="refuse_to_pay", part=part)
        else:
            expect_reply_part(text, "rewrite", scenario="refuse_to_pay", part=part)
