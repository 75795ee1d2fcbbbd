"""Drive a real JupyterLab in the system's headless Chromium, as a learner would use it.

For tests/test_jupyterlab.py and benchmarks/explorer_latency.py. ``Lab`` starts
JupyterLab on 127.0.0.1 with a token and fresh settings (every cell rendered, no
news), in this Python, on a folder such as the learner's copy; ``Lab.open`` opens
a notebook in JupyterLab (``ui="lab"``) or in Notebook 7 (``ui="notebooks"``).
Playwright drives the browser; it downloads none. The page's JavaScript reaches
JupyterLab's own commands through ``window.jupyterapp`` (``expose_app_in_browser``).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BROWSERS = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
QUIET = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]
SETTINGS = {  # fresh user settings: render every cell (no windowing), fetch no news, check no updates
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}


def chromium() -> str | None:
    found = os.environ.get("CHROMIUM") or next(filter(None, map(shutil.which, BROWSERS)), None)
    return found if found and Path(found).exists() else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server on ``root`` and a headless Chromium; use as a context manager."""

    def __init__(self, root: Path, *, env: dict | None = None):
        self.root, self.token, self.port = Path(root), secrets.token_hex(16), free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.home = Path(tempfile.mkdtemp(prefix="gdlib-lab-"))
        self.env = {**os.environ, **(env or {}), "JUPYTER_CONFIG_DIR": str(self.home / "config"),
                    "JUPYTERLAB_SETTINGS_DIR": str(self.home / "settings"),
                    "JUPYTERLAB_WORKSPACES_DIR": str(self.home / "workspaces"),
                    "JUPYTER_RUNTIME_DIR": str(self.home / "runtime")}
        for name, values in SETTINGS.items():
            path = self.home / "settings" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))

    def __enter__(self) -> Lab:
        from playwright.sync_api import sync_playwright

        self.log = open(self.home / "server.log", "w")  # noqa: SIM115 (closed in __exit__)
        self.server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
             f"--ServerApp.root_dir={self.root}", "--ServerApp.allow_root=True",  # CI runs as root
             "--LabApp.expose_app_in_browser=True", "--JupyterNotebookApp.expose_app_in_browser=True",
             "--LabApp.extension_manager=readonly"],
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_for_server()
        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=chromium(), args=QUIET)
        self.context = self.browser.new_context(viewport={"width": 1400, "height": 1000})
        self.outside = []  # requests that left this machine: there must be none
        self.context.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
                        else self.outside.append(r.url))
        return self

    def _wait_for_server(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError("JupyterLab stopped: " + (self.home / "server.log").read_text()[-2000:])
            try:
                urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError("JupyterLab did not start in time")

    def __exit__(self, *exc) -> None:
        try:
            self.browser.close()
            self.playwright.stop()
        finally:
            self.server.terminate()
            try:
                self.server.wait(20)
            except subprocess.TimeoutExpired:
                self.server.kill()
            self.log.close()
            shutil.rmtree(self.home, ignore_errors=True)

    def open(self, name: str, *, ui: str = "lab"):
        """A new browser page showing notebook ``name`` of the root folder, its kernel started."""
        page = self.context.new_page()
        page.set_default_timeout(60_000)
        # ?reset: a fresh workspace, not the tabs of the page before
        page.goto(f"{self.base}/lab/tree/{name}?reset&token={self.token}" if ui == "lab"
                  else f"{self.base}/notebooks/{name}?token={self.token}")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                               " && window.jupyterapp.shell.currentWidget.content"
                               " && window.jupyterapp.shell.currentWidget.content.widgets.length > 0")
        page.evaluate("""async () => {
            const panel = window.jupyterapp.shell.currentWidget;
            await panel.context.ready;
            await panel.sessionContext.ready;
        }""")
        return page

    def shutdown_kernels(self) -> None:
        """Stop every kernel the pages started: a 2-core machine has no room for idle ones."""
        request = urllib.request.Request(f"{self.base}/api/kernels?token={self.token}")
        for kernel in json.load(urllib.request.urlopen(request)):
            delete = urllib.request.Request(f"{self.base}/api/kernels/{kernel['id']}?token={self.token}",
                                            method="DELETE")
            urllib.request.urlopen(delete)


RUN_ALL = """async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    const late = new Promise(resolve => setTimeout(() => resolve("late"), 300000));
    if (await Promise.race([window.jupyterapp.commands.execute("notebook:run-all-cells"), late]) === "late")
        return ["Run All did not finish in 5 minutes"];
    const errors = [];
    for (const cell of panel.content.widgets) {
        if (cell.model.type !== "code") continue;
        const tags = cell.model.getMetadata("tags") || [];
        for (const out of cell.model.outputs.toJSON()) {
            if (out.output_type === "error" && !tags.includes("raises-exception"))
                errors.push(out.ename + ": " + out.evalue + " in " + cell.model.sharedModel.getSource().slice(0, 60));
        }
    }
    return errors;
}"""

# The explorer's picture: the img of the ipywidgets Image inside the output of the cell that makes it.
EXPLORER_IMAGE = """(marker) => {
    const panel = window.jupyterapp.shell.currentWidget;
    const cell = panel.content.widgets.find(c => c.model.type === "code"  // prose may name the explorer too
        && c.model.sharedModel.getSource().includes(marker));
    return cell ? cell.node.querySelector(".jp-OutputArea-output img.widget-image") : null;
}"""

# A digest of the pixels the browser shows in an img (not of its URL): equal digests, same picture.
PIXELS = """(img) => {
    if (!img.complete || img.naturalWidth === 0) return {width: 0, height: 0, hash: null, ink: 0};  // loading
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    const context = canvas.getContext("2d");
    context.drawImage(img, 0, 0);
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let hash = 0, ink = 0;
    for (let i = 0; i < data.length; i += 4) {
        hash = (hash * 31 + data[i] + 7 * data[i + 1] + 13 * data[i + 2]) | 0;
        if (data[i] + data[i + 1] + data[i + 2] < 600) ink++;
    }
    return {width: img.naturalWidth, height: img.naturalHeight, hash: hash, ink: ink};
}"""

# Times one change: from the first event of the learner's action on a control (a key, a click, a
# choice) to the new picture decoded and painted. Call it just before the action.
ARM_TIMER = """(img) => {
    window.__gdlibShown = null;
    let start = performance.now();
    const before = img.src, events = ["keydown", "pointerdown", "input", "change"];
    const first = () => {
        start = performance.now();
        events.forEach(e => document.removeEventListener(e, first, true));
    };
    events.forEach(e => document.addEventListener(e, first, true));
    const shown = () => img.decode().then(() => requestAnimationFrame(() => {
        window.__gdlibShown = performance.now() - start;
    }));
    const observer = new MutationObserver(() => {
        if (img.src === before) return;
        observer.disconnect();
        if (img.complete) shown(); else img.addEventListener("load", shown, {once: true});
    });
    observer.observe(img, {attributes: true, attributeFilter: ["src"]});
}"""
