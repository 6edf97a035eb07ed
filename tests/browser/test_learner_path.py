"""A frontline learner's path on one machine, in JupyterLab in Chromium (a `make lab` server).

The interface is Chinese; an assignment is fetched in the Assignments panel, answered by typing
with full-width punctuation and digits (as with a Chinese input method switched on), submitted
there, graded automatically by the sandboxed grader, and its Chinese feedback fetched; the score
equals what the ASCII answers get from `course grade` and from stock `nbgrader autograde`.
Widget drafts survive a kernel restart; the role-play chat keeps its newest line in view.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import shutil
import time
from html import unescape
from pathlib import Path

import pytest
from playwright.sync_api import expect

from course.grading.cohort import submit, variant_answers
from course.grading.gradebook import course_api, db_url, scores
from course.grading.runner import grade
from course.itembank import ENV as LEARNER_ENV
from course.itembank import variant

from .conftest import TOKEN, click, open_notebook, run_all_cells, type_into, wait_idle

pytestmark = pytest.mark.browser
expect.set_options(timeout=60_000)

A = "ch1_tiered_pricing"
_FULL = str.maketrans({**{str(d): chr(0xFF10 + d) for d in range(10)}, ",": "，", "{": "｛",
                       "}": "｝", ".": "．"})


def _full_width(source: str) -> str:
    """How a learner with a Chinese input method switched on types an answer line."""
    name, _, value = source.partition(" = ")
    value = re.sub(r"'([A-F])'", r"“\1”", value).replace(", ", ",")
    return f"{name} = {value.translate(_FULL)}"


def _typed_answers(root: Path, student: str) -> dict[str, str]:
    """This learner's answers to their own variants, typed with full-width punctuation."""
    return {gid: _full_width(src) for gid, src in variant_answers(root, A, student).items()}


def _goto_lab(page, lab) -> None:
    page.goto(f"{lab.url}/lab?token={TOKEN}&reset", wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp !== undefined")
    page.locator(".lm-MenuBar").wait_for()


def test_jupyterlab_menus_and_the_assignments_panel_are_chinese(page, lab) -> None:
    _goto_lab(page, lab)
    menubar = page.locator(".lm-MenuBar")
    expect(menubar).to_contain_text("文件")
    expect(menubar).to_contain_text("作业与评分")
    assert "File" not in menubar.inner_text() and "Nbgrader" not in menubar.inner_text()
    page.evaluate("window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    expect(page.get_by_text("可以领取的作业", exact=True)).to_be_visible()
    released = page.locator("#released_assignments_list")
    expect(released.get_by_text("第一章作业：阶梯水价面面观（ch1_tiered_pricing）")).to_be_visible()
    assert "exchange directory does not exist" not in page.content()


def _type_into_cell(page, index: int, text: str) -> None:
    page.evaluate("""async (i) => {
        const nb = window.jupyterapp.shell.currentWidget.content;
        nb.mode = 'command';
        nb.activeCellIndex = i;
        await nb.scrollToItem(i);
    }""", index)
    editor = page.locator(".jp-Notebook .jp-Cell.jp-mod-active .cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(text)
    page.keyboard.press("Escape")


def _cell_indices(page) -> dict[str, int]:
    return page.evaluate("""() => {
        const nb = window.jupyterapp.shell.currentWidget.content;
        const out = {};
        nb.widgets.forEach((cell, i) => {
            const meta = cell.model.getMetadata('nbgrader');
            if (meta && meta.grade_id) { out[meta.grade_id] = i; }
        });
        return out;
    }""")


def _auto_total(root: Path, student: str) -> dict[str, float]:
    return {k[3]: v[0] for k, v in scores(db_url(root)).items()
            if k[0] == student and k[1] == A and not v[1]}


def test_full_width_answers_submitted_in_the_panel_score_like_ascii_ones(page, lab) -> None:
    user = getpass.getuser()
    _goto_lab(page, lab)
    page.evaluate("window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    row = page.locator("#released_assignments_list .list_item", has_text=A)
    row.get_by_role("button", name="领取").click()
    expect(page.locator("#fetched_assignments_list")).to_contain_text(A)

    open_notebook(page, lab, f"我的作业/{A}/{A}.ipynb")
    cells = _cell_indices(page)
    typed = _typed_answers(lab.root, user)
    assert "＝" not in "".join(typed.values()) and "４" in "".join(typed.values())
    for gid, text in typed.items():
        _type_into_cell(page, cells[gid], text)
    page.keyboard.press("Control+s")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty")
    saved = json.loads((lab.root / "我的作业" / A / f"{A}.ipynb").read_text(encoding="utf-8"))
    assert typed["q2_process_order_answer"] in json.dumps(saved, ensure_ascii=False)

    status = lab.root / ".course" / "selfgrade" / f"{user}+{A}.json"
    status.unlink(missing_ok=True)
    page.evaluate("window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    fetched = page.locator("#fetched_assignments_list .list_item", has_text=A).first
    fetched.get_by_role("button", name="提交").click()
    deadline = time.monotonic() + 300
    while not status.exists() and time.monotonic() < deadline:
        time.sleep(1)
    assert status.exists(), "the submission was not graded"
    result = json.loads(status.read_text(encoding="utf-8"))
    assert result["score"] == 26.0 and result["pending"] == 4.0 and not result["flags"]

    # The same answers in ASCII, graded by `course grade` and by stock nbgrader autograde
    root = lab.root
    submit(root, "ascii_learner", A, variant_answers(root, A, "ascii_learner"))
    shutil.copytree(root / "submitted" / user / A, root / "submitted" / "stock_fullwidth" / A)
    grade(root, A, students=["ascii_learner"], progress=False)
    cwd = os.getcwd()
    os.environ[LEARNER_ENV] = user  # the copy is still this learner's work, with their variants
    try:
        assert course_api(root).autograde(A, "stock_fullwidth", force=True, create=True)["success"]
    finally:
        os.environ.pop(LEARNER_ENV, None)
        os.chdir(cwd)
    ours = _auto_total(root, user)
    assert sum(ours.values()) == 26.0
    assert ours == _auto_total(root, "ascii_learner") == _auto_total(root, "stock_fullwidth")

    # The learner fetches score and feedback in the panel: Chinese, manual part awaiting
    page.evaluate("window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    page.get_by_role("button", name="取回得分和反馈").first.click()
    deadline = time.monotonic() + 60
    pages: list[Path] = []
    while not pages and time.monotonic() < deadline:
        pages = list((root / "我的作业" / A / "feedback").rglob("*.html"))
        time.sleep(0.5)
    assert pages, "no feedback page was fetched"
    assert len(pages) == 1, pages
    html = pages[0].read_text(encoding="utf-8")
    heading = re.search(r"<h4>(.*?)</h4>", html, re.S)
    assert "得分：26.0 / 30.0" in html and "待讲师评分" in html, (
        heading.group(1) if heading else unescape(re.sub(r"<[^>]+>", "", html))[-3000:])
    text = unescape(re.sub(r"<[^>]+>", "", html))
    assert f"{variant('ch1.q1_bill_annual', user).params['usage']} 立方米" in text  # their own numbers
    source = json.loads((root / "source" / A / f"{A}.ipynb").read_text(encoding="utf-8"))
    hidden = [line.strip() for cell in source["cells"]
              for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS",
                                      "".join(cell["source"]), re.S)
              for line in block.splitlines() if len(line.strip()) > 12]
    assert hidden and not [line for line in hidden if line in text]
    assert "HIDDEN TESTS" not in text


def _drafter_text(page) -> str:
    return page.locator(".course-drafter-text textarea").first.input_value()


def test_a_reply_draft_survives_a_kernel_restart_and_a_dead_widget_says_so_in_chinese(
        page, lab) -> None:
    lesson = "notebooks/02_巧妙应答.ipynb"
    open_notebook(page, lab, lesson)
    run_all_cells(page)
    box = page.locator(".course-drafter-text textarea").first
    box.scroll_into_view_if_needed()
    box.fill("")
    draft = "王阿姨，水费一下子多了这么多，换作是我也着急。我马上帮您查一下用量。"
    box.type(draft)
    drafts = lab.root / "notebooks" / ".课程草稿" / "02_巧妙应答"

    def saved() -> str:
        return "".join(p.read_text(encoding="utf-8") for p in drafts.glob("*.json"))

    for _ in range(120):  # the draft is written as it is typed (a busy kernel may lag behind)
        if draft in saved():
            break
        page.wait_for_timeout(500)
    assert draft in saved()

    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session"
                  ".kernel.restart()")
    wait_idle(page)
    run_all_cells(page)
    page.locator(".course-drafter-text textarea").first.scroll_into_view_if_needed()
    expect(page.locator(".course-drafter-text textarea").first).to_have_value(draft)

    # Saved with its widgets, closed and reopened with a new kernel: no "model not found"
    page.keyboard.press("Control+s")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty")
    page.evaluate("() => window.jupyterapp.commands.execute('application:close-all')")
    page.wait_for_timeout(1000)
    page.evaluate("() => window.jupyterapp.serviceManager.kernels.shutdownAll()")
    open_notebook(page, lab, lesson)
    page.evaluate("() => window.jupyterapp.shell.currentWidget.content.widgets.forEach("
                  "c => c.inViewport = true)")
    notice = page.get_by_text("这个交互组件要重新运行才能使用", exact=False).first
    notice.scroll_into_view_if_needed()
    expect(notice).to_be_visible()
    assert "model not found" not in page.content()


def test_the_role_play_chat_shows_its_newest_line_after_five_turns(page, lab) -> None:
    open_notebook(page, lab, "notebooks/03_恶意投诉.ipynb")
    run_all_cells(page)
    player = page.locator(".course-scenario-player").first
    player.scroll_into_view_if_needed()
    for turn in range(5):
        type_into(player.locator(".course-roleplay-reply textarea"),
                  f"好的，我记下了（第{turn + 1}次）。", enter=False)
        click(player.locator(".course-roleplay-send"))
        expect(player.locator(".course-roleplay-line.course-roleplay-staff")).to_have_count(
            turn + 1)
    player.locator(".course-roleplay-chat").scroll_into_view_if_needed()
    visible = page.evaluate("""() => {
        const box = document.querySelector('.course-scenario-player .course-roleplay-scroll');
        const lines = box.querySelectorAll('.course-roleplay-line');
        const last = lines[lines.length - 1].getBoundingClientRect();
        const view = box.getBoundingClientRect();
        return {scrolls: box.scrollHeight > box.clientHeight,
                lastInView: last.top >= view.top - 1 && last.bottom <= view.bottom + 1};
    }""")
    assert visible["lastInView"], visible
    # the chart's <img> is replaced when the chart is redrawn: find, scroll and measure it in
    # one step in the page, once it is loaded and laid out
    ratios = page.wait_for_function("""() => {
        const img = document.querySelector('.course-scenario-player .course-roleplay-chart img');
        if (!img || !img.complete || !img.naturalWidth) return false;
        img.scrollIntoView({block: 'center'});
        const r = img.getBoundingClientRect();
        return r.width > 0 && r.height > 0
            ? [r.width / r.height, img.naturalWidth / img.naturalHeight] : false;
    }""", polling=250).json_value()
    assert abs(ratios[0] - ratios[1]) < 0.05, f"the emotion chart is stretched: {ratios}"
