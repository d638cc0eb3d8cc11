"""Make the README's pictures: a rendered C4 view and the design pack's index page.

Usage::

    .venv/bin/python docs/screenshots.py          # writes docs/img/*.png

Both come from a real pack of the worked example, opened from the file system in
headless Debian Chromium (the same browser the e2e tests drive).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> int:
    from playwright.sync_api import sync_playwright

    from archkit.pack import build_pack

    out = HERE / "img"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="archkit-shots-") as tmp, sync_playwright() as pw:
        pack = Path(tmp) / "pack"
        build_pack("order-platform", pack)
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900}, device_scale_factor=1)
        page.goto((pack / "index.html").as_uri())
        page.wait_for_load_state("load")
        page.screenshot(path=str(out / "pack-index.png"))
        page.goto((pack / "diagrams" / "Containers.svg").as_uri())
        page.wait_for_load_state("load")
        page.locator("svg").first.screenshot(path=str(out / "c4-containers.png"))
        browser.close()
    for name in ("pack-index.png", "c4-containers.png"):
        print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
