"""A learner signs in to the hub in headless Chromium and opens nbgrader's assignment list."""

from __future__ import annotations

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.workshop.conftest import MARKS, Hub

pytestmark = MARKS


def test_learner_logs_in_and_sees_the_released_assignment(hub: Hub, released: str):
    from playwright.sync_api import sync_playwright

    name = "wct_l03"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000},
                                       locale="zh-CN").new_page()
            page.set_default_timeout(120_000)
            page.goto(f"{hub.url}/hub/login")
            page.fill("#username_input", name)
            page.fill("#password_input", "wrong-password")
            page.click("#login_submit")
            page.wait_for_selector("text=Invalid username or password")
            page.fill("#username_input", name)
            page.fill("#password_input", hub.passwords[name])
            page.click("#login_submit")
            page.wait_for_url(f"**/user/{name}/lab**", timeout=240_000)
            page.wait_for_selector(".jp-LauncherCard", timeout=240_000)
            # JupyterLab and nbgrader's menu are Chinese for learners on the hub too
            page.click(".lm-MenuBar-itemLabel:text-is('作业与评分')")
            items = page.locator(".lm-Menu-itemLabel").all_inner_texts()
            assert "作业列表" in items
            assert not [i for i in items if "评分面板" in i or "出题" in i], items
            page.click(".lm-Menu-itemLabel:text-is('作业列表')")
            page.wait_for_selector(f"text={released}")
            # The lessons were copied into the learner's home at first start.
            page.wait_for_selector(".jp-DirListing-itemText:has-text('课程')")
        finally:
            browser.close()
