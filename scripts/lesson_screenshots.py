"""Screenshots of lessons and assignments as a learner sees them in JupyterLab (for review).

Starts JupyterLab (this environment, so the Chinese interface and the learner kernel extension
of ``course setup`` apply) on a scratch copy of the course, opens each notebook in headless
Chromium, runs all cells and saves the notebook as a series of viewport screenshots.

    .venv/bin/python scripts/lesson_screenshots.py OUT_DIR [notebooks/01_阶梯水价.ipynb ...]
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
TOKEN = "course-screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        "--disable-dev-shm-usage"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    targets = sys.argv[2:] or sorted(str(p.relative_to(REPO)) for p in
                                     (REPO / "notebooks").glob("[0-9]*.ipynb"))
    root = Path(tempfile.mkdtemp(prefix="shots-"))
    for name in ("notebooks", "source", "release"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "nbgrader_config.py", root)
    port = _port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--ServerApp.token={TOKEN}", f"--ServerApp.root_dir={root}", "--allow-root",
         "--LabApp.expose_app_in_browser=True"],
        cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(180):
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for rel in targets:
                page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
                page.set_default_timeout(120_000)
                page.goto(f"{url}/lab/tree/{quote(rel)}?token={TOKEN}&reset")
                page.wait_for_selector(".jp-Notebook")
                page.wait_for_function("() => window.jupyterapp !== undefined")
                page.wait_for_timeout(3000)
                page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
                page.wait_for_function("""() => {
                    const w = window.jupyterapp.shell.currentWidget;
                    const k = w && w.sessionContext && w.sessionContext.session
                              && w.sessionContext.session.kernel;
                    return k && k.status === 'idle' &&
                      !document.querySelector('.jp-InputPrompt')?.textContent.includes('*') &&
                      [...document.querySelectorAll('.jp-InputPrompt')]
                        .every(p => !p.textContent.includes('*'));
                }""", timeout=600_000)
                page.wait_for_timeout(2000)
                stem = Path(rel).stem
                scroller = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer"
                height = page.evaluate(f"document.querySelector('{scroller}').scrollHeight")
                step, y, n = 800, 0, 0
                while y < height and n < 80:
                    page.evaluate(f"document.querySelector('{scroller}').scrollTop = {y}")
                    page.wait_for_timeout(400)
                    page.screenshot(path=str(out / f"{stem}-{n:02d}.png"))
                    y += step
                    n += 1
                    height = page.evaluate(f"document.querySelector('{scroller}').scrollHeight")
                print(f"{rel}: {n} 张截图")
                page.close()
            browser.close()
    finally:
        proc.terminate()
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
