"""The operations table, the static HTML reference (inert, no script) and the pack section."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import yaml

from archkit.api import load_spec, operations_table, parse_spec, reference_html
from archkit.api.draft import dump_yaml
from archkit.api.pack import write_pack_section
from archkit.examples import example_dir

EXAMPLE = example_dir("order-platform")
HOSTILE = '<script>"x" & y</script>'


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.tags.extend(f"@{name}" for name, _ in attrs)

    def handle_data(self, data):
        self.text.append(data)


def test_operations_table_lists_every_operation_with_table_and_container():
    table = operations_table(load_spec(EXAMPLE / "api" / "openapi.yaml"))
    assert len(table.rows) == 8
    row = next(r for r in table.rows if r[:2] == ["POST", "/v1/payments/webhook"])
    assert row[2] == "receivePaymentWebhook"
    assert row[4:7] == ["payments", "paymentModule", "providerSignature"]
    assert "| POST | /v1/orders |" in table.to_markdown()


def test_reference_is_static_and_escapes_every_text():
    doc = yaml.safe_load((EXAMPLE / "api" / "openapi.yaml").read_text())
    doc["info"]["title"] = HOSTILE
    doc["paths"]["/v1/orders"]["post"]["summary"] = HOSTILE
    doc["components"]["schemas"]["Order"]["properties"]["status"]["description"] = HOSTILE
    page = reference_html(parse_spec(dump_yaml(doc))).html
    parser = Tags()
    parser.feed(page)
    assert "script" not in parser.tags
    assert not [t for t in parser.tags if t.startswith("@on")]
    assert "<script" not in page and page.count("&lt;script&gt;") >= 3
    assert sum(HOSTILE in t for t in parser.text) >= 3  # shown as text, intact
    assert "receivePaymentWebhook" in page and 'id="schema-Product"' in page


def test_inline_view_styles_only_its_own_div():
    import re

    inline = reference_html(load_spec(EXAMPLE / "api" / "openapi.yaml"))._repr_html_()
    css = re.search(r"<style>(.*?)</style>", inline, re.S).group(1)
    selectors = [sel.strip() for rule in css.split("}") if "{" in rule
                 for sel in rule.split("{")[0].split(",")]
    assert selectors and all(sel.startswith(".archkit-ref") for sel in selectors)
    assert "<!DOCTYPE" not in inline and "<body" not in inline


def test_pack_section_writes_contracts_pages_checks_and_diff(tmp_path):
    section = write_pack_section(EXAMPLE, tmp_path)
    assert section.name == "api" and section.title == "API contracts"
    assert set(section.files) == {"api/openapi.yaml", "api/asyncapi.yaml", "api/reference.html",
                                  "api/events.html", "api/checks.md", "api/checks.json",
                                  "api/diff.md", "api/diff.json"}
    for rel in section.files:
        assert (tmp_path / rel).is_file()
    assert section.summary[0].startswith("Shopfront order platform API 1.0.0 (proposed)")
    assert section.data["openapi"]["version"] == "1.0.0"
    assert section.data["openapi"]["status"] == "proposed"
    diff = json.loads((tmp_path / "api" / "diff.json").read_text())["openapi"]
    assert diff["from"] == "openapi-0.9.0.yaml"
    assert [(c["id"], c["level"]) for c in diff["changes"]] == [("operation-removed", "warning")]
    assert section.data["diff"]["openapi"]["breaking"] == 0
    events = json.loads((tmp_path / "api" / "diff.json").read_text())["asyncapi"]
    assert {c["id"] for c in events["changes"]} == {"payload-property-added"}
    assert section.summary[-1] == "asyncapi: changes since 0.9.0: 2 change(s), 0 breaking"
    assert "<script" not in (tmp_path / "api" / "events.html").read_text()
    before = {rel: (tmp_path / rel).read_bytes() for rel in section.files}
    write_pack_section(EXAMPLE, tmp_path)
    assert before == {rel: (tmp_path / rel).read_bytes() for rel in section.files}


def test_pack_section_of_a_folder_without_contracts_says_so(tmp_path):
    folder = tmp_path / "d"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("api"))
    section = write_pack_section(folder, tmp_path / "out")
    assert section.files == []
    assert section.summary == ["openapi.yaml: none in the design folder",
                               "asyncapi.yaml: none in the design folder"]
    assert not Path(tmp_path / "out" / "api").exists()
