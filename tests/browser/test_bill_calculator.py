"""BillCalculator in the chapter 1 lesson, in JupyterLab in headless Chromium."""

from __future__ import annotations

import os

import pytest

from course import tariff

from .conftest import click, open_notebook, run_lesson, type_into, wait_for_text

pytestmark = pytest.mark.browser

LESSON = os.environ.get("COURSE_CH1_LESSON", "notebooks/01_阶梯水价.ipynb")


def _city_and_size(calc) -> tuple[str, int]:
    label = calc.locator(".course-bill-city select").input_value()
    city = next(c for c in tariff.cities() if tariff.load(c).name == label)
    return city, int(calc.locator(".course-bill-size input").input_value())


def _total_text(calc) -> str:
    return calc.locator(".course-bill-total").inner_text().strip()


def test_lesson_runs_and_the_calculator_follows_the_usage(page, lab):
    calc = run_lesson(page, lab, LESSON, ".course-bill-calculator")
    calc.locator(".course-bill-total").wait_for()
    city, size = _city_and_size(calc)
    t = tariff.load(city)
    usage = round(t.bounds(size)[-1] + 17, 1)  # lands in the top tier, whatever the city
    box = calc.locator(".course-bill-usage input")
    type_into(box, f"{usage:g}")
    expected = f"{t.bill(usage, household_size=size).total:.2f} 元"
    wait_for_text(page, ".course-bill-calculator .course-bill-total", expected)
    assert _total_text(calc) == expected

    # An invalid value: a Chinese message next to the field, the typed text kept, the last bill kept
    type_into(box, "一百")
    error = calc.locator(".course-bill-usage-error")
    error.get_by_text("用水量").wait_for()
    assert "必须是不小于 0 的数字" in error.inner_text()
    assert box.input_value() == "一百"
    assert _total_text(calc) == expected

    # Fixing it clears the message
    type_into(box, "0")
    wait_for_text(page, ".course-bill-calculator .course-bill-total", "0.00 元")
    assert calc.locator(".course-bill-usage-error").inner_text().strip() == ""


def test_meter_readings_mode_handles_roll_over(page, lab):
    calc = run_lesson(page, lab, LESSON, ".course-bill-calculator")
    city, size = _city_and_size(calc)
    click(calc.locator(".course-bill-mode").get_by_text("按水表读数计算"))
    for css, value in ((".course-bill-previous", "9990"), (".course-bill-current", "25")):
        type_into(calc.locator(f"{css} input"), value)
    calc.locator(".course-bill-current-error").get_by_text("水表位数").wait_for()
    type_into(calc.locator(".course-bill-digits input"), "4")
    used = tariff.usage_from_readings(9990, 25, meter_digits=4)
    expected = f"{tariff.load(city).bill(used, household_size=size).total:.2f} 元"
    wait_for_text(page, ".course-bill-calculator .course-bill-total", expected)


def test_nbgrader_lab_extension_is_loaded(page, lab):
    open_notebook(page, lab, LESSON)
    commands = page.evaluate(
        "() => ['nbgrader:open-assignment-list', 'nbgrader:open-formgrader']"
        ".map(c => window.jupyterapp.commands.hasCommand(c))"
    )
    assert commands == [True, True]
    page.locator(".lm-MenuBar-itemLabel", has_text="作业与评分").click()  # nbgrader's menu
    page.locator(".lm-Menu-itemLabel").get_by_text("评分面板（讲师）", exact=True).click()
    frame = page.frame_locator("iframe").first
    frame.get_by_text("ch1_tiered_pricing").first.wait_for(timeout=60_000)
