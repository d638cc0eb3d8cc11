"""The design pack's index.html, opened from the file system in Chromium.

A hostile label is planted in a copy of the worked example (requirements, a
decision, a C4 element): the page must show it as text, every link must resolve
and every image load with no server, and no script may run — neither on the
index page nor in any SVG opened on its own.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from archkit.examples import example_dir
from archkit.pack import build_pack

HOSTILE = """<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> & "quotes\""""


def plant(folder: Path) -> None:
    """Put the hostile label where a person's text goes in each stage's input."""
    def swap(name: str, old: str, new: str) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{name} no longer holds {old!r}; update this test"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    yaml_label = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    swap("requirements.yaml", "name: Shopfront order platform",
         f'name: "Shopfront {yaml_label}"')
    swap("decisions.yaml", "title: API style for the storefront and merchant APIs",
         f'title: "API style {yaml_label}"')
    swap("workspace.py", 'ws.person("Shopper",', f"ws.person({HOSTILE!r},")


@pytest.fixture(scope="module")
def hostile_pack(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("pack")
    design = base / "design"
    shutil.copytree(example_dir("order-platform"), design)
    plant(design)
    out = base / "pack"
    build_pack(design, out)
    return out


def test_index_shows_the_label_as_text_and_runs_no_script(tab, hostile_pack):
    dialogs = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.goto((hostile_pack / "index.html").as_uri())
    tab.wait_for_load_state("load")
    assert tab.evaluate("window.__pwned") is None
    assert dialogs == []
    assert tab.locator("script").count() == 0
    assert HOSTILE in tab.locator("h1").inner_text()
    body = tab.locator("body").inner_text()
    assert f"API style {HOSTILE}" in body  # the decision's title, as text


def test_every_link_resolves_and_every_image_loads(tab, hostile_pack):
    tab.goto((hostile_pack / "index.html").as_uri())
    tab.wait_for_load_state("load")
    hrefs = tab.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
    assert len(hrefs) > 20
    for href in hrefs:
        url = urlparse(href)
        assert url.scheme == "file", f"link leaves the pack: {href}"
        target = Path(unquote(url.path))
        assert target.is_file(), f"broken link: {href}"
        assert hostile_pack.resolve() in target.resolve().parents
    images = tab.eval_on_selector_all(
        "img", "imgs => imgs.map(i => [i.getAttribute('src'), i.complete, i.naturalWidth])")
    assert len(images) >= 7  # six C4 views and the ER diagram
    broken = [src for src, complete, width in images if not (complete and width > 0)]
    assert broken == []
    for kind in ("Context", "Containers", "er"):
        assert f"diagrams/{kind}.svg" in {src for src, _, _ in images}


def test_no_external_asset_is_requested(tab, hostile_pack):
    requested = []
    tab.on("request", lambda r: requested.append(r.url))
    tab.goto((hostile_pack / "index.html").as_uri())
    tab.wait_for_load_state("networkidle")
    assert requested and all(u.startswith("file://") for u in requested), requested


def test_svgs_opened_alone_run_no_script(tab, hostile_pack):
    svgs = sorted((hostile_pack / "diagrams").glob("*.svg"))
    assert len(svgs) >= 8
    for svg in svgs:
        tab.goto(svg.as_uri())
        tab.wait_for_load_state("load")
        assert tab.evaluate("window.__pwned") is None, f"{svg.name} ran a script"
    context = (hostile_pack / "diagrams" / "Context.svg").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in context and "<script" not in context
    mermaid = (hostile_pack / "diagrams" / "mermaid" / "Context.mmd").read_text(encoding="utf-8")
    assert "pwned" in mermaid and "<script" not in mermaid


def test_markdown_pages_show_the_label_as_text_and_run_no_script(tab, hostile_pack):
    pages = sorted(hostile_pack.rglob("*.html"))
    assert (hostile_pack / "requirements.html") in pages and len(pages) >= 8
    for page in pages:
        tab.goto(page.as_uri())
        tab.wait_for_load_state("load")
        assert tab.evaluate("window.__pwned") is None, f"{page.name} ran a script"
        assert tab.locator("script").count() == 0
    tab.goto((hostile_pack / "requirements.html").as_uri())
    assert HOSTILE in tab.locator("h1").inner_text()
    assert "order placed -> inventory reserved" in tab.locator("body").inner_text()
