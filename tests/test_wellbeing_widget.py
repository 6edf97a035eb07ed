"""BreathingPacer and ThoughtJournal (in-process): thin views over the well-being engine."""

from __future__ import annotations

import re
import time

import pytest

from course import wellbeing
from course.widgets.breathing import BreathingPacer
from course.widgets.thought_journal import ThoughtJournal


def _size(pacer: BreathingPacer) -> int:
    return int(pacer._circle.layout.width.removesuffix("px"))


def _word(pacer: BreathingPacer) -> str:
    return re.search(r'course-breath-label"[^>]*>([^<]+)<', pacer._label.value).group(1)


def test_start_hands_the_clock_to_the_page_and_returns_at_once():
    pacer = BreathingPacer(ticks_per_second=4)
    assert _word(pacer) == "准备" and pacer._button.description == "开始"
    began = time.perf_counter()
    pacer._button.click()
    assert time.perf_counter() - began < 0.5  # no waiting in the kernel
    assert pacer.running and pacer._clock.playing and pacer._clock.value == 0
    assert pacer._button.description == "停止"
    assert pacer._clock.interval == 250
    assert pacer._clock.max == wellbeing.total_ticks(pacer.pattern, 4)
    # the progress bar follows the clock in the page (a jslink, not a kernel observer)
    assert pacer._link.source == (pacer._clock, "value")
    assert pacer._link.target == (pacer._bar, "value")


def test_each_tick_shows_what_the_engine_says():
    pacer = BreathingPacer(ticks_per_second=4)
    pacer.start()
    sizes = {}
    for tick in range(pacer._clock.max):
        pacer._clock.value = tick  # what the page's timer sends
        step = wellbeing.step_at(pacer.pattern, tick, 4)
        assert _word(pacer) == step.label
        assert f'course-breath-count">{step.seconds_left}<' in pacer._label.value
        assert step.round_text in pacer._label.value
        sizes.setdefault(step.kind, []).append(_size(pacer))
    assert sizes["inhale"][:4] == sorted(sizes["inhale"][:4])
    assert max(sizes["hold"]) == min(sizes["hold"]) == max(sizes["inhale"])
    assert min(sizes["exhale"]) < min(sizes["inhale"])


def test_running_to_the_end_says_done_and_offers_to_start_again():
    pacer = BreathingPacer(ticks_per_second=2)
    pacer.start()
    pacer._clock.value = pacer._clock.max
    pacer._clock.playing = False  # the page's timer stops itself at the end
    assert _word(pacer) == "完成" and f"完成 {pacer.pattern.rounds} 轮" in pacer._label.value
    assert pacer._button.description == "开始"
    pacer._button.click()
    assert pacer.running and _word(pacer) == "吸气"


def test_stop_goes_back_to_the_start_and_late_ticks_change_nothing():
    pacer = BreathingPacer()
    pacer.start()
    pacer._clock.value = 9
    pacer._button.click()  # 停止
    assert not pacer.running and pacer._clock.value == 0
    assert _word(pacer) == "准备" and pacer._button.description == "开始"
    pacer._clock.value = 5  # a tick already on its way when 停止 was pressed
    assert _word(pacer) == "准备"


def test_choosing_another_rhythm_resets_the_clock_to_its_length():
    pacer = BreathingPacer(ticks_per_second=4)
    other = next(p for p in wellbeing.breathing_patterns() if p.id != pacer.pattern.id)
    pacer.start()
    pacer._choice.value = other.id
    assert pacer.pattern == other and not pacer.running
    assert pacer._clock.max == pacer._bar.max == wellbeing.total_ticks(other, 4)
    assert str(other) in pacer._label.value


def test_an_unknown_rhythm_gets_the_engine_message():
    with pytest.raises(wellbeing.WellbeingError, match="呼吸节奏"):
        BreathingPacer("fast")


def test_the_journal_saves_what_is_written_and_brings_it_back(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DRAFTS_DIR", str(tmp_path))
    journal = ThoughtJournal(delay=0)
    journal._boxes["thought"].value = "他就是故意找茬"
    journal._boxes["reframe"].value = "他是冲着账单来的，我先调读数。"
    assert "不评分" in journal._status.value and "已保存" in journal._status.value
    again = ThoughtJournal(delay=0)
    assert again.entries == {"thought": "他就是故意找茬", "reframe": "他是冲着账单来的，我先调读数。",
                             "next": ""}
    assert "分" not in journal._status.value.replace("不评分", "")  # nothing is scored
