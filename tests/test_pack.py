"""The design pack of the worked example: what a reader of each artefact would check."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest
import yaml

from archkit.cli import main
from archkit.errors import ArchkitError
from archkit.pack import MANIFEST, build_pack

VIEWS = ("Landscape", "Context", "Containers", "AppComponents", "OrderPipeline",
         "LiveDeployment")


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    out = tmp_path_factory.mktemp("pack")
    return build_pack("order-platform", out), out


def test_layout(pack):
    result, out = pack
    files = set(result.files)
    assert {"index.html", "requirements.md", "mkdocs.yml", "catalog-info.yaml", "workspace.dsl",
            "schema/postgres.sql", "schema/mysql.sql", "schema/sqlite.sql", "schema/README.md",
            "diagrams/er.svg", "diagrams/er.png", "diagrams/decisions.svg",
            "docs/index.md", "docs/decisions/index.md"} <= files
    for view in VIEWS:
        assert {f"diagrams/{view}.svg", f"diagrams/{view}.png", f"diagrams/mermaid/{view}.mmd",
                f"diagrams/plantuml/{view}.puml"} <= files
    assert "diagrams/er.mmd" in files
    assert result.files == sorted(result.files)
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert on_disk == sorted([*result.files, MANIFEST])
    assert result.left_out == []


def test_requirements_with_capacity_estimate(pack):
    _, out = pack
    md = (out / "requirements.md").read_text()
    assert md.startswith("# Requirements: Shopfront order platform")
    assert "| POST | /v1/orders | Check out a cart and place an order |" in md
    assert "### Capacity estimate (back of the envelope)" in md
    assert (out / "docs" / "requirements.md").read_text() == md


def test_diagrams_are_real_images(pack):
    _, out = pack
    containers = (out / "diagrams" / "Containers.svg").read_text()
    assert containers.lstrip().startswith("<?xml") and "<svg" in containers
    for name in ("Shopfront App", "Message Broker", "Database"):
        assert name in containers
    er = (out / "diagrams" / "er.svg").read_text()
    for table in ("tenants", "orders", "order_items", "payments", "shipments"):
        assert re.search(rf">\s*{table}\s*<", er), table
    for view in VIEWS:
        assert (out / "diagrams" / f"{view}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_schema_per_dialect_and_its_checks(pack):
    _, out = pack
    source = Path(__file__).resolve().parents[1] / "examples/order_platform/schema/v2.sql"
    assert (out / "schema/postgres.sql").read_text() == source.read_text()
    assert "id bigint AUTO_INCREMENT PRIMARY KEY" in (out / "schema/mysql.sql").read_text()
    readme = (out / "schema/README.md").read_text()
    # the example's one deliberate global unique says so in its name (*_global_*): clean
    assert "## Checks of the latest version\n\nNo findings." in readme
    # each migration's zero-downtime notes, under a link to it
    section = readme.split("### [postgres 0002 → v2](migrations/postgres/0002_v2.up.sql)")[1]
    assert re.search(r"\| (ZD|MG)\d{3} \| (error|warning|info) \|", section.split("###")[0])


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite_%'")
    return {r[0] for r in rows}


def test_sqlite_migrations_build_the_sqlite_schema_and_undo_it(pack):
    _, out = pack
    folder = out / "schema/migrations/sqlite"
    ups = sorted(folder.glob("*.up.sql"))
    assert [p.name for p in ups] == ["0001_v1.up.sql", "0002_v2.up.sql"]
    migrated = sqlite3.connect(":memory:")
    for up in ups:
        migrated.executescript(up.read_text())
    direct = sqlite3.connect(":memory:")
    direct.executescript((out / "schema/sqlite.sql").read_text())
    assert _tables(migrated) == _tables(direct) and "orders" in _tables(direct)
    for table in _tables(direct):
        columns = [r[1] for r in direct.execute(f'PRAGMA table_info("{table}")')]
        assert sorted(r[1] for r in migrated.execute(f'PRAGMA table_info("{table}")')) == \
            sorted(columns), table
    for down in sorted(folder.glob("*.down.sql"), reverse=True):
        migrated.executescript(down.read_text())
    assert _tables(migrated) == set()


def test_postgres_migrations_apply_in_a_throwaway_schema(pack, pg_dsn):
    psycopg = pytest.importorskip("psycopg")
    _, out = pack
    schema = f"archkit_pack_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        try:
            conn.execute(f"SET search_path TO {schema}")
            for up in sorted((out / "schema/migrations/postgres").glob("*.up.sql")):
                conn.execute(up.read_text())
            tables = {r[0] for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (schema,))}
            assert {"tenants", "orders", "payments", "shipments"} <= tables
        finally:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def test_mysql_schema_and_migrations_apply_on_mariadb(pack, mysql_dsn):
    pymysql = pytest.importorskip("pymysql")
    from urllib.parse import urlparse

    _, out = pack
    url = urlparse(mysql_dsn)
    database = f"archkit_pack_{uuid.uuid4().hex[:8]}"
    conn = pymysql.connect(host=url.hostname, port=url.port or 3306, user=url.username,
                           password=url.password or "", autocommit=True)
    try:
        with conn.cursor() as cur:
            for name, files in (("direct", [out / "schema/mysql.sql"]),
                                ("migrated", sorted((out / "schema/migrations/mysql")
                                                    .glob("*.up.sql")))):
                cur.execute(f"CREATE DATABASE {database}_{name}")
                cur.execute(f"USE {database}_{name}")
                for path in files:
                    for statement in _statements(path.read_text()):
                        cur.execute(statement)
            tables = {}
            for name in ("direct", "migrated"):
                cur.execute("SELECT table_name, column_name FROM information_schema.columns "
                            "WHERE table_schema = %s", (f"{database}_{name}",))
                tables[name] = sorted(cur.fetchall())
            assert tables["direct"] == tables["migrated"]
            assert ("orders", "tenant_id") in tables["direct"]
    finally:
        with conn.cursor() as cur:
            for name in ("direct", "migrated"):
                cur.execute(f"DROP DATABASE IF EXISTS {database}_{name}")
        conn.close()


def _statements(script: str) -> list[str]:
    """Split a generated script on the ';' that ends a line (no procedures in it)."""
    body = "\n".join(line for line in script.splitlines() if not line.startswith("--"))
    return [s.strip() for s in re.split(r";\s*\n", body + "\n") if s.strip()]


def test_adrs_are_madr_with_the_decision_matrix(pack):
    result, out = pack
    records = sorted((out / "docs/decisions").glob("[0-9][0-9][0-9][0-9]-*.md"))
    assert len(records) == 4
    first = records[0].read_text()
    assert first.startswith("---\nstatus: accepted\n")  # as in the design's docs/decisions
    assert "## Considered Options" in first and "Chosen option" in first
    assert {d.winner for d in result.decisions} >= {"PostgreSQL", "Kafka"}
    assert all(d.adr and (out / d.adr).is_file() for d in result.decisions)


def test_other_readers(pack):
    _, out = pack
    mkdocs = yaml.safe_load((out / "mkdocs.yml").read_text())
    assert mkdocs["docs_dir"] == "docs"

    def pages(nav):
        for item in nav:
            for value in item.values():
                yield from (pages(value) if isinstance(value, list) else [value])

    listed = list(pages(mkdocs["nav"]))
    assert "decisions/index.md" in listed and len(listed) >= 8
    assert all((out / "docs" / page).is_file() for page in listed)
    for image in re.findall(r"\]\((img/[^)]+)\)", (out / "docs/architecture.md").read_text()):
        assert (out / "docs" / image).is_file()
    entity = yaml.safe_load((out / "catalog-info.yaml").read_text())
    assert entity["metadata"]["annotations"]["backstage.io/adr-location"] == "docs/decisions"
    assert entity["metadata"]["name"] == "shopfront-order-platform"
    dsl = (out / "workspace.dsl").read_text()
    assert '\n    !adrs "docs/decisions" madr\n' in dsl.split("model {")[0]
    from archkit.c4 import read_dsl

    ws, _ = read_dsl(out / "workspace.dsl")  # archkit reads its own export back
    assert [v.key for v in ws.views] == list(VIEWS)


def test_index_links_everything_and_has_no_script(pack):
    result, out = pack
    html = (out / "index.html").read_text()
    assert "Content-Security-Policy" in html and "script-src 'none'" in html
    assert "<script" not in html and "http://" not in html and "https://" not in html
    links = set(re.findall(r'(?:href|src)="([^"#][^"]*)"', html))
    assert all((out / link).is_file() for link in links)
    anchors = set(re.findall(r'href="#([^"]+)"', html))
    assert anchors and all(f'id="{a}"' in html for a in anchors)
    for must in ("requirements.md", "diagrams/Containers.svg", "diagrams/Containers.png",
                 "diagrams/er.svg", "schema/mysql.sql", "docs/decisions/index.md",
                 "schema/migrations/postgres/0002_v2.up.sql", "mkdocs.yml", "workspace.dsl"):
        assert must in links, must


def test_second_run_changes_no_byte(tmp_path):
    first = build_pack("order-platform", tmp_path)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*")
              if p.is_file()}
    second = build_pack("order-platform", tmp_path)
    assert first.changed == first.files and second.changed == []
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*")
            if p.is_file()} == before


def test_a_persons_edit_is_kept_unless_forced(tmp_path):
    build_pack("order-platform", tmp_path)
    edited = tmp_path / "requirements.md"
    edited.write_text(edited.read_text() + "\nOur notes from the review.\n")
    again = build_pack("order-platform", tmp_path)
    assert again.kept == ["requirements.md"]
    assert again.changed == ["index.html"]  # which now lists the kept file under Checks
    assert "changed since archkit wrote it" in (tmp_path / "index.html").read_text()
    assert edited.read_text().endswith("Our notes from the review.\n")
    assert [(f.code, f.object) for f in again.findings if f.code == "PK001"] == \
        [("PK001", "requirements.md")]
    # the mkdocs copy is still what the design says, not the edit
    assert "Our notes" not in (tmp_path / "docs/requirements.md").read_text()
    assert build_pack("order-platform", tmp_path).kept == ["requirements.md"]
    forced = build_pack("order-platform", tmp_path, force=True)
    assert forced.kept == [] and forced.changed == ["index.html", "requirements.md"]
    assert "Our notes" not in edited.read_text()


def test_files_no_longer_produced_are_removed_unless_edited(tmp_path, example):
    design = tmp_path / "design"
    shutil.copytree(example, design)
    out = tmp_path / "out"
    build_pack(design, out)
    (out / "diagrams/Context.png").write_bytes(b"edited by hand")
    (design / "workspace.py").unlink()
    result = build_pack(design, out)
    assert "diagrams/Containers.svg" in result.removed and "docs/img/Context.svg" in result.removed
    assert not (out / "diagrams/Containers.svg").exists()
    assert (out / "diagrams/Context.png").read_bytes() == b"edited by hand"
    assert [f.object for f in result.findings if f.code == "PK002"] == ["diagrams/Context.png"]
    assert sorted(p.name for p in (out / "docs/img").iterdir()) == ["er.svg"]
    assert "C4: no workspace.py or workspace.dsl in the design folder" in result.left_out


def test_adr_dates_follow_source_date_epoch(tmp_path, monkeypatch, example):
    # drafts (decisions.yaml without an ADR folder) are dated; recorded ADRs keep their date
    design = tmp_path / "design"
    shutil.copytree(example, design)
    shutil.rmtree(design / "docs/decisions")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 UTC
    build_pack(design, tmp_path / "a")
    first = next((tmp_path / "a/docs/decisions").glob("0001-*.md")).read_text()
    assert first.startswith("---\nstatus: proposed\ndate: 2026-01-01\n")
    # Without it, a rerun keeps the date already in the pack; only the checks on the front
    # page move on, since the ADR lint now sees drafts proposed since January (ADR006-like).
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    again = build_pack(design, tmp_path / "a")
    assert again.changed in ([], ["index.html"])
    assert {f.code for f in again.findings} <= {"ADR011"}  # "proposed for N days"


def test_adr_tools_layout(tmp_path):
    result = build_pack("order-platform", tmp_path, adr_layout="adr-tools")
    assert (tmp_path / ".adr-dir").read_text() == "doc/adr\n"
    first = next((tmp_path / "doc/adr").glob("0001-*.md")).read_text()
    assert first.startswith("# 1. API style") and "\n## Status\n\naccepted\n" in first
    assert '!adrs "doc/adr" adrtools' in (tmp_path / "workspace.dsl").read_text()
    assert not (tmp_path / "docs/decisions").exists()
    assert all(e.path.startswith("doc/adr/") for e in result.adrs)


def test_hand_written_adrs_come_first(tmp_path, example):
    design = tmp_path / "design"
    shutil.copytree(example, design)
    shutil.rmtree(design / "docs/decisions")
    (design / "docs/decisions").mkdir(parents=True)
    (design / "docs/decisions/0001-record-architecture-decisions.md").write_text(
        "---\nstatus: accepted\ndate: 2026-01-05\n---\n# Record architecture decisions\n\n"
        "## Context and Problem Statement\n\nWe need to record decisions.\n\n"
        "## Decision Outcome\n\nChosen option: MADR, because it is plain Markdown.\n")
    result = build_pack(design, tmp_path / "out")
    assert [e.label[:4] for e in result.adrs] == ["0001", "0002", "0003", "0004", "0005"]
    assert result.adrs[0].label == "0001 Record architecture decisions"


def test_a_half_design_gives_its_good_parts_and_says_what_is_left_out(tmp_path, example):
    design = tmp_path / "design"
    design.mkdir()
    shutil.copy(example / "requirements.yaml", design)
    result = build_pack(design, tmp_path / "out")
    assert {"index.html", "requirements.md", "mkdocs.yml"} <= set(result.files)
    assert not any(f.startswith(("diagrams/", "schema/")) for f in result.files)
    assert len(result.left_out) == 4
    html = (tmp_path / "out/index.html").read_text()
    assert "no workspace.py or workspace.dsl" in html


def test_bad_input_names_the_place(tmp_path, example):
    with pytest.raises(ArchkitError, match="no example or folder"):
        build_pack("no-such-example", tmp_path)
    design = tmp_path / "design"
    shutil.copytree(example, design)
    (design / "requirements.yaml").write_text("name: [unclosed\n")
    with pytest.raises(ArchkitError) as err:
        build_pack(design, tmp_path / "out")
    assert err.value.where.file.endswith("requirements.yaml") and err.value.where.line


def test_command_line_json(tmp_path, capsys):
    code = main(["pack", "order-platform", "--out", str(tmp_path), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert "index.html" in data["files"] and data["left_out"] == []
    assert data["findings"] == []  # the worked example agrees with itself
    assert main(["pack", "nowhere", "--out", str(tmp_path)]) == 2


# -- the hand-off document --------------------------------------------------------------------

def _text(page: str) -> str:
    """What a reader sees: tags dropped, entities decoded, spaces collapsed."""
    import html

    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_index_opens_with_a_one_page_summary(pack):
    _, out = pack
    html = (out / "index.html").read_text()
    summary = html[html.index('<section class="summary">'):html.index("</section>")]
    assert html.index('id="summary"') < html.index('id="requirements"')
    text = _text(summary)
    assert "order placed -&gt; inventory reserved" in summary  # escaped once, shown as ->
    assert "Tenants' data must never be visible to another tenant" in text
    for target in ("p50 40 ms, p95 200 ms, p99 500 ms", "1,500 requests/s at peak, 9 reads per "
                   "write", "99.95 % per month", "RPO 5 min, RTO 30 min",
                   "orders per day 400,000, bytes per order 2,048, retention years 7",
                   "estimate: requests in flight at peak 300 requests"):
        assert target in text, target
    for row in ("0003 ( Markdown ) Modular monolith or microservices: Modular monolith "
                "accepted Modular monolith",
                "0004 ( Markdown ) Message broker for the order pipeline: Kafka accepted Kafka"):
        assert row in text, row
    assert "ADR 0003 (Modular monolith): The whole app scales as one unit" in text
    assert "Close call: Message broker for the order pipeline" in text
    assert "All checks pass: no findings." in text
    # the later stages' sections, each under its own heading
    headings = re.findall(r"<h3>([^<]+)</h3>", summary)
    assert {"API contracts", "Security", "Capacity"} <= set(headings), headings
    assert ("Shopfront order platform API 1.0.0 (proposed): openapi 3.1.0, 8 operations, "
            "valid") in text


def test_every_markdown_file_has_an_html_page(pack):
    result, out = pack
    markdown = [f for f in result.files if f.endswith(".md")
                and f not in ("docs/index.md", "docs/requirements.md", "docs/architecture.md")]
    assert {"requirements.md", "schema/README.md", "docs/decisions/index.md"} <= set(markdown)
    for md in markdown:
        page = out / (md[:-3] + ".html")
        html = page.read_text()
        assert "script-src 'none'" in html and "<script" not in html, md
        links = re.findall(r'href="([^"#]+)', html)
        assert all((page.parent / link).is_file() for link in links), (md, links)
    req = (out / "requirements.html").read_text()
    assert "<table>" in req and "<td>/v1/orders</td>" in req
    assert "-&gt; inventory reserved" in req and "&amp;gt;" not in req  # shows "->"
    adr = (out / "docs/decisions/0003-modular-monolith-or-microservices-modular-monolith.html")
    page = adr.read_text()
    # MADR's front matter is a small table, not a stray rule and heading
    assert '<table class="meta">' in page and "<th>status</th><td>accepted</td>" in page
    assert "<h2>status:" not in page and "<hr" not in page.split("<h1>")[0]
    adr_index = (out / "docs/decisions/index.html").read_text()
    assert re.search(r'href="0003-[^"]+\.html"', adr_index)  # links go to the HTML pages
    html = (out / "index.html").read_text()
    assert 'href="requirements.html"' in html and 'href="requirements.md"' in html


def test_the_rollout_ships_phase_by_phase(pack):
    result, out = pack
    folder = out / "schema/rollout/postgres"
    ups = sorted(p.name for p in folder.glob("*.up.sql"))
    assert ups == ["0001_expand.up.sql", "0002_index.up.sql", "0003_backfill.up.sql",
                   "0004_constrain.up.sql", "0005_validate.up.sql", "0006_contract.up.sql"]
    assert len(list(folder.glob("*.down.sql"))) == 6
    assert "CONCURRENTLY" in (folder / "0002_index.up.sql").read_text()
    # the backfill value comes from the design folder's schema/rollout.yaml
    assert "slug = 'default'" in (folder / "0003_backfill.up.sql").read_text()
    assert not [f for f in result.findings if f.code == "PL001"]
    readme = (out / "schema/README.md").read_text()
    rollout = readme.split("## Zero-downtime rollout (expand/contract)")[1]
    assert rollout.index("0002_index.up.sql") < rollout.index("**release: write both") \
        < rollout.index("0003_backfill.up.sql")
    html = (out / "index.html").read_text()
    assert "schema/rollout/postgres/0001_expand.up.sql" in html
    assert (out / "schema/migrations/postgres/0002_v2.up.sql").is_file()  # single step too


def test_rollout_phases_apply_in_order_on_postgres(pack, pg_dsn):
    psycopg = pytest.importorskip("psycopg")
    _, out = pack
    schema = f"archkit_rollout_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        try:
            conn.execute(f"SET search_path TO {schema}")
            conn.execute((out / "schema/migrations/postgres/0001_v1.up.sql").read_text())
            conn.execute("INSERT INTO users (email, full_name) VALUES ('a@example.com', 'A')")
            for up in sorted((out / "schema/rollout/postgres").glob("*.up.sql")):
                if "0003_backfill" in up.name:  # the release before it creates the tenant
                    conn.execute("INSERT INTO tenants (slug, name) VALUES ('default', 'D')")
                for statement in _statements(up.read_text()):
                    conn.execute(statement)
            row = conn.execute("SELECT t.slug FROM users u JOIN tenants t "
                               "ON t.id = u.tenant_id").fetchone()
            assert row == ("default",)
        finally:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def test_the_pack_is_the_folder_as_the_session_left_it(tmp_path, example):
    from archkit.adr import Record
    from archkit.adr.store import AdrStore

    design = tmp_path / "design"
    shutil.copytree(example, design)
    store = AdrStore(design / "docs/decisions")
    newer = store.ensure("Message broker for the order pipeline: managed Kafka",
                         status="accepted", supersedes=4,
                         record=Record(number=None, title="", decision="Buy Kafka as MSK."))
    result = build_pack(design, tmp_path / "out")
    shipped = tmp_path / "out/docs/decisions"
    for rec in store.all():  # byte for byte what the session left
        assert (shipped / rec.file).read_bytes() == (design / "docs/decisions" /
                                                     rec.file).read_bytes()
    assert newer.number == 5 and "0005" in [e.label[:4] for e in result.adrs]
    text = _text((tmp_path / "out/index.html").read_text())
    assert "Message broker for the order pipeline: Kafka superseded by ADR-0005" in text
    assert "managed Kafka accepted" in text


def test_checks_hold_consistency_and_adr_lint_but_no_layout_notices(tmp_path, example):
    design = tmp_path / "design"
    shutil.copytree(example, design)
    text = (design / "workspace.py").read_text()
    (design / "workspace.py").write_text(text.replace('"Apache Kafka", tags="Message Broker"',
                                                      '"RabbitMQ", tags="Message Broker"'))
    adr = next((design / "docs/decisions").glob("0002-*.md"))
    adr.write_text(adr.read_text().replace("status: accepted", "status: acepted"))
    result = build_pack(design, tmp_path / "out")
    codes = {f.code for f in result.findings}
    assert "DC102" in codes  # C4 says RabbitMQ, ADR 0004 chose Kafka
    lint = [f for f in result.findings if f.code.startswith("ADR")]
    assert lint and all(f.file.startswith("docs/decisions/") for f in lint)
    assert "C4402" not in codes  # "Mermaid cannot set the layout" is no design finding
    html = (tmp_path / "out/index.html").read_text()
    assert "DC102" in html.split('id="summary"')[1].split("</section>")[0]
    assert main(["pack", str(design), "--out", str(tmp_path / "out")]) == 1


def test_an_error_half_way_changes_nothing_and_names_the_place(tmp_path, example):
    design = tmp_path / "design"
    shutil.copytree(example, design)
    out = tmp_path / "out"
    build_pack(design, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (design / "requirements.yaml").write_text(
        (design / "requirements.yaml").read_text().replace("Shopfront order platform", "Other"))
    (design / "workspace.py").write_text("def build_workspace():\n    return 1 / 0\n")
    with pytest.raises(ArchkitError) as err:
        build_pack(design, out)
    assert "workspace.py" in str(err.value)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["design", "out"]  # no staging left


def test_a_backtick_in_an_identifier_does_not_stop_the_pack(tmp_path, example):
    design = tmp_path / "design"
    shutil.copytree(example, design)
    for name in ("v1.sql", "v2.sql"):
        path = design / "schema" / name
        path.write_text(path.read_text().replace("CREATE TABLE shipments (",
                                                 'CREATE TABLE "ship`ments" ('))
    ws = design / "workspace.py"
    ws.write_text(ws.read_text().replace('"Shopfront App", "The modular',
                                         '"Shop`front App", "The modular'))
    result = build_pack(design, tmp_path / "out")
    assert "index.html" in result.files and "schema/rollout/postgres/0001_expand.up.sql" in \
        result.files
    assert "`ship``ments`" in (tmp_path / "out/schema/mysql.sql").read_text()
    assert "Shop`front App" in (tmp_path / "out/diagrams/Containers.svg").read_text()


def test_out_must_be_a_pack_folder(tmp_path, example):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "thesis.tex").write_text("mine")
    with pytest.raises(ArchkitError, match="holds no earlier pack"):
        build_pack("order-platform", busy)
    assert [p.name for p in busy.iterdir()] == ["thesis.tex"]
    with pytest.raises(ArchkitError, match="holds the design folder"):
        build_pack(example, example.parent)


def test_a_persons_own_file_in_the_pack_is_kept(tmp_path):
    build_pack("order-platform", tmp_path)
    (tmp_path / "NOTES.txt").write_text("review notes")
    build_pack("order-platform", tmp_path)
    assert (tmp_path / "NOTES.txt").read_text() == "review notes"


def test_later_stages_plug_in_their_checks_and_pack_sections(tmp_path, monkeypatch):
    import archkit.consistency as consistency
    from archkit.consistency import check_design

    (tmp_path / "stage_plugin.py").write_text('''
from dataclasses import dataclass, field
from archkit.findings import Finding, Findings, Severity

def consistency_findings(folder):
    return Findings([Finding("AP101", Severity.WARNING, "endpoint not in the contract",
                             object="GET /v1/reports", file="api/openapi.yaml")])

@dataclass
class PackSection:
    title: str
    lines: list = field(default_factory=list)

def write_pack_section(folder, out):
    (out / "api").mkdir()
    (out / "api" / "openapi.yaml").write_text("openapi: 3.1.0\\n")
    return PackSection("API contracts", ["8 operations, 0 breaking changes"])
''')
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(consistency, "PLUGINS", ("stage_plugin", "archkit.not_installed"))
    assert [f.code for f in check_design("order-platform")] == ["AP101"]
    result = build_pack("order-platform", tmp_path / "out")
    assert (tmp_path / "out/api/openapi.yaml").read_text() == "openapi: 3.1.0\n"
    summary = (tmp_path / "out/index.html").read_text().split("</section>")[0]
    assert "<h3>API contracts</h3>" in summary and "8 operations, 0 breaking changes" in summary
    assert "AP101" in {f.code for f in result.findings}


def test_diagrams_show_at_a_readable_size_with_the_file_one_click_away(pack):
    from archkit.svgmetrics import measure

    _, out = pack
    index = (out / "index.html").read_text()
    assert "max-width: 100%" not in index  # no shrinking to the page width
    figures = re.findall(r'<div class="diagram"><a href="([^"]+)"><img src="([^"]+)"', index)
    assert len(figures) >= 6 and all(link == src for link, src in figures)
    for _, src in figures:
        width, smallest = measure((out / src).read_text()).shown()  # natural size
        assert smallest >= 8, src
