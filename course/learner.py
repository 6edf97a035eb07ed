"""The learner's kernel: answers typed with a Chinese input method, Chinese messages, no tracebacks.

An IPython extension, loaded in every kernel of the course's environment (the kernel
configuration written by ``course setup``) and again by each notebook's setup cell
(:func:`setup`), so stock ``nbgrader autograde`` and ``course grade`` see the same thing:

* code cells are passed through :func:`course.fullwidth.normalize_code` first, so ``“B”``,
  ``[“B”，“D”]`` and ``４０.８`` mean what the learner meant;
* the option letters ``A`` … ``J`` are names that stand for themselves, so ``choice_q7 = B``
  needs no quotes;
* a mistake shows one short Chinese message that says what to change (a syntax error, a name
  not defined because the setup cell was skipped, text without quotes …) instead of an English
  traceback; the course's own errors show their Chinese message alone.

>>> explain_name_error("bill_q1")
'答案 bill_q1 还没有定义：它的答案格子还没有运行，或者运行时出错了。先把那一格改好并运行，再运行这一格。'
"""

from __future__ import annotations

import re
import sys
import types
from typing import Any

from course.fullwidth import CHOICE_LETTERS, normalize_code

__all__ = ["explain_error", "explain_name_error", "explain_syntax_error",
           "load_ipython_extension", "setup"]

_CJK = re.compile(r"[\u3400-\u9fff]")
_ANSWER = re.compile(r"^[a-z]+\w*_q\d+$")
_TOOLS = frozenset({
    "tariff", "coach", "roleplay", "crisis", "review", "review_statement", "check",
    "BillCalculator", "ResponseDrafter", "ScenarioPlayer", "CrisisDrill", "plot_staircase",
    "plot_bill", "plot_session", "plot_drill", "use_chinese_fonts", "fresh_module",
    "AnswerError", "expect_number", "expect_close", "expect_choice", "expect_choices",
    "expect_order", "expect_same", "expect_text", "expect_reply_part", "expect_forbidden_phrase",
    "expect_choice_list", "tariff_design", "show_table", "checklist", "psychologies",
})
_GREY, _RED, _RESET = "\x1b[90m", "\x1b[31m", "\x1b[0m"
_MARK = "setup_done"


def explain_name_error(name: str) -> str:
    """What to do about a name that is not defined (a Chinese sentence)."""
    if len(name) == 1 and name.upper() in CHOICE_LETTERS and name.islower():
        return f"选项字母要大写：写成 {name.upper()}。"
    if _CJK.search(name):
        return (f"“{name}”不是程序里的名称：文字答案要放在英文引号里，"
                f"例如 reply = \"{name}……\"。")
    if name in _TOOLS:
        return (f"{name} 是课程工具，还没有载入：请先运行本页最上面的“准备”格子，"
                "再运行这一格。")
    if _ANSWER.match(name):
        return (f"答案 {name} 还没有定义：它的答案格子还没有运行，或者运行时出错了。"
                "先把那一格改好并运行，再运行这一格。")
    return f"{name} 还没有定义：检查拼写，或者从上到下依次运行前面的格子。"


def explain_syntax_error(exc: SyntaxError) -> str:
    """A syntax error in a learner's cell, explained in Chinese with the line and a hint."""
    line = (exc.text or "").rstrip("\n")
    where = f"（第 {exc.lineno} 行）" if exc.lineno else ""
    msg = str(exc.msg or "")
    if isinstance(exc, IndentationError):
        hint = "这一行前面多了或少了空格：答案从行首写起，不要缩进。"
    elif re.search(r"\d\s*[\u3400-\u9fff]", line):
        hint = "数字后面不要写单位（如“元”“立方米”），只写数字，例如 bill_q1 = 40.8。"
    elif "invalid character" in msg:
        bad = re.search(r"'(.)'", msg)
        symbol = f"“{bad.group(1)}”" if bad else "一个中文符号"
        hint = f"这一行有 Python 不认识的符号{symbol}：请切换到英文半角输入后再输入这个符号。"
    elif "unterminated" in msg or "EOL" in msg or "EOF while scanning" in msg:
        hint = "引号没有成对：文字的开头和结尾都要有引号。"
    elif "never closed" in msg or "unmatched" in msg or "does not match" in msg:
        hint = "括号没有成对：每个 (、[、{ 都要有对应的 )、]、}。"
    elif "forgot a comma" in msg:
        hint = "可能少了逗号：列表或集合里的各项之间要用逗号隔开，例如 [\"B\", \"D\"]。"
    elif _CJK.search(line.split("#", 1)[0]):
        hint = "文字答案要放在英文引号里，例如 reply = \"您好……\"。"
    else:
        hint = "请对照题目里的例子检查：引号、括号、逗号是否齐全。"
    shown = f"\n    {line}" if line.strip() else ""
    return f"这一格的写法有误{where}，Python 看不懂：{shown}\n{hint}改好后再运行这一格。"


_SIMPLE = {
    "ZeroDivisionError": "算式里除以 0 了：检查除数。",
    "TypeError": "数据类型用错了（例如把文字和数字相加）：数字不要加引号，文字要加引号。",
    "KeyError": "要找的那一项不存在：检查名称或编号是否写对。",
    "IndexError": "序号超出了范围：检查序号是否写对（从 0 开始数）。",
    "ValueError": "有一个值不合要求：请对照题目检查输入。",
    "AttributeError": "这个对象没有这一项：检查点号后面的名称是否写对。",
    "ImportError": "课程工具没有载入成功：请重新运行本页最上面的“准备”格子；还不行就请讲师检查安装。",
    "ModuleNotFoundError": "课程工具没有载入成功：请重新运行本页最上面的“准备”格子；还不行就请讲师检查安装。",
    "RecursionError": "代码陷入了无穷的自我调用：请检查刚写的代码。",
    "MemoryError": "内存不够了：可能算的东西太多，请检查刚写的代码。",
}


def explain_error(exc: BaseException) -> str:
    """One Chinese message for an exception raised by a learner's cell."""
    if isinstance(exc, SyntaxError):
        return explain_syntax_error(exc)
    if type(exc).__module__.startswith("course.") or type(exc).__module__ == "course":
        return str(exc)
    if isinstance(exc, NameError) and getattr(exc, "name", None):
        return explain_name_error(str(exc.name))
    name = type(exc).__name__
    return _SIMPLE.get(name, f"运行出错了（{name}）：请检查刚写的内容，或请讲师帮忙。")


def _lines(exc: BaseException) -> list[str]:
    message = explain_error(exc)
    own = type(exc).__module__.startswith("course")
    out = [f"{_RED}{message}{_RESET}"]
    if not own:
        out.append(f"{_GREY}（给讲师的技术信息：{type(exc).__name__}: {exc}）{_RESET}")
    return out


def _custom_handler(shell: Any, etype: type, value: BaseException, tb: Any,
                    tb_offset: Any = None) -> list[str]:
    stb = _lines(value)
    shell._showtraceback(etype, value, stb)
    return stb


def _showsyntaxerror(self: Any, filename: Any = None, running_compiled_code: bool = False) -> None:
    etype, value, _tb = sys.exc_info()
    if value is None:
        return
    self._showtraceback(etype, value, _lines(value))


def _transform(lines: list[str]) -> list[str]:
    text = "".join(lines)
    fixed = normalize_code(text)
    return lines if fixed == text else fixed.splitlines(keepends=True)


def setup(shell: Any = None) -> None:
    """Turn the course's input and message handling on in this kernel (idempotent)."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython comes with Jupyter
            return
        shell = get_ipython()
    if shell is None or getattr(shell, "_course_learner", None) == _MARK:
        return
    shell._course_learner = _MARK
    shell.input_transformers_cleanup.insert(0, _transform)
    for letter in CHOICE_LETTERS:
        shell.user_ns.setdefault(letter, letter)
        shell.user_ns_hidden.setdefault(letter, letter)
    shell.set_custom_exc((Exception,), _custom_handler)
    shell.showsyntaxerror = types.MethodType(_showsyntaxerror, shell)


def load_ipython_extension(ip: Any) -> None:
    """IPython's entry point (``c.InteractiveShellApp.extensions = ["course.learner"]``)."""
    setup(ip)
