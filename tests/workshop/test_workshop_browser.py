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
            page.click(".lm-MenuBar-itemLabel:text-is('Nbgrader')")
            items = page.locator(".lm-Menu-itemLabel").all_inner_texts()
            assert "Assignment List" in items
            assert "Formgrader" not in items and "Create assignment" not in items
            page.click(".lm-Menu-itemLabel:text-is('Assignment List')")
            page.wait_for_selector(f"text={released}")
            # The lessons were copied into the learner's home at first start.
            page.wait_for_selector(".jp-DirListing-itemText:has-text('课程')")
        finally:
            browser.close()
