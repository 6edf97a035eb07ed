"""JupyterLab in headless Chromium (Playwright driving the system chromium).

Fixtures:
* ``lab`` (session): a JupyterLab server on a scratch copy of the course (notebooks/, source/,
  release/, nbgrader_config.py), so the repository's notebooks are never modified.
* ``page``: a fresh browser page. Helpers: :func:`open_notebook`, :func:`run_all_cells`,
  :func:`wait_idle`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
TOKEN = "course-browser-tests"


@dataclass(frozen=True)
class Lab:
    url: str
    root: Path

    def tree_url(self, relpath: str) -> str:
        return f"{self.url}/lab/tree/{quote(relpath)}?token={TOKEN}&reset"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_lab_settings(folder: Path) -> None:
    """Quiet JupyterLab: no news prompt, no update checks."""
    target = folder / "@jupyterlab" / "apputils-extension"
    target.mkdir(parents=True, exist_ok=True)
    (target / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-deps` (apt-get install chromium)")
    root = tmp_path_factory.mktemp("lab-course")
    for name in ("notebooks", "source", "release"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    with (root / "nbgrader_config.py").open("a", encoding="utf-8") as fh:  # no earlier run's cache
        fh.write(f"\nc.Exchange.cache = {str(root / '.nbgrader_cache')!r}\n")
    # as `make lab` does: Chinese JupyterLab, the learner kernel extension, a local exchange
    subprocess.run([sys.executable, "-m", "course.cli", "--root", str(root), "setup"],
                   check=True, capture_output=True)
    settings = tmp_path_factory.mktemp("lab-settings")
    _write_lab_settings(settings)
    port = _free_port()
    env = dict(os.environ)
    env.update(
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path_factory.mktemp("lab-workspaces")),
        PATH=str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    log = (root / "jupyter-lab.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
            f"--ServerApp.token={TOKEN}", "--ServerApp.password=", f"--ServerApp.root_dir={root}",
            "--allow-root",
            "--LabApp.expose_app_in_browser=True", "--ServerApp.disable_check_xsrf=True",
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("JupyterLab did not start:\n" + (root / "jupyter-lab.log").read_text())
            time.sleep(0.5)
    try:
        yield Lab(url=url, root=root)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, lab):
    # widgets restore what a learner typed from these files: every test starts fresh
    shutil.rmtree(lab.root / "notebooks" / ".课程草稿", ignore_errors=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    expect.set_options(timeout=60_000)  # a busy 2-core CI machine: assertions wait like actions
    yield pg
    context.close()


def open_notebook(page, lab: Lab, relpath: str) -> None:
    """Open a notebook in JupyterLab and wait until its kernel is idle.

    Navigation waits for the document only, not for every subresource ("load"): on a busy
    machine one slow resource must not fail the test; the waits below say when Lab is ready."""
    page.goto(lab.tree_url(relpath), wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    page.wait_for_function("() => window.jupyterapp !== undefined")
    wait_idle(page)


def _kernel_busy_js() -> str:
    return """() => {
        const w = window.jupyterapp.shell.currentWidget;
        if (!w || !w.sessionContext || !w.sessionContext.session) return true;
        const k = w.sessionContext.session.kernel;
        if (!k || k.status !== 'idle') return true;
        const prompts = Array.from(document.querySelectorAll('.jp-InputPrompt'));
        return prompts.some(p => p.textContent.includes('*'));
    }"""


def wait_idle(page, timeout: float = 180_000) -> None:
    """Wait until the current notebook's kernel is idle and no cell is queued or running."""
    page.wait_for_function(f"() => !({_kernel_busy_js()})()", timeout=timeout, polling=250)


def run_all_cells(page, timeout: float = 240_000) -> None:
    """Run every cell of the current notebook and wait until all have finished."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_timeout(500)
    wait_idle(page, timeout)


def cell_errors(page) -> list[str]:
    """Text of error outputs currently shown in the notebook, except the course's own Chinese
    messages that a lesson shows on purpose (one line, no traceback)."""
    shown = page.eval_on_selector_all(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'], "
        ".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']",
        "els => els.map(e => e.textContent)",
    )
    return [t for t in shown if "Traceback" in t or "Error" in t
            or not re.search(r"[\u4e00-\u9fff]", t)]


def run_lesson(page, lab: Lab, relpath: str, widget_css: str):
    """Open a lesson, run every cell, check no cell failed, and return its first ``widget_css``."""
    open_notebook(page, lab, relpath)
    run_all_cells(page)
    assert cell_errors(page) == []
    widget = page.locator(widget_css).first
    widget.scroll_into_view_if_needed()
    return widget


def wait_for_text(page, selector: str, text: str, timeout: float = 60_000) -> None:
    """Wait until the first element matching ``selector`` shows exactly ``text``."""
    page.wait_for_function(
        "([sel, text]) => document.querySelector(sel)?.innerText.trim() === text",
        arg=[selector, text],
        timeout=timeout,
    )


def bring_into_view(locator, timeout: float = 60_000) -> None:
    """Scroll ``locator`` into view until it is visible, as a learner scrolls until they see it.

    JupyterLab renders notebooks with ``content-visibility: auto``: the inside of a cell that has
    scrolled off screen is not rendered, so Playwright never sees its fields as visible and never
    scrolls to them. A field can also become visible late (a widget shows it after a kernel round
    trip) or be pushed off screen again while outputs above it are still rendering; so this scrolls
    from the page (which works whether or not the cell is rendered) and tries again until it holds."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        locator.wait_for(state="attached", timeout=timeout)
        locator.evaluate("e => e.scrollIntoView({block: 'center'})")
        try:
            locator.wait_for(state="visible", timeout=2_000)
            return
        except PlaywrightTimeoutError:
            if time.monotonic() > deadline:
                raise


def _in_view(locator, act, timeout: float) -> None:
    """Run ``act`` (a Playwright action with a short timeout) once ``locator`` is in view,
    scrolling to it again and retrying until ``timeout`` (ms) if it moved away meanwhile."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        bring_into_view(locator, timeout)
        try:
            act()
            return
        except PlaywrightTimeoutError:
            if time.monotonic() > deadline:
                raise


def type_into(field, value: str, enter: bool = True, timeout: float = 60_000) -> None:
    """Fill a widget's text field as a learner would (scrolling to it first), then press Enter."""
    _in_view(field, lambda: field.fill(value, timeout=5_000), timeout)
    if enter:
        field.press("Enter")



def click(locator, timeout: float = 60_000) -> None:
    """Click a widget's button as a learner would: scroll to it first (see ``bring_into_view``)."""
    _in_view(locator, lambda: locator.click(timeout=5_000), timeout)


def choose(select, label: str, timeout: float = 60_000) -> None:
    """Pick ``label`` in a widget's drop-down as a learner would (scrolling to it first)."""
    _in_view(select, lambda: select.select_option(label=label, timeout=5_000), timeout)
