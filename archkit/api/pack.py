"""The api section of the design pack: contracts, static references, lint and diff results.

Usage::

    section = write_pack_section(Path("examples/order_platform"), Path("out"))
    section.files     # ["api/openapi.yaml", "api/reference.html", ...] (relative to out)
    section.summary   # lines for the pack's summary page: contract version and status

Writes ``out/api/``: the contracts as they are, ``reference.html`` (OpenAPI) and
``events.html`` (AsyncAPI) — static pages with no script — ``checks.md``/``checks.json``
(validity and lint findings of both documents) and ``diff.md``/``diff.json`` (changes
since the latest earlier release in ``api/releases/openapi-<version>.yaml`` and
``asyncapi-<version>.yaml``, where there is one).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from archkit.api.check import check_spec, finding_dict
from archkit.api.diff import diff_specs
from archkit.api.render import operations_table, reference_html
from archkit.api.source import load_spec
from archkit.api.walk import operations
from archkit.fsio import atomic_write
from archkit.pack_section import PackSection

__all__ = ["PackSection", "latest_release", "write_pack_section"]

_RELEASE = re.compile(r"^(openapi|asyncapi)-(\d+(?:\.\d+)*)\.ya?ml$")


def latest_release(api_dir: Path, kind: str = "openapi") -> Path | None:
    """The release to diff against: ``releases/<kind>-X.Y.Z.yaml`` with the highest X.Y.Z."""
    found = [(tuple(int(n) for n in m.group(2).split(".")), p)
             for p in (api_dir / "releases").glob(f"{kind}-*.y*ml")
             if (m := _RELEASE.match(p.name)) and m.group(1) == kind]
    return max(found)[1] if found else None


def write_pack_section(folder: Path, out: Path) -> PackSection:
    """Write ``out/api/`` for the design in ``folder``; return its files and summary."""
    section = PackSection("api", heading="API contracts")
    api_dir, base = Path(folder) / "api", Path(out) / "api"

    def write(name: str, text: str) -> None:
        atomic_write(base / name, text)
        section.files.append(f"api/{name}")

    checks: dict[str, list] = {}
    md = ["# API contract checks", ""]
    for name, page in (("openapi.yaml", "reference.html"), ("asyncapi.yaml", "events.html")):
        source = api_dir / name
        if not source.is_file():
            section.summary.append(f"{name}: none in the design folder")
            continue
        spec = load_spec(source)
        report = check_spec(spec)
        write(name, source.read_text(encoding="utf-8"))
        write(page, reference_html(spec).html)
        info = spec.data.get("info") or {}
        key = spec.kind
        count = (sum(1 for _ in operations(spec)) if key == "openapi"
                 else len((spec.data.get("components") or {}).get("messages") or {}))
        unit = "operations" if key == "openapi" else "events"
        errors = sum(1 for f in report.findings if f.severity == "error")
        section.data[key] = {"title": info.get("title"), "version": str(info.get("version")),
                             "status": info.get("x-archkit-status", "unknown"),
                             unit: count, "valid": report.valid,
                             "errors": errors, "findings": len(report.findings)}
        section.summary.append(
            f"{info.get('title', name)} {info.get('version', '?')} "
            f"({info.get('x-archkit-status', 'status unknown')}): {key} {spec.version}, "
            f"{count} {unit}, {'valid' if report.valid else 'NOT valid'}, "
            f"{errors} error(s) and {len(report.findings) - errors} other finding(s)")
        checks[name] = [{k: v for k, v in finding_dict(f).items() if k != "file"}
                        for f in report.findings]
        md += [f"## {name}", "", report.findings.to_markdown(), ""]
        if key == "openapi":
            md += ["### Operations", "", operations_table(spec).to_markdown(), ""]
    if checks:
        write("checks.md", "\n".join(md))
        write("checks.json", json.dumps(checks, indent=2, ensure_ascii=False) + "\n")
    diffs: dict[str, dict] = {}
    md_diff = []
    for kind in ("openapi", "asyncapi"):
        release, current = latest_release(api_dir, kind), api_dir / f"{kind}.yaml"
        if release is None or not current.is_file():
            continue
        changes = diff_specs(load_spec(release), load_spec(current))
        title = f"{kind}: changes since {release.stem.removeprefix(kind + '-')}"
        md_diff += [f"## {title}", "", changes.to_markdown(), ""]
        diffs[kind] = {"from": release.name, **changes.to_dict()}
        section.data.setdefault("diff", {})[kind] = {"from": release.name,
                                                     "changes": len(changes),
                                                     "breaking": len(changes.errors)}
        section.summary.append(f"{title}: {len(changes)} change(s), "
                               f"{len(changes.errors)} breaking")
    if diffs:
        write("diff.md", "\n".join(["# Contract changes since the last release", "", *md_diff]))
        write("diff.json", json.dumps(diffs, indent=2, ensure_ascii=False) + "\n")
    return section
