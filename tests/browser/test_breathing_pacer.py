"""BreathingPacer in the chapter 4 lesson (JupyterLab, headless Chromium): the page keeps time,
the words change 吸气 → 屏住 → 呼气, 停止 stops, and the kernel stays free meanwhile."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from course import wellbeing

from .conftest import bring_into_view, click, run_lesson

pytestmark = pytest.mark.browser

LESSON = os.environ.get("COURSE_CH4_LESSON", "notebooks/04_危机公关.ipynb")

_RUN_IN_KERNEL = """async (code) => {
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    const started = performance.now();
    let text = '';
    const future = kernel.requestExecute({code, silent: false, store_history: false});
    future.onIOPub = (msg) => { if (msg.header.msg_type === 'stream') text += msg.content.text; };
    await future.done;
    return {text, ms: performance.now() - started};
}"""


def test_the_pacer_breathes_in_holds_and_out_while_the_kernel_stays_free(page, lab):
    widget = run_lesson(page, lab, LESSON, ".course-breathing-pacer")
    bring_into_view(widget)
    pattern = wellbeing.breathing_pattern()
    word = widget.locator(".course-breath-label")
    expect(word).to_have_text("准备")
    bar = widget.locator(".course-breath-progress .progress-bar")

    click(widget.locator(".course-breath-toggle"))
    expect(widget.locator(".course-breath-toggle")).to_have_text("停止")
    labels = [p.label for p in pattern.phases]
    expect(word).to_have_text(labels[0], timeout=10_000)
    size_in = widget.locator(".course-breath-circle").bounding_box()["width"]

    # the kernel answers at once while the exercise runs: nothing in it waits for the clock
    reply = page.evaluate(_RUN_IN_KERNEL, "print(6 * 7)")
    assert reply["text"].strip() == "42" and reply["ms"] < 10_000

    for label in labels[1:]:  # 屏住, then 呼气, each within its phase's seconds (+ slack)
        expect(word).to_have_text(label, timeout=(max(p.seconds for p in pattern.phases) + 8) * 1000)
    size_hold_or_out = widget.locator(".course-breath-circle").bounding_box()["width"]
    assert size_hold_or_out > size_in  # the circle grew over the in-breath
    expect(widget.locator(".course-breath-round")).to_have_text(f"第 1/{pattern.rounds} 轮")
    assert bar.bounding_box()["width"] > 0  # the progress bar moved, driven by the page
    if os.environ.get("COURSE_SCREENSHOTS"):  # for a human look: COURSE_SCREENSHOTS=/tmp/shots
        widget.screenshot(path=os.path.join(os.environ["COURSE_SCREENSHOTS"], "breathing.png"))

    click(widget.locator(".course-breath-toggle"))  # 停止
    expect(widget.locator(".course-breath-toggle")).to_have_text("开始")
    expect(word).to_have_text("准备")
    page.wait_for_timeout(1500)  # the page's timer really stopped: no new breath starts
    expect(word).to_have_text("准备")
