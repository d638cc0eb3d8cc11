"""Hostile labels in every C4 writer: SVG, DOT, Mermaid, PlantUML and Structurizr DSL.

Each label is planted as an element name, description and technology and as a relationship
description and technology; each output is then parsed (XML, Graphviz JSON, the string
literals of Mermaid / PlantUML, the DSL reader) and must hold the label only as inert text.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from archkit.c4 import new_workspace
from archkit.c4.dsl_reader import parse_dsl
from archkit.c4.dsl_writer import write_dsl
from archkit.c4.mermaid import to_mermaid
from archkit.c4.plantuml import to_plantuml
from archkit.c4.render import render_view, safe_url

URL_INJECTION = '<x> URL="javascript:alert(1)" xyz=<y>'
LABELS = [
    '<script>"x" & y</script>',
    URL_INJECTION,
    "%%{init: {'theme': 'dark', 'securityLevel': 'loose'}}%%",
    "@enduml\n@startuml\n!include /etc/passwd",
    "line one\nline two",
    "`code` ``more``",
    "} { ] [ [[javascript:alert(1)]]",
    'say """hi"""',
    "back\\slash \\N \\G \\L &amp; &#106;avascript:",
    "'comment ~escape $var !define",
]
IDS = [f"l{i}" for i in range(len(LABELS))]


def _workspace(label: str):
    b = new_workspace("Hostile")
    s = b.system(label, label, id="s")
    api = s.container(label, label, label, id="api")
    db = s.container("DB", label, label, tags="Database", id="db")
    u = b.person(label, label, id="u")
    u.uses(api, label, label)
    api.uses(db, label, label)
    b.containers(s, "C").includes("*")
    b.context(s, "X").includes("*")
    return b.build()


def _words(label: str) -> list[str]:
    return label.split()


@pytest.mark.parametrize("label", LABELS, ids=IDS)
def test_svg_holds_the_label_only_as_text(label):
    ws = _workspace(label)
    for view in ws.views:
        svg = render_view(ws, view).svg()
        root = ET.fromstring(svg)  # well-formed XML, or this raises
        tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
        assert "script" not in tags and "x" not in tags and "y" not in tags
        assert not tags & {"foreignObject", "iframe", "object", "embed"}
        for el in root.iter():
            for name, value in el.attrib.items():
                local = name.rsplit("}", 1)[-1]
                assert local not in ("URL", "xyz", "onload", "onclick"), (name, value)
                if local == "href":
                    assert not value.strip().lower().startswith(("javascript:", "data:")), value
        text = " ".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))
        titles = " ".join(el.get("{http://www.w3.org/1999/xlink}title", "") for el in root.iter())
        for word in _words(label):
            assert word in text, (word, view.key)
        if view.key == "C":  # the tooltip carries the name, exactly
            assert label.replace("\n", " ") in titles.replace("\n", " ") or label in titles


@pytest.mark.parametrize("label", LABELS, ids=IDS)
def test_dot_holds_the_label_only_as_attribute_values(label):
    ws = _workspace(label)
    diagram = render_view(ws, ws.view("C"))
    proc = subprocess.run(["dot", "-Tjson"], input=diagram.dot.encode(), capture_output=True,
                          check=True)
    graph = json.loads(proc.stdout)
    nodes = {o["name"]: o for o in graph.get("objects", [])}
    api = nodes["api"]
    # the DOT value, read back by Graphviz: backslashes doubled (no \\N expansion), & as &amp;
    assert html.unescape(api["tooltip"].replace("\\\\\\\\", "\\")) == label
    assert "URL" not in api and "xyz" not in api
    for obj in graph.get("objects", []):
        assert set(obj) & {"URL", "xyz", "href"} == set(), obj["name"]
    for edge in graph.get("edges", []):
        assert set(edge) & {"URL", "xyz", "href"} == set()


def _quoted(line: str) -> tuple[list[str], str]:
    """The string literals of one Mermaid/PlantUML line, and the line without them."""
    return re.findall(r'"([^"]*)"', line), re.sub(r'"[^"]*"', '""', line)


def _check_text_export(text: str, label: str, unescape, active: tuple[str, ...]) -> None:
    flat = " ".join(label.splitlines())
    found = []
    for line in text.splitlines():
        literals, outside = _quoted(line)
        # outside its strings a line holds only macro names, aliases and punctuation
        assert re.fullmatch(r"[A-Za-z0-9_ (),={}$.:\-/<>\"]*", outside), line
        found += [unescape(lit) for lit in literals]
    assert flat in found, (flat, found[:5])
    for raw in active:  # what the target grammar would act on never appears raw
        if raw in label:
            assert all(raw not in lit for lit in
                       (q for ln in text.splitlines() for q in _quoted(ln)[0])), raw


@pytest.mark.parametrize("label", LABELS, ids=IDS)
def test_mermaid_neutralises_directives_and_markup(label):
    result = to_mermaid(_workspace(label))
    for text in result.files.values():
        assert not any(line.lstrip().startswith("%%") for line in text.splitlines())
        assert "%%" not in text and "`" not in text

        def unescape(s: str) -> str:
            return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), html.unescape(
                re.sub(r"#(quot|lt|gt|amp);", r"&\1;", s)))

        # the title line carries the view title; every other label is a string literal
        _check_text_export("\n".join(ln for ln in text.splitlines()
                                     if not ln.strip().startswith("title")), label, unescape,
                           ("%%", "<script", '"x"', "`", '"""', "{", "}"))


@pytest.mark.parametrize("label", LABELS, ids=IDS)
def test_plantuml_neutralises_end_markers_and_markup(label):
    result = to_plantuml(_workspace(label))
    for text in result.files.values():
        lines = text.splitlines()
        assert [ln for ln in lines if ln.strip().startswith("@end")] == ["@enduml"]
        assert [ln for ln in lines if ln.strip().startswith("@start")] == [lines[0]]
        assert [ln for ln in lines if ln.strip().startswith("!")] == [lines[1]]
        body = "\n".join(ln for ln in lines[2:] if not ln.startswith(("title", "@enduml")))
        _check_text_export(body, label, html.unescape,
                           ("@end", "@start", "!include", "<script", "[[", '"x"', '"""', "$",
                            "~", "\\"))


@pytest.mark.parametrize("label", LABELS, ids=IDS)
def test_structurizr_dsl_round_trips_the_label_exactly(label):
    ws = _workspace(label)
    again, findings = parse_dsl(write_dsl(ws))
    for ident in ("s", "api", "u"):
        el = again.model[ident]
        assert (el.name, el.description) == (label, label)
    assert again.model["api"].technology == label
    rels = {(r.source, r.destination): r for r in again.model.relationships}
    assert rels[("u", "api")].description == label
    assert rels[("api", "db")].technology == label
    assert again.to_dict() == ws.to_dict()
    assert [f for f in findings if f.severity.name == "ERROR"] == []


def _dsl_with_url(url: str) -> str:
    return ('workspace { model { s = softwareSystem "S" { url "' + url + '" } } '
            'views { systemLandscape "L" { include * } } }')


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:x",
                                 "data:text/html,<script>", "vbscript:x", "&#106;avascript:x",
                                 "//evil.example/\\x", "mailto:x@example.com"])
def test_only_http_https_and_relative_urls_become_links(url):
    assert safe_url(url) is None
    ws = parse_dsl(_dsl_with_url(url.replace("\\", "\\\\").replace('"', '\\"')))[0]
    diagram = render_view(ws, ws.view("L"))
    root = ET.fromstring(diagram.svg())
    hrefs = [v for el in root.iter() for k, v in el.attrib.items() if k.endswith("href")]
    assert hrefs == []
    assert [f.code for f in diagram.findings] == ["C4501"]


@pytest.mark.parametrize("url", ["https://example.com/a?b=1&c=2", "http://x.test/", "docs/a.html",
                                 "../x#y"])
def test_safe_urls_are_linked_exactly(url):
    ws = parse_dsl(_dsl_with_url(url))[0]
    root = ET.fromstring(render_view(ws, ws.view("L")).svg())
    hrefs = [v for el in root.iter() for k, v in el.attrib.items() if k.endswith("href")]
    assert hrefs == [url]


def _dsl_workspace(label: str):
    """The label as view key and title, group, deployment node, tag and style: via the DSL."""
    from archkit.c4.dsl_writer import quote

    q = quote(label)
    text = f'''workspace {{
    model {{
        group {q} {{
            s = softwareSystem {q} {q} {q} {{
                api = container {q} {q} {q} {q}
            }}
        }}
        u = person {q}
        u -> api {q} {q}
        live = deploymentEnvironment "Live" {{
            dn = deploymentNode {q} {q} {q} {q} {q} {{
                containerInstance api
            }}
        }}
    }}
    views {{
        container s {q} {q} {{
            include *
            title {q}
        }}
        deployment s live "D" {{
            include *
        }}
        styles {{
            element {q} {{
                background #ff0000
            }}
        }}
    }}
}}'''
    ws, _ = parse_dsl(text, file="hostile.dsl")
    return ws


@pytest.mark.parametrize("label", LABELS, ids=IDS)
def test_svg_clusters_titles_keys_and_legend_are_inert(label):
    ws = _dsl_workspace(label)
    for view in ws.views:
        diagram = render_view(ws, view)
        root = ET.fromstring(diagram.svg())
        for el in root.iter():
            assert el.tag.rsplit("}", 1)[-1] not in ("script", "x", "y", "foreignObject")
            for name, value in el.attrib.items():
                assert name.rsplit("}", 1)[-1] not in ("URL", "xyz"), (name, value)
                if name.endswith("href"):
                    assert not value.lower().lstrip().startswith("javascript:")
        text = " ".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))
        for word in _words(label):
            assert word in text, (word, view.key)


@pytest.mark.parametrize("label", LABELS, ids=IDS)
def test_text_exports_of_clusters_titles_and_keys_are_inert(label):
    ws = _dsl_workspace(label)
    for text in to_mermaid(ws).files.values():
        assert "%%" not in text and "<script" not in text and "`" not in text
        for line in text.splitlines():
            assert re.fullmatch(r"[A-Za-z0-9_ (),={}$.:\-/<>\"]*", _quoted(line)[1]) or \
                line.lstrip().startswith("title "), line
    for name, text in to_plantuml(ws).files.items():
        lines = text.splitlines()
        assert [ln for ln in lines if ln.strip().startswith("@end")] == ["@enduml"], name
        assert "<script" not in text and "[[" not in text
        assert re.fullmatch(r"@startuml [A-Za-z0-9._-]+", lines[0])
    dsl = write_dsl(ws)
    again, _ = parse_dsl(dsl, file="again.dsl")
    assert again.to_dict() == ws.to_dict()


def test_the_issue_reproducer_through_the_cli_gives_inert_svg(tmp_path, capsys):
    from archkit.c4.dsl_writer import quote
    from archkit.cli import main

    dsl = tmp_path / "x.dsl"
    dsl.write_text(f'workspace {{\n model {{\n  x = softwareSystem {quote(URL_INJECTION)}\n }}\n'
                   ' views {\n  systemLandscape "L" {\n   include *\n  }\n }\n}\n')
    code = main(["c4", "render", str(dsl), "--out", str(tmp_path / "out"), "--format", "svg"])
    assert code in (0, 1) and "Traceback" not in capsys.readouterr().err
    root = ET.parse(tmp_path / "out" / "L.svg").getroot()
    hrefs = [v for el in root.iter() for k, v in el.attrib.items() if k.endswith("href")]
    assert hrefs == []
    assert any(URL_INJECTION in (el.get("{http://www.w3.org/1999/xlink}title") or "")
               for el in root.iter())
