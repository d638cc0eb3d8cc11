"""Show a contract to people: a table of operations, and a static HTML reference (no script).

Usage::

    spec = load_spec("api/openapi.yaml")
    operations_table(spec)          # a table in Jupyter (Markdown and HTML)
    reference_html(spec)            # an HtmlPage; .html is a whole page, every text escaped

The reference is one self-contained page — inline CSS, no JavaScript, no external
fetch — so it can be opened from the design pack on any machine and is safe to publish:
every name, description and example is escaped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from archkit.api.source import Spec
from archkit.api.walk import operations
from archkit.display import escape_html, html_table, markdown_table

__all__ = ["HtmlPage", "Table", "operations_table", "reference_html", "rules_table"]

# (selector, declarations); the page applies them to its body, the notebook view to a
# wrapper div only, so showing a reference inline never restyles JupyterLab itself.
_CSS = (
    ("", "font-family:system-ui,sans-serif;max-width:60rem;color:#222"),
    ("h1", "margin-bottom:.2rem"),
    ("code, pre", "background:#f4f4f4;border-radius:3px"),
    ("pre", "padding:.6rem;overflow-x:auto"),
    ("table", "border-collapse:collapse;margin:.4rem 0"),
    ("td, th", "border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top"),
    (".op", "border-left:4px solid #888;padding-left:.8rem;margin:1.4rem 0"),
    (".m", "font-weight:bold;text-transform:uppercase"),
    (".get", "border-color:#2b7"), (".post", "border-color:#27b"), (".put", "border-color:#b72"),
    (".patch", "border-color:#b7b"), (".delete", "border-color:#b22"), (".muted", "color:#666"),
)


def _css(scope: str) -> str:
    rules = []
    for selector, body in _CSS:
        sel = ", ".join(f"{scope} {part}".strip() for part in selector.split(", ")) or scope
        rules.append(f"{sel}{{{body}}}")
    return "\n".join(rules)


@dataclass
class Table:
    """Rows under headers; Markdown and HTML in Jupyter, every cell escaped."""

    headers: list[str]
    rows: list[list[str]]

    def to_markdown(self) -> str:
        return markdown_table(self.headers, self.rows)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_html_(self) -> str:
        return html_table(self.headers, self.rows)


@dataclass
class HtmlPage:
    """A static reference: ``.html`` is a whole page; in Jupyter it shows inside a scoped div."""

    title: str
    body: str

    @property
    def html(self) -> str:
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<title>{escape_html(self.title)}</title>"
                f"<style>\n{_css('body')}\nbody{{margin:2rem auto;padding:0 1rem}}\n</style>"
                f"</head><body>\n{self.body}\n</body></html>\n")

    def _repr_html_(self) -> str:
        return f'<div class="archkit-ref"><style>{_css(".archkit-ref")}</style>{self.body}</div>'

    def __str__(self) -> str:
        return self.html


def _security(spec: Spec, op: Any) -> str:
    reqs = op.node.get("security", spec.data.get("security"))
    if not reqs:
        return "none"
    return " or ".join(" + ".join(r) or "none" for r in reqs if isinstance(r, dict))


def rules_table(family: str | None = None) -> Table:
    """The rules (code, severity, title, why, fix, Spectral's name); ``family``: a code prefix."""
    from archkit.api.rules import RULES

    return Table(["code", "severity", "title", "why", "fix", "spectral"], [
        [r.code, str(r.severity), r.title, r.why, r.fix, r.spectral or ""]
        for r in RULES.values() if family is None or r.code.startswith(family)])


def operations_table(spec: Spec) -> Table:
    """One row per operation, in document order."""
    rows = []
    for op in operations(spec):
        node = op.node
        rows.append([op.method.upper(), op.path, str(node.get("operationId", "")),
                     str(node.get("summary", "")), str(node.get("x-archkit-table", "")),
                     str(node.get("x-archkit-container", spec.data.get(
                         "x-archkit-container", ""))),
                     _security(spec, op), " ".join(str(c) for c in node.get("responses", {}))])
    return Table(["method", "path", "operationId", "summary", "table", "container",
                            "security", "responses"], rows)


def _schema_rows(spec: Spec, schema: Any) -> list[list[str]]:
    schema = spec.deref(schema)
    if not isinstance(schema, dict):
        return []
    required = set(schema.get("required") or [])
    rows = []
    for name, sub in (schema.get("properties") or {}).items():
        raw = sub
        sub = spec.deref(sub)
        if not isinstance(sub, dict):
            continue
        kind = sub.get("type", "")
        kind = " | ".join(kind) if isinstance(kind, list) else str(kind)
        if isinstance(raw, dict) and "$ref" in raw:
            kind = raw["$ref"].rsplit("/", 1)[-1]
        limits = ", ".join(f"{k} {sub[k]}" for k in ("format", "maxLength", "minimum", "maximum",
                                                      "maxItems", "enum") if k in sub)
        rows.append([name, kind, "yes" if name in required else "", limits,
                     str(sub.get("description", ""))])
    return rows


def _schema_block(spec: Spec, schema: Any) -> str:
    if isinstance(schema, dict) and "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f'<p>Schema: <a href="#schema-{escape_html(name)}">{escape_html(name)}</a></p>'
    rows = _schema_rows(spec, schema)
    if not rows:
        return f"<pre>{escape_html(json.dumps(spec.deref(schema), indent=2))}</pre>"
    return html_table(["property", "type", "required", "limits", "description"], rows)


def _operation_html(spec: Spec, op: Any) -> str:
    node = op.node
    anchor = escape_html(node.get("operationId") or f"{op.method}-{op.path}")
    out = [f'<div class="op {escape_html(op.method)}" id="{anchor}">',
           f'<h3><span class="m">{escape_html(op.method)}</span> <code>{escape_html(op.path)}'
           f"</code></h3>"]
    if node.get("summary"):
        out.append(f"<p>{escape_html(node['summary'])}</p>")
    if node.get("description"):
        out.append(f'<p class="muted">{escape_html(node["description"])}</p>')
    out.append(f'<p class="muted">operationId <code>{escape_html(node.get("operationId", ""))}'
               f"</code> · security: {escape_html(_security(spec, op))}</p>")
    params = [spec.deref(p) for p in (op.path_item.get("parameters") or []) +
              (node.get("parameters") or [])]
    if params:
        out.append(html_table(["parameter", "in", "required", "schema", "description"], [
            [p.get("name", ""), p.get("in", ""), "yes" if p.get("required") else "",
             json.dumps(p.get("schema", {})), p.get("description", "")]
            for p in params if isinstance(p, dict)]))
    body = spec.deref(node.get("requestBody"))
    if isinstance(body, dict):
        for media, content in (body.get("content") or {}).items():
            out.append(f"<h4>Request body <code>{escape_html(media)}</code></h4>")
            out.append(_schema_block(spec, (content or {}).get("schema")))
    for status, response in (node.get("responses") or {}).items():
        response = spec.deref(response)
        text = response.get("description", "") if isinstance(response, dict) else ""
        out.append(f"<h4>{escape_html(status)} <span class=\"muted\">{escape_html(text)}</span>"
                   "</h4>")
        for media, content in ((response or {}).get("content") or {}).items():
            if isinstance(content, dict) and "schema" in content:
                out.append(f"<p><code>{escape_html(media)}</code></p>")
                out.append(_schema_block(spec, content["schema"]))
            if isinstance(content, dict) and "example" in content:
                out.append(f"<pre>{escape_html(json.dumps(content['example'], indent=2))}</pre>")
    out.append("</div>")
    return "\n".join(out)


def reference_html(spec: Spec) -> HtmlPage:
    """A static reference page of an OpenAPI document (operations, then schemas)."""
    info = spec.data.get("info") or {}
    title = f"{info.get('title', 'API')} {info.get('version', '')}".strip()
    parts = [f"<h1>{escape_html(title)}</h1>",
             f'<p class="muted">{escape_html(spec.kind)} {escape_html(spec.version)} · status '
             f"{escape_html(info.get('x-archkit-status', 'unknown'))}</p>"]
    if info.get("description"):
        parts.append(f"<p>{escape_html(info['description'])}</p>")
    servers = spec.data.get("servers")
    if isinstance(servers, list) and servers:
        parts.append("<h2>Servers</h2>" + html_table(["url", "description"], [
            [s.get("url", ""), s.get("description", "")] for s in servers
            if isinstance(s, dict)]))
    if spec.kind == "openapi":
        table = operations_table(spec)
        parts.append("<h2>Operations</h2>" + table._repr_html_())
        parts.extend(_operation_html(spec, op) for op in operations(spec))
    else:
        parts.append(_asyncapi_html(spec))
    schemas = (spec.data.get("components") or {}).get("schemas") or {}
    if schemas:
        parts.append("<h2>Schemas</h2>")
        for name, schema in schemas.items():
            parts.append(f'<h3 id="schema-{escape_html(name)}">{escape_html(name)}</h3>')
            if isinstance(schema, dict) and schema.get("description"):
                parts.append(f"<p>{escape_html(schema['description'])}</p>")
            parts.append(_schema_block(spec, schema))
    return HtmlPage(title, "\n".join(parts))


def _asyncapi_html(spec: Spec) -> str:
    rows = []
    for op_id, op in (spec.data.get("operations") or {}).items():
        if not isinstance(op, dict):
            continue
        channel = spec.deref(op.get("channel") or {})
        messages = [spec.deref(m).get("name", "") for m in op.get("messages") or []
                    if isinstance(spec.deref(m), dict)]
        rows.append([op_id, op.get("action", ""), channel.get("address", ""),
                     ", ".join(messages), op.get("x-archkit-container", "")])
    return "<h2>Operations</h2>" + html_table(
        ["operation", "action", "channel", "messages", "container"], rows)
