"""Real-browser fixtures: a throwaway JupyterLab server and headless Debian Chromium.

Usage (in a test under tests/e2e)::

    def test_x(lab, page):
        lab.open(page, "00_start_here.ipynb")
        lab.run_all(page)
        assert lab.problems(page) == []

The server runs over a temp copy of ``notebooks/`` (or of ``ARCHKIT_E2E_NOTEBOOKS``,
handy for checking by hand that a broken copy turns the tests red), on a free
localhost port with a random token, offline: no API key and every proxy pointing at
a closed port. Chromium missing skips these tests locally and fails them in CI.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from lab_harness import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    Lab,
    notebooks_source,
    running_lab,
    skip_or_fail,
)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        skip_or_fail(f"chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        skip_or_fail("the playwright package is not installed")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path, headless=True,
                                      args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser, request):
    """A fresh browser tab; a screenshot of its last state is kept in test-artifacts/e2e/."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    opened.set_default_timeout(60_000)
    yield opened
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name)
    try:
        opened.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    finally:
        context.close()


@pytest.fixture
def page(tab, lab):
    """A tab for JupyterLab; the notebook's kernel is stopped afterwards (2 cores, 6 tests)."""
    yield tab
    lab.shutdown_kernels()


@pytest.fixture(scope="session")
def lab(chromium_path: str, tmp_path_factory) -> Iterator[Lab]:
    """JupyterLab over a temp copy of the notebooks, shared by the session's tests."""
    with running_lab(notebooks_source(), tmp_path_factory.mktemp("lab")) as server:
        yield server
