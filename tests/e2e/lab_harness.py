"""The JupyterLab side of the browser tests: start a server, open, run all, read errors.

Usage::

    with running_lab(Path("notebooks"), tmp_path) as lab:
        lab.open(page, "00_start_here.ipynb")
        lab.run_all(page)
        assert lab.problems(page) == []
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = os.environ.get("ARCHKIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
OFFLINE = "http://127.0.0.1:9"
# Notebooks with their own browser test (test_lab_widgets.py); the others get the plain run.
C4_NOTEBOOK, BRAINSTORM_NOTEBOOK = "*c4*.ipynb", "*brainstorm*.ipynb"
DEDICATED = (C4_NOTEBOOK, BRAINSTORM_NOTEBOOK)
NOTEBOOKS_DIR, WORKSHOP_DIR = "notebooks", "workshop"  # solutions, student copies
PANEL = "#jp-main-dock-panel .jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in front
START_TIMEOUT_S = 90
RUN_TIMEOUT_MS = 240_000

# JupyterLab 4 may virtualise long notebooks (cells outside the viewport leave the
# DOM); the checks below read every cell, so rendering must keep them all.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False,
    },
}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    """Skip locally; in CI a missing prerequisite is a failure, not a silent skip."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the browser tests must run)")
    pytest.skip(reason)


def notebooks_source() -> Path:
    return Path(os.environ.get("ARCHKIT_E2E_NOTEBOOKS", ROOT / "notebooks"))


def record_run(notebook: str, seconds: float, problems: list[str]) -> None:
    """Print a Run All's wall time and append it to test-artifacts/e2e/run-all.tsv (a record
    for the report; never asserted)."""
    line = f"{notebook}\t{seconds:.1f}s\t{len(problems)} problems"
    print(f"\nrun all: {line}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (ARTIFACTS / "run-all.tsv").open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    """A running JupyterLab and the few UI moves the tests need."""

    def __init__(self, url: str, token: str, root: Path, out: Path | None = None) -> None:
        self.url, self.token, self.root = url, token, root
        self.out = out  # ARCHKIT_NOTEBOOK_OUT of the notebooks' kernels

    def open(self, page, notebook: str) -> None:
        """Open ``notebook`` (a name in notebooks/, or ``workshop/NAME``); wait for its kernel."""
        path = notebook if "/" in notebook else f"{NOTEBOOKS_DIR}/{notebook}"
        # A workspace of its own, reset, so tabs from earlier tests do not come back.
        workspace = "".join(c if c.isalnum() else "-" for c in path)
        page.goto(f"{self.url}/lab/workspaces/{workspace}/tree/{path}"
                  f"?reset&token={self.token}")
        page.wait_for_selector(f"{PANEL} .jp-Cell", state="attached")
        page.wait_for_selector(".jp-StatusBar-Widget:has-text('| Idle')")

    def run_all(self, page) -> None:
        """Run > Restart Kernel and Run All Cells…, confirm, wait until the kernel is idle."""
        page.click(f"{PANEL} .jp-Cell .jp-InputPrompt >> nth=0")  # make it the current notebook
        page.click("li.lm-MenuBar-item:has-text('Run')")
        page.click(".lm-Menu-item:not(.lm-mod-disabled):has-text('Restart Kernel and Run All')")
        page.click(".jp-Dialog .jp-mod-accept")
        page.wait_for_selector(".jp-Dialog", state="detached")
        # Done when no cell is queued or running, at least one ran, and the kernel is idle.
        page.wait_for_function(
            """(sel) => {
                const panel = document.querySelector(sel);
                if (!panel) return false;
                const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                const text = prompts.map(p => p.textContent.trim());
                const status = panel.querySelector('.jp-Notebook-ExecutionIndicator');
                return text.some(t => /^\\[\\d+\\]:$/.test(t))
                    && !text.some(t => t.includes('*'))
                    && status && status.dataset.status === 'idle';
            }""",
            arg=PANEL, timeout=RUN_TIMEOUT_MS, polling=250,
        )

    @staticmethod
    def problems(page) -> list[str]:
        """What went wrong on screen: tracebacks, error outputs, code cells that never ran."""
        return page.evaluate(
            """(sel) => {
                const found = [];
                const panel = document.querySelector(sel);
                if (!panel) return ['no notebook is open'];
                panel.querySelectorAll('.jp-CodeCell').forEach((cell, i) => {
                    const prompt = cell.querySelector('.jp-InputPrompt');
                    const p = prompt ? prompt.textContent.trim() : '';
                    if (!/^\\[\\d+\\]:$/.test(p))
                        found.push(`code cell ${i + 1} did not run (${p})`);
                    cell.querySelectorAll(
                        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
                    ).forEach(out => {
                        const t = out.textContent;
                        if (/Traceback|^\\w*(Error|Exception)\\b/m.test(t))
                            found.push(`code cell ${i + 1}: ${t.trim().slice(-600)}`);
                    });
                });
                return found;
            }""",
            PANEL,
        )

    def shutdown_kernels(self) -> None:
        """Stop every kernel session, so notebooks of earlier tests stop using the CPU."""
        import httpx

        headers = {"Authorization": f"token {self.token}"}
        with httpx.Client(base_url=self.url, headers=headers, trust_env=False) as http:
            for session in http.get("/api/sessions").json():
                http.delete(f"/api/sessions/{session['id']}")


def _write_lab_settings(folder: Path) -> None:
    for relative, values in LAB_SETTINGS.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")


def _wait_until_up(url: str, token: str, proc: subprocess.Popen, log: Path) -> None:
    import httpx

    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited early:\n{log.read_text()[-3000:]}")
        try:
            reply = httpx.get(f"{url}/api/status", headers={"Authorization": f"token {token}"},
                              timeout=2, trust_env=False)
            if reply.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    tail = log.read_text()[-3000:]
    raise RuntimeError(f"JupyterLab did not answer in {START_TIMEOUT_S}s:\n{tail}")


def _offline_env(base: Path, settings: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"}
    env.update({var: OFFLINE for var in
                ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")})
    env.update(NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost",
               JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
               ARCHKIT_NOTEBOOK_OUT=str(base / "out"))
    return env


@contextmanager
def running_lab(source: Path, base: Path) -> Iterator[Lab]:
    """JupyterLab over a copy of ``source`` made in ``base``; stopped, kernels too, on exit."""
    # Mirror the checkout's layout (repo/notebooks and repo/workshop, the student copies
    # `make workshop` writes); the copy keeps runs from dirtying the repo.
    from archkit.workshop import write_student_set

    root = base / ROOT.name
    shutil.copytree(source, root / NOTEBOOKS_DIR,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "out"))
    write_student_set(root / NOTEBOOKS_DIR, root / WORKSHOP_DIR)
    settings = base / "settings"
    _write_lab_settings(settings)
    token, port = secrets.token_hex(24), free_port()
    url = f"http://127.0.0.1:{port}"
    jupyter = Path(sys.executable).parent / "jupyter"
    cmd = [str(jupyter), "lab", "--no-browser", f"--ServerApp.token={token}",
           f"--port={port}", "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.root_dir={root}", "--allow-root", "--LabApp.news_url=",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    log = base / "lab.log"
    with log.open("w") as log_fh:
        proc = subprocess.Popen(cmd, stdout=log_fh, stderr=subprocess.STDOUT,
                                env=_offline_env(base, settings), cwd=root)
    try:
        _wait_until_up(url, token, proc, log)
        yield Lab(url, token, root, base / "out")
    finally:
        proc.terminate()  # the server shuts its kernels down on SIGTERM
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(log, ARTIFACTS / "jupyterlab.log")
