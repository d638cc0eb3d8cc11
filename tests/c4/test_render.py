"""Rendering through diagrams + Graphviz: every view, stable bytes, inert labels, no pop-ups."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from archkit.c4 import new_workspace
from archkit.c4.dsl_reader import read_dsl

from .conftest import HOSTILE

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_every_big_bank_view_renders_to_svg_and_png(big_bank, tmp_path):
    for view in big_bank.views:
        diagram = view.render()
        svg = diagram.svg()
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg"
        titles = {t.text for t in root.iter(f"{SVG}title")}
        shown = view.contents().element_ids()
        assert set(shown) <= titles, f"{view.key}: node ids are the model's identifiers"
        assert diagram.png()[:8] == b"\x89PNG\r\n\x1a\n"
        paths = diagram.save(tmp_path, ["svg", "png"])
        assert [p.name for p in paths] == [f"{view.key}.svg", f"{view.key}.png"]


def test_second_render_gives_identical_bytes(big_bank_path):
    first, _ = read_dsl(big_bank_path)
    second, _ = read_dsl(big_bank_path)
    for a, b in zip(first.views, second.views, strict=True):
        da, db = a.render(), b.render()
        assert da.dot == db.dot
        assert da.svg() == db.svg()


def test_identical_svg_across_processes(big_bank_path):
    code = ("import hashlib,sys; from archkit.c4.dsl_reader import read_dsl; "
            "ws,_=read_dsl(sys.argv[1]); "
            "print(hashlib.sha256(''.join(v.render().svg() for v in ws.views).encode())"
            ".hexdigest())")
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code, str(big_bank_path)], env=env,
                             capture_output=True, text=True, check=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_no_viewer_and_no_files_unless_asked(big_bank, tmp_path, monkeypatch):
    import diagrams

    def refuse(*args, **kwargs):
        raise AssertionError("diagrams tried to render a file or open a viewer")

    monkeypatch.setattr(diagrams.Diagram, "render", refuse)
    monkeypatch.chdir(tmp_path)
    for view in big_bank.views:
        view.render().svg()
        view._repr_mimebundle_()
    assert list(tmp_path.iterdir()) == []


def test_c4_look_shapes_legend_and_boundaries(big_bank, shopfront):
    containers = big_bank.view("Containers").render()
    assert re.search(r"\tdatabase \[.*shape=cylinder", containers.dot)
    assert "cluster_c_boundary_internetBankingSystem" in containers.dot
    texts = _texts(containers.svg())
    assert "Legend" in texts and "⛁ Container (database)" in texts
    assert "implied relationship" in texts
    components = big_bank.view("Components").render().dot
    assert "[Component: Spring Bean]" in components.replace("<br/>", " ")  # may wrap
    broker = shopfront.view("Containers").render().dot
    assert re.search(r"\tbroker \[.*shape=cds", broker)
    live = big_bank.view("LiveDeployment").render().dot
    edge = next(line for line in live.splitlines() if "Replicates data to" in line)
    assert "ltail=cluster_c_node_primaryDatabaseServer" in edge
    assert "lhead=cluster_c_node_secondaryDatabaseServer" in edge


def test_long_text_is_wrapped_not_truncated():
    text = " ".join(f"word{i}" for i in range(60))
    b = new_workspace("W")
    s = b.system("S", text)
    b.person("U", "Uses").uses(s, "Uses " + text)
    b.context(s, "C").includes("*")
    joined = " ".join(_texts(b.build().view("C").render().svg()))
    for i in range(60):
        assert f"word{i}" in joined
    assert "..." not in joined


def test_hostile_labels_are_inert_in_svg():
    b = new_workspace(HOSTILE, HOSTILE)
    s = b.system(HOSTILE, HOSTILE, id="s")
    u = b.person("User", HOSTILE)
    u.uses(s, HOSTILE, HOSTILE)
    b.context(s, "C", title=HOSTILE, description=HOSTILE).includes("*")
    svg = b.build().view("C").render().svg()
    root = ET.fromstring(svg)  # still well-formed XML
    assert not [el for el in root.iter() if el.tag.endswith("script")]
    assert "<script>" not in svg
    joined = " ".join(_texts(svg))
    assert '<script>alert("x")</script>' in joined
    assert '& "quotes"' in joined


def test_javascript_urls_are_dropped_with_a_finding():
    b = new_workspace("W")
    s = b.system("S", "x", url="javascript:alert(1)")
    b.person("U", "u").uses(s, "Uses")
    b.context(s, "C").includes("*")
    diagram = b.build().view("C").render()
    assert "javascript" not in diagram.svg()
    assert [f.code for f in diagram.findings] == ["C4501"]


def test_jupyter_shows_views_inline_as_svg(big_bank):
    bundle = big_bank.view("SystemContext")._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")
    assert "Internet Banking System" in bundle["image/svg+xml"]
    assert "SystemContext" in big_bank._repr_markdown_()


@pytest.mark.parametrize("fmt", ["pdf", "gif"])
def test_unknown_format_is_an_archkit_error(big_bank, fmt):
    from archkit.errors import ArchkitError

    with pytest.raises(ArchkitError):
        big_bank.view("SystemContext").render().pipe(fmt)


def test_digest_is_stable_for_png_too(big_bank):
    a = big_bank.view("SignIn").render().png()
    b = big_bank.view("SignIn").render().png()
    assert hashlib.sha256(a).digest() == hashlib.sha256(b).digest()
