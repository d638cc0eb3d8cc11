"""Issue 12: every hostile label in every writer, read back by that output's own parser.

Writers: C4 SVG and its DOT, the ER diagram's SVG, Mermaid, PlantUML, Structurizr DSL,
ADR Markdown (written by the ADR store), requirements Markdown, the pack's HTML pages and
YAML files, the triage YAML, and SQL (transpile, then a migration's up and down) applied on
SQLite in-process and on PostgreSQL / MariaDB when ARCHKIT_PG_DSN / ARCHKIT_MYSQL_DSN are set.
Each cell asserts the parsed output holds the label only as inert text. ``pytest -s``
prints the matrix (writers × labels) at the end.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
import yaml

from archkit.c4 import new_workspace
from archkit.c4.dsl_reader import parse_dsl
from archkit.c4.dsl_writer import write_dsl
from archkit.c4.mermaid import to_mermaid
from archkit.c4.plantuml import to_plantuml
from archkit.c4.render import render_view

LABELS = {
    "script": '<script>"x" & y</script>',
    "dot-url": '<x> URL="javascript:alert(1)" xyz=<y>',
    "mermaid-init": '%%{init: {"theme":"dark"}}%%',
    "enduml": "@enduml",
    "sql-drop": "x)); DROP TABLE users; --",
    "sql-drop-quoted": '"x)); DROP TABLE users; --"',
    "backtick": "a`b` name",
    "newlines": "line one\nline two\r\nthree",
    "cdata-end": "x ]]> y",
    "template": "{{ config.items() }}",
    "dollar-body": "$$ body $$",
    "long": "long " + "w" * 3000,
    "rtl": "abc\u202edcba",
}
IDS = list(LABELS)
CELLS: set[tuple[str, str]] = set()  # (writer, label id) cells that passed


def _done(writer: str, label_id: str) -> None:
    CELLS.add((writer, label_id))


@pytest.fixture(scope="module", autouse=True)
def _print_matrix():
    yield
    writers = sorted({w for w, _ in CELLS})
    print(f"\nhostile-label matrix: {len(writers)} writers x {len(LABELS)} labels = "
          f"{len(writers) * len(LABELS)} cells, {len(CELLS)} inert")
    for w in writers:
        print(f"  {w:22} {sum(1 for x, _ in CELLS if x == w)}/{len(LABELS)}")


def _flat(text: str) -> str:
    """What a one-line text cell keeps of a label: whitespace runs as one space."""
    return " ".join(text.split())


# -- SVG / DOT ----------------------------------------------------------------------------

SAFE_SCHEMES = ("http://", "https://")


def _assert_inert_svg(svg: str) -> str:
    """The SVG parses, holds no script / on* / foreign content / unsafe link; returns its text."""
    root = ET.fromstring(svg)
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        assert tag not in ("script", "foreignObject", "iframe", "object", "embed", "x", "y"), tag
        for name, value in el.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            assert not local.startswith("on"), (name, value)
            assert local not in ("url", "xyz"), (name, value)
            if local == "href":
                v = value.strip().lower()
                assert v.startswith(SAFE_SCHEMES) or ":" not in v.split("/")[0], value
    return " ".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("}text"))


def _c4(label: str):
    b = new_workspace("Hostile")
    s = b.system(label, label, id="s")
    api = s.container(label, label, label, id="api")
    db = s.container("DB", label, label, tags="Database", id="db")
    u = b.person(label, label, id="u")
    u.uses(api, label, label)
    api.uses(db, label, label)
    b.containers(s, "C").includes("*")
    return b.build()


def _words_in(label: str, text: str) -> None:
    flat = _flat(text)
    for word in label.split():  # a long word may be wrapped or shortened with an ellipsis
        assert word[:40] in flat, word[:40]


@pytest.mark.parametrize("label_id", IDS)
def test_c4_svg(label_id):
    label = LABELS[label_id]
    ws = _c4(label)
    text = _assert_inert_svg(render_view(ws, ws.view("C")).svg())
    _words_in(label, text)
    _done("c4-svg", label_id)


def _dot_json(label: str) -> dict:
    ws = _c4(label)
    dot = render_view(ws, ws.view("C")).dot
    return json.loads(subprocess.run(["dot", "-Tjson"], input=dot.encode(), capture_output=True,
                                     check=True, timeout=60).stdout)


@pytest.mark.parametrize("label_id", IDS)
def test_c4_dot_behind_png(label_id):
    label = LABELS[label_id]
    graph, plain = _dot_json(label), _dot_json("plain")
    # the same nodes, edges and attribute names as for a plain label: nothing made from it
    assert [sorted(o) for o in graph["objects"]] == [sorted(o) for o in plain["objects"]]
    assert [sorted(e) for e in graph.get("edges", [])] == \
        [sorted(e) for e in plain.get("edges", [])]
    api = next(o for o in graph["objects"] if o["name"] == "api")
    tooltip = html.unescape(api["tooltip"])
    for word in label.split():  # Graphviz reads the value back as the label's text
        assert word in tooltip, word[:40]
    _done("c4-dot", label_id)


@pytest.mark.parametrize("label_id", IDS)
def test_er_svg(label_id):
    from archkit.schema.er import er_diagram
    from archkit.schema.parse import parse_schema

    label = _sql_name(LABELS[label_id])
    q = _quote(label, "postgres")
    sql = (f"CREATE TABLE {q} (id integer PRIMARY KEY, {_quote(label + ' c', 'postgres')} text);\n"
           f"CREATE TABLE child (id integer PRIMARY KEY, p integer REFERENCES {q} (id));\n")
    catalog = parse_schema(sql, "postgres").catalog
    text = _assert_inert_svg(er_diagram(catalog).svg())
    _words_in(label, text)
    _done("er-svg", label_id)


_ER_LINE = re.compile(r'erDiagram|    \w[\w-]*(\["[^"]*"\])? \{|    \}|'
                      r'        \w[\w-]* \w[\w-]*( (PK|FK|UK)(,(PK|FK|UK))*)?( "[^"]*")?|'
                      r'    \w[\w-]* [|}]o--[o|]\| \w[\w-]* : "[^"]*"')


def _mermaid_unescape(text: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))),
                  html.unescape(re.sub(r"#(quot|lt|gt|amp);", r"&\1;", text)))


@pytest.mark.parametrize("label_id", IDS)
def test_er_mermaid(label_id):
    from archkit.schema.er import er_diagram
    from archkit.schema.parse import parse_schema

    label = _sql_name(LABELS[label_id])
    q = _quote(label, "postgres")
    sql = (f"CREATE TABLE {q} (id integer PRIMARY KEY, {_quote(label + ' c', 'postgres')} text);\n"
           f"CREATE TABLE child (id integer PRIMARY KEY, p integer REFERENCES {q} (id));\n")
    text = er_diagram(parse_schema(sql, "postgres").catalog).mermaid()
    assert "%%" not in text and "<" not in text and "`" not in text
    for line in text.splitlines():  # every line is one of the writer's own statements
        assert _ER_LINE.fullmatch(line), line
    aliases = [_mermaid_unescape(a) for a in re.findall(r'\["([^"]*)"\]', text)]
    assert aliases == [_flat(label)] or (aliases == [] and re.fullmatch(r"\w+", label))
    lines = text.splitlines()
    assert len([ln for ln in lines if ln.endswith(" {")]) == 2  # two entities
    assert len([ln for ln in lines if " : " in ln]) == 1  # one relationship
    _done("er-mermaid", label_id)


# -- text exports -------------------------------------------------------------------------

@pytest.mark.parametrize("label_id", IDS)
def test_mermaid(label_id):
    label = LABELS[label_id]
    for text in to_mermaid(_c4(label)).files.values():
        assert "%%" not in text and "<script" not in text and "`" not in text
        assert not any(line.lstrip().startswith(("%%", "click", "style ")) for line in
                       text.splitlines() if label_id != "long")
        assert "\r" not in text
    _done("mermaid", label_id)


@pytest.mark.parametrize("label_id", IDS)
def test_plantuml(label_id):
    label = LABELS[label_id]
    for text in to_plantuml(_c4(label)).files.values():
        lines = text.splitlines()
        assert [ln for ln in lines if ln.strip().startswith("@end")] == ["@enduml"]
        assert [ln for ln in lines if ln.strip().startswith("@start")] == [lines[0]]
        assert "<script" not in text and "[[" not in text and "\r" not in text
    _done("plantuml", label_id)


@pytest.mark.parametrize("label_id", IDS)
def test_structurizr_dsl_round_trip(label_id):
    label = LABELS[label_id]
    ws = _c4(label)
    again, findings = parse_dsl(write_dsl(ws), file="again.dsl")
    # the DSL is read line by line: CRLF and CR come back as the line break LF
    label = label.replace("\r\n", "\n").replace("\r", "\n")
    for ident in ("s", "api", "u"):
        assert (again.model[ident].name, again.model[ident].description) == (label, label)
    if "\r" not in LABELS[label_id]:
        assert again.to_dict() == ws.to_dict()
    assert not [f for f in findings if f.severity.name == "ERROR"]
    _done("structurizr-dsl", label_id)


# -- Markdown and HTML --------------------------------------------------------------------

class _Html(HTMLParser):
    """Collects text and every tag with its attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "nav", "a", "h1", "h2", "h3",
                "h4", "p", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "code",
                "pre", "em", "strong", "br", "hr", "img", "figure", "figcaption", "section",
                "blockquote", "details", "summary", "span", "div", "header", "main", "footer",
                "caption", "small", "dl", "dt", "dd", "object", "b", "i", "sup", "sub", "col",
                "colgroup", "meter", "progress"}


def _assert_inert_html(page: str) -> str:
    """The page's tags are the writer's own, with no script / on* / unsafe link; its text."""
    parser = _Html()
    parser.feed(page)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on") and name not in ("url", "xyz", "srcdoc"), name
            if name in ("href", "src", "data") and value:
                v = value.strip().lower()
                assert v.startswith(SAFE_SCHEMES) or ":" not in v.split("/")[0], value
    return "".join(parser.text)


def _markdown_html(text: str) -> str:
    from archkit.pack_html import markdown_page

    return _assert_inert_html(markdown_page("t", text, "docs/x.md", set()))


@pytest.mark.parametrize("label_id", IDS)
def test_adr_markdown(label_id, tmp_path):
    from archkit.adr.model import md
    from archkit.adr.store import AdrStore

    label = LABELS[label_id]
    folder = tmp_path / "docs" / "decisions"
    folder.mkdir(parents=True)
    store = AdrStore(folder, dialect="madr", today="2026-01-01")
    rec = store.new(label)
    written = store.path_of(rec)
    again = AdrStore(folder).get(rec.number)
    assert again.title == md(label)  # read back exactly as written
    assert _flat(label) in _flat(_markdown_html(written.read_text()))
    assert written.parent == folder and written.name.endswith(".md")
    assert ".." not in written.name and "/" not in written.name
    _done("adr-markdown", label_id)


@pytest.mark.parametrize("label_id", IDS)
def test_adr_front_matter(label_id, tmp_path):
    """MADR front matter (decision-makers, consulted, tags) is YAML: a label stays one value
    and cannot add a key (``x\\nstatus: accepted``)."""
    from archkit.adr.model import Record
    from archkit.adr.store import AdrStore

    label = LABELS[label_id]
    people = _flat(label).replace(",", " ")  # MADR keeps people as "a, b": trimmed, split
    store = AdrStore(tmp_path, dialect="madr", today="2026-01-01")
    rec = store.new("t", record=Record(number=None, title="t", deciders=[people],
                                       consulted=[people], tags=[label, "x\nstatus: accepted"]))
    text = store.path_of(rec).read_text()
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["status"] == "proposed" and front["tags"] == [label, "x\nstatus: accepted"]
    assert front["decision-makers"] == people
    again = AdrStore(tmp_path).get(rec.number)
    assert (again.deciders, again.consulted, again.status) == ([people], [people], "proposed")
    assert again.tags == [label, "x\nstatus: accepted"]
    _done("adr-front-matter", label_id)


@pytest.mark.parametrize("label_id", IDS)
def test_adr_index_and_graph(label_id, tmp_path):
    from archkit.adr.index import AdrIndex, write_index
    from archkit.adr.store import AdrStore

    label = LABELS[label_id]
    store = AdrStore(tmp_path, dialect="madr", today="2026-01-01")
    store.new(label)
    store.new(label + " 2", supersedes=1)
    records = AdrStore(tmp_path).all()
    written = write_index(tmp_path, records)
    assert {p.name for p in written} == {"index.md", "decisions.dot", "decisions.svg"}
    page = _flat(_markdown_html((tmp_path / "index.md").read_text()))
    assert _flat(label) in page
    svg_text = _assert_inert_svg((tmp_path / "decisions.svg").read_text())
    for word in label.split()[:3]:
        assert word[:30] in svg_text
    mermaid = AdrIndex(records).graph.to_mermaid()
    assert "%%" not in mermaid and "`" not in mermaid and "<" not in mermaid.replace("-->", "")
    tame = AdrStore(tmp_path / "tame", dialect="madr", today="2026-01-01")
    tame.new(_tame(label))
    tame.new(_tame(label) + " 2", supersedes=1)
    plain = AdrIndex(AdrStore(tmp_path / "tame").all()).graph.to_mermaid()
    # the same statements as for the label's words alone: only the quoted labels differ
    assert [re.sub(r'"[^"]*"', '""', ln) for ln in mermaid.splitlines()] == \
        [re.sub(r'"[^"]*"', '""', ln) for ln in plain.splitlines()]
    _done("adr-index", label_id)


@pytest.mark.parametrize("label_id", IDS)
def test_decision_matrix_and_adr_drafts(label_id, tmp_path):
    """A decision whose title, deciders, criteria and option names are the label: the
    Markdown and HTML views are inert, and the ADR draft reads back with the label."""
    from archkit.adr.store import AdrStore
    from archkit.brainstorm.load import decisions_from_data
    from archkit.brainstorm.render import decision_html, decision_markdown
    from archkit.brainstorm.to_adr import record_decisions

    label = LABELS[label_id]
    data = {"decisions": [{
        "id": "d1", "title": label, "question": label, "context": label, "deciders": [label],
        "criteria": [{"name": label, "weight": 3}, {"name": "cost", "weight": 1}],
        "options": [{"name": label, "scores": {label: 5, "cost": 1}, "pros": [label]},
                    {"name": "other", "scores": {label: 1, "cost": 5}}]}]}
    ds = decisions_from_data(data, source="decisions.yaml")
    [decision] = ds.decisions
    assert decision.title == label and [o.name for o in decision.options] == [label, "other"]
    md_text = _flat(_markdown_html(decision_markdown(decision)))
    assert _flat(label) in md_text
    page = _flat(_assert_inert_html(decision_html(decision)))
    assert _flat(label) in page
    record_decisions(ds.decisions, tmp_path, date="2026-01-01")
    [record] = AdrStore(tmp_path).all()
    assert record.chosen is not None and _flat(label) in _flat(_markdown_html(
        AdrStore(tmp_path).path_of(record).read_text()))
    _done("decision-md+adr-draft", label_id)


@pytest.mark.parametrize("label_id", IDS)
def test_requirements_markdown(label_id):
    from archkit.brainstorm.requirements import Entity, Requirements

    label = LABELS[label_id]
    req = Requirements(name=label, summary=label, constraints=[label],
                       entities=[Entity(name=label, description=label, attributes=[label])])
    text = _flat(_markdown_html(req.to_markdown()))
    assert text.count(_flat(label)) >= 4, text[:300]
    _done("requirements-md", label_id)


# the design's name is the pack's title: in every page's <title>, mkdocs.yml, catalog-info.yaml
PACK_TITLE = " ".join([LABELS["script"], LABELS["dot-url"], LABELS["template"],
                       LABELS["dollar-body"], LABELS["rtl"],
                       "emoji \U0001F600 nel\x85 ls\u2028sep"])


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """One pack of the worked example with every label planted in its requirements."""
    from archkit.examples import example_dir
    from archkit.pack import build_pack

    root = tmp_path_factory.mktemp("pack")
    design = root / "design"
    shutil.copytree(example_dir("order_platform"), design)
    req = yaml.safe_load((design / "requirements.yaml").read_text())
    req["name"] = PACK_TITLE
    req["constraints"] = [*req.get("constraints", []), *LABELS.values()]
    req["entities"].append({"name": LABELS["script"], "description": LABELS["dot-url"],
                            "attributes": [LABELS["sql-drop"]]})
    (design / "requirements.yaml").write_text(yaml.safe_dump(req, allow_unicode=True))
    build_pack(design, root / "out")
    return root / "out"


@pytest.mark.parametrize("label_id", IDS)
def test_pack_html_pages(label_id, pack):
    label = LABELS[label_id]
    index = _assert_inert_html((pack / "index.html").read_text())
    page = _flat(_assert_inert_html((pack / "requirements.html").read_text()))
    assert _flat(label) in page
    assert "<script" not in (pack / "index.html").read_text()
    assert _flat(label) in _flat(index)  # the constraints are on the summary page
    assert _flat(PACK_TITLE) in _flat(index)
    for html_file in pack.rglob("*.html"):  # every Markdown-rendered page is inert
        _assert_inert_html(html_file.read_text())
    for svg in pack.rglob("*.svg"):
        _assert_inert_svg(svg.read_text())
    _done("pack-html", label_id)


# -- YAML ---------------------------------------------------------------------------------

@pytest.mark.parametrize("label_id", IDS)
def test_triage_yaml(label_id):
    from archkit.security.triage import dump_triage

    label = LABELS[label_id]
    text = dump_triage({"TM101-1": {"rule": "TM101", "element": label, "status": "accepted",
                                    "reason": label, "review": "2027-01-01"}})
    data = yaml.safe_load(text)
    entry = data["threats"]["TM101-1"]
    assert entry["element"] == label and entry["reason"] == label
    assert list(data) == ["threats"] and list(data["threats"]) == ["TM101-1"]
    _done("triage-yaml", label_id)


@pytest.mark.parametrize("label_id", IDS)
def test_pack_yaml(label_id, pack):
    label = LABELS[label_id]
    for path in [*pack.rglob("*.yaml"), *pack.rglob("*.yml")]:
        yaml.safe_load(path.read_text())  # every YAML the pack wrote still parses
    assert yaml.safe_load((pack / "mkdocs.yml").read_text())["site_name"] == \
        PACK_TITLE + " — design pack"
    assert yaml.safe_load((pack / "catalog-info.yaml").read_text())["metadata"]["title"] == \
        PACK_TITLE
    assert label in (pack / "requirements.md").read_text() or \
        _flat(label) in _flat(_markdown_html((pack / "requirements.md").read_text()))
    _done("pack-yaml+md", label_id)


# -- threat model exports: pytm (Python), Threagile (YAML), the data-flow SVG --------------

def _threats(label: str, tmp_path):
    from archkit.security import analyse

    path = tmp_path / f"w{abs(hash(label))}.dsl"
    path.write_text(write_dsl(_c4(label)))
    return analyse(path)


def _tame(label: str) -> str:
    """The label's words without its punctuation: the same meaning (a PII word stays), no
    grammar — the baseline whose output a hostile label's must match in shape."""
    return " ".join(re.sub(r"[^\w\s]", " ", label).split()) or "plain"


def _dsl_text(label: str) -> str:
    """What a label is after a trip through a DSL file: CRLF and CR are line breaks."""
    return label.replace("\r\n", "\n").replace("\r", "\n")


def _ast_shape(source: str) -> list[str]:
    """The node types of a Python module: the same for any label when labels stay strings."""
    import ast

    return [type(n).__name__ for n in ast.walk(ast.parse(source))]


def _strings(source: str) -> list[str]:
    import ast

    return [n.value for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.Constant) and isinstance(n.value, str)]


@pytest.mark.parametrize("label_id", IDS)
def test_pytm_python(label_id, tmp_path):
    from archkit.security import to_pytm

    label = LABELS[label_id]
    source = to_pytm(_threats(label, tmp_path))
    assert _ast_shape(source) == _ast_shape(to_pytm(_threats(_tame(label), tmp_path)))
    assert label in _strings(source) or _flat(label) in map(_flat, _strings(source))
    _done("pytm-python", label_id)


@pytest.mark.parametrize("label_id", IDS)
def test_threagile_yaml(label_id, tmp_path):
    from archkit.security import to_threagile

    label = LABELS[label_id]
    data = yaml.safe_load(to_threagile(_threats(label, tmp_path)))
    plain = yaml.safe_load(to_threagile(_threats(_tame(label), tmp_path)))
    assert list(data) == list(plain)  # no key made from the label at the top
    assets = data["technical_assets"]
    api = next(a for a in assets.values() if a["id"] == "api")
    assert api["description"] == _dsl_text(label)
    assert sorted(api) == sorted(next(a for a in plain["technical_assets"].values()
                                      if a["id"] == "api"))
    _done("threagile-yaml", label_id)


@pytest.mark.parametrize("label_id", IDS)
def test_dfd_svg(label_id, tmp_path):
    from archkit.security import dfd_svg

    label = LABELS[label_id]
    text = _assert_inert_svg(dfd_svg(_threats(label, tmp_path)))
    _words_in(label, text)
    _done("dfd-svg", label_id)


# -- SQL ----------------------------------------------------------------------------------

DIALECTS = ["postgres", "mysql", "sqlite"]


def _sql_name(label: str) -> str:
    """Identifiers are bounded by the engines (63 bytes on PostgreSQL): the long label is cut
    to fit, every other label is kept whole."""
    return label[:50] if len(label) > 50 else label


def _quote(name: str, dialect: str) -> str:
    if dialect == "mysql":
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


def _engine(dialect: str) -> str | None:
    if dialect == "sqlite":
        return "sqlite"
    return os.environ.get("ARCHKIT_PG_DSN" if dialect == "postgres" else "ARCHKIT_MYSQL_DSN")


def _catalog(box) -> dict:
    """Every table → its columns, and every index name, as the engine stores them."""
    if box.dialect == "sqlite":
        tables = [r[0] for r in box.query("SELECT name FROM sqlite_master WHERE type = 'table'")]
        cols = {t: sorted(r[1] for r in box.query("SELECT * FROM pragma_table_info(?)", (t,)))
                for t in tables}
        idx = [r[0] for r in box.query("SELECT name FROM sqlite_master WHERE type = 'index' "
                                       "AND sql IS NOT NULL")]
        other = [r[0] for r in box.query("SELECT name FROM sqlite_master WHERE type NOT IN "
                                         "('table', 'index')")]
    else:
        where = "table_schema = 'public'" if box.dialect == "postgres" else \
            "table_schema = DATABASE()"
        tables = [r[0] for r in box.query(
            f"SELECT table_name FROM information_schema.tables WHERE {where}")]
        cols = {t: sorted(r[0] for r in box.query(
            f"SELECT column_name FROM information_schema.columns WHERE {where} AND "
            "table_name = %s", (t,))) for t in tables}
        if box.dialect == "postgres":
            idx = [r[0] for r in box.query("SELECT indexname FROM pg_indexes WHERE schemaname = "
                                           "'public' AND indexname NOT LIKE '%%pkey'")]
            other = [r[0] for r in box.query(
                "SELECT routine_name FROM information_schema.routines WHERE routine_schema = "
                "'public'")]
        else:
            idx = [r[0] for r in box.query(
                "SELECT DISTINCT index_name FROM information_schema.statistics WHERE "
                "table_schema = DATABASE() AND index_name <> 'PRIMARY'")]
            other = [r[0] for r in box.query(
                "SELECT routine_name FROM information_schema.routines WHERE routine_schema = "
                "DATABASE()")]
    return {"tables": sorted(tables), "columns": cols, "indexes": sorted(idx),
            "other": sorted(other)}


def _schema(label: str, dialect: str, *, second: bool) -> str:
    q = lambda n: _quote(n, dialect)  # noqa: E731
    cols = [f"{q(label)} integer"] + ([f"{q(label + '2')} integer"] if second else [])
    idx = [f"CREATE INDEX {q('i' + label)} ON {q(label)} ({q(label)});"]
    if second:
        idx.append(f"CREATE INDEX {q('j' + label)} ON {q(label)} ({q(label + '2')});")
    return ("CREATE TABLE users (id integer PRIMARY KEY);\n"
            f"CREATE TABLE {q(label)} (id integer PRIMARY KEY, {', '.join(cols)});\n"
            + "\n".join(idx) + "\n")


def _expected(label: str, *, second: bool) -> dict:
    cols = sorted(["id", label] + ([label + "2"] if second else []))
    idx = ["i" + label] + (["j" + label] if second else [])
    return {"tables": sorted(["users", label]), "columns": {"users": ["id"], label: cols},
            "indexes": sorted(idx), "other": []}


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("label_id", IDS)
def test_sql_transpile_applies_exactly(label_id, dialect):
    from archkit.schema.engines import sandbox
    from archkit.schema.transpile import transpile_schema

    label = _sql_name(LABELS[label_id])
    engine = _engine(dialect)
    if engine is None:
        pytest.skip(f"set ARCHKIT_{'PG' if dialect == 'postgres' else 'MYSQL'}_DSN")
    out = transpile_schema(_schema(label, "postgres", second=True), "postgres", dialect)
    with sandbox(engine) as box:
        box.execute_script(out.sql).raise_for_errors()
        assert _catalog(box) == _expected(label, second=True)
    _done(f"sql-transpile-{dialect}", label_id)


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("label_id", IDS)
def test_sql_diff_up_and_down_apply_exactly(label_id, dialect):
    from archkit.migrations.diff import diff_sql
    from archkit.schema.engines import sandbox

    label = _sql_name(LABELS[label_id])
    engine = _engine(dialect)
    if engine is None:
        pytest.skip(f"set ARCHKIT_{'PG' if dialect == 'postgres' else 'MYSQL'}_DSN")
    old, new = _schema(label, dialect, second=False), _schema(label, dialect, second=True)
    mig = diff_sql(old, new, dialect, allow_destructive=True)
    with sandbox(engine) as box:
        box.execute_script(old).raise_for_errors()
        assert _catalog(box) == _expected(label, second=False)
        box.execute_script(";\n".join(mig.up) + ";").raise_for_errors()
        assert _catalog(box) == _expected(label, second=True)
        box.execute_script(";\n".join(mig.down) + ";").raise_for_errors()
        assert _catalog(box) == _expected(label, second=False)
    _done(f"sql-diff-{dialect}", label_id)


def test_matrix_is_complete_when_every_engine_is_there():
    """Runs last in this module: with both DSNs set, every writer × label cell passed."""
    if not (_engine("postgres") and _engine("mysql")):
        pytest.skip("needs ARCHKIT_PG_DSN and ARCHKIT_MYSQL_DSN")
    writers = {w for w, _ in CELLS}
    if len(writers) < 24:  # run alone with -k: nothing to check
        pytest.skip("run the whole module")
    assert len(CELLS) == len(writers) * len(LABELS)


