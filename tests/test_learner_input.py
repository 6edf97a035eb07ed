"""Answers typed with a Chinese input method mean what the learner meant; mistakes are explained.

The same normalisation serves the lesson kernels, the format checks, the self-checks and the
grader (`course grade` and stock `nbgrader autograde` run the same kernel extension).
"""

from __future__ import annotations

import ast
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course.fullwidth import CHOICE_LETTERS, normalize_answer, normalize_code
from course.grading.checks import AnswerError, expect_choice, expect_choices, expect_order
from course.grading.selfcheck import check
from course.learner import explain_error, explain_name_error, explain_syntax_error

_FULL = {",": "，", "(": "（", ")": "）", "[": "［", "]": "］", "{": "｛", "}": "｝",
         ":": "：", "=": "＝", ".": "．", " ": "\u3000"}


def _to_full_width(code: str) -> str:
    """What a learner types with the IME on: ASCII → full width, "…" → “…”."""
    out, in_str = [], False
    for ch in code:
        if ch == '"':
            out.append("”" if in_str else "“")
            in_str = not in_str
        elif in_str:
            out.append(ch)
        elif ch.isdigit() or (ch.isalpha() and ch.isascii()):
            out.append(chr(ord(ch) + 0xFEE0))
        else:
            out.append(_FULL.get(ch, ch))
    return "".join(out)


_letters = st.sampled_from(list(CHOICE_LETTERS))
_numbers = st.one_of(st.integers(0, 10**6), st.decimals(0, 10000, places=2).map(str).map(float))
_values = st.one_of(
    _numbers.map(repr),
    _letters.map(lambda c: f'"{c}"'),
    st.lists(_letters, min_size=1, max_size=6).map(lambda xs: "[" + ", ".join(f'"{x}"' for x in xs) + "]"),
    st.sets(_letters, min_size=1, max_size=5).map(lambda xs: "{" + ", ".join(f'"{x}"' for x in sorted(xs)) + "}"),
)


@given(_values)
def test_a_full_width_answer_means_the_same_value_as_the_ascii_one(value: str) -> None:
    ascii_code = f"answer_q1 = {value}"
    typed = _to_full_width(ascii_code)
    assert typed != ascii_code
    assert ast.literal_eval(normalize_code(typed).split("=", 1)[1].strip()) == ast.literal_eval(value)


@pytest.mark.parametrize(("typed", "meant"), [
    ("choice_q7 = “B”", 'choice_q7 = "B"'),
    ("order_q10 = [“B”，“D”，“A”，“C”]", 'order_q10 = ["B","D","A","C"]'),
    ("strategies_q11 = ｛A，C、D，E｝", "strategies_q11 = {A,C,D,E}"),
    ("bill_q1 = ４０.８", "bill_q1 = 40.8"),
    ("bill_q1 = 40。8", "bill_q1 = 40.8"),
    ("next_price_q13 = ４．４", "next_price_q13 = 4.4"),
    ("choice_q7 = B。", "choice_q7 = B"),
    ("choice_q7 = ‘B’", 'choice_q7 = "B"'),
    ("reply = “他说“好”了”", 'reply = "他说“好”了"'),
])
def test_ime_punctuation_outside_strings_becomes_python(typed: str, meant: str) -> None:
    assert normalize_code(typed) == meant


@pytest.mark.parametrize("text", [
    'reply = "您好，我来帮您查一下。（工号 2231）"',
    "# 注释里的，中文标点：保持原样",
    'x = """多行，\n内容：不变"""',
    "bill_q1 = 40.8",
])
def test_text_inside_strings_and_comments_is_left_as_typed(text: str) -> None:
    assert normalize_code(text) == text


def test_one_normalisation_for_the_format_check_the_self_check_and_the_tests() -> None:
    assert expect_choice("Ｂ", "choice_q7", "ABCD") == "B"
    assert expect_choices("Ａ，Ｃ", "q", "ABCD") == {"A", "C"}
    assert expect_order(["Ｂ", "Ｄ", "Ａ", "Ｃ"], "q", "ABCD") == ["B", "D", "A", "C"]
    assert check("ch1.practice_unit", "Ｂ").correct
    assert check("ch1.practice_unit", " B ").correct
    assert normalize_answer({"Ａ", "Ｃ "}) == {"A", "C"}


def test_self_check_and_grader_agree_on_a_number_in_quotes() -> None:
    """Told right means graded right: a quoted number is not a number for either."""
    with pytest.raises(AnswerError):
        from course.grading.checks import expect_number

        expect_number("59.8", "practice_bill")
    result = check("ch1.practice_bill", "59.8")
    assert not result.correct and "引号" in result.message


def test_checks_show_nothing_when_a_cell_ends_with_them() -> None:
    letter = expect_choice("B", "choice_q7", "ABCD")
    assert letter == "B" and hasattr(letter, "_ipython_display_")


@pytest.mark.parametrize(("name", "says"), [
    ("bill_q1", "答案格子还没有运行"),
    ("BillCalculator", "准备"),
    ("review", "准备"),
    ("b", "大写"),
    ("您好", "引号"),
    ("unknown_thing", "检查拼写"),
])
def test_a_name_error_says_what_to_do_in_chinese(name: str, says: str) -> None:
    message = explain_name_error(name)
    assert says in message
    assert "NameError" not in message and "defined" not in message


@pytest.mark.parametrize(("code", "says"), [
    ("bill_q1 = 40.8元", "单位"),
    ("x = (1, 2", "括号"),
    ('reply = "您好', "引号"),
    ("reply = 您好 我来查", "引号"),
    ("  x = 1", "空格"),
    ("x = 1 ※", "符号"),
])
def test_a_syntax_error_is_explained_with_its_line_and_a_hint(code: str, says: str) -> None:
    try:
        compile(normalize_code(code), "<cell>", "exec")
    except SyntaxError as exc:
        message = explain_syntax_error(exc)
    else:  # pragma: no cover - every example is a syntax error
        raise AssertionError(code)
    assert says in message and "Python 看不懂" in message
    assert "SyntaxError" not in message


def test_the_courses_own_errors_show_their_message_alone() -> None:
    from course import tariff

    try:
        tariff.usage_from_readings(1252, 1234)
    except ValueError as exc:
        assert explain_error(exc) == str(exc)
    assert "除以 0" in explain_error(ZeroDivisionError("division by zero"))


def test_every_choice_letter_is_its_own_name_in_a_learner_kernel() -> None:
    from IPython.testing.globalipapp import start_ipython

    shell = start_ipython()
    from course.learner import setup

    setup(shell)
    shell.run_cell("choice_q7 = B\norder_q10 = [“B”，“D”，“A”，“C”]\nbill_q1 = ４０.８")
    assert shell.user_ns["choice_q7"] == "B"
    assert shell.user_ns["order_q10"] == ["B", "D", "A", "C"]
    assert shell.user_ns["bill_q1"] == 40.8
    assert unicodedata.normalize("NFKC", "Ｂ") == "B"
