"""The legal card prints on exactly one A4 page in Chromium, with every entry on it."""

from __future__ import annotations

import re

import pytest

from course import legal

pytestmark = pytest.mark.browser


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_the_whole_card_prints_on_one_a4_page(browser, tmp_path):
    card = legal.card()
    card.save(tmp_path / "card.html")
    page = browser.new_page(locale="zh-CN")
    try:
        page.goto((tmp_path / "card.html").as_uri())
        rows = page.locator("tr[data-entry]")
        assert rows.count() == len(legal.ids())
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        assert _pages(pdf) == 1
        page.emulate_media(media="print")
        size = page.evaluate("getComputedStyle(document.querySelector('.course-legal-card')).fontSize")
        assert 9 <= float(size.removesuffix("px")) <= 11  # about 7.4 pt: small, still readable
    finally:
        page.close()
