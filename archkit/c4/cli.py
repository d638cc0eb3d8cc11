"""``archkit c4 ...``: render and export C4 workspaces (Structurizr DSL or Python).

Usage::

    archkit c4 render workspace.dsl --out out/c4 --format svg,png --json
    archkit c4 export examples/order_platform/workspace.py --to mermaid --out out/c4

WORKSPACE is a ``.dsl`` file or a ``.py`` module exposing ``build_workspace()``.
Exit codes: 0 clean, 1 findings of error severity, 2 bad usage or unreadable input.
"""

from __future__ import annotations

import argparse

from archkit.cli import add_json_flag, emit, exit_code_for

__all__ = ["register"]

EXPORT_TARGETS = ("structurizr", "plantuml", "mermaid")


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=type(parser))
    render = sub.add_parser("render", help="render every view to SVG/PNG, one file per view",
                            description="Render every view of WORKSPACE (.dsl or .py) to "
                            "files named by view key.")
    render.add_argument("workspace", metavar="WORKSPACE")
    render.add_argument("--out", required=True, metavar="DIR", help="folder for the files")
    render.add_argument("--format", default="svg", metavar="svg,png",
                        help="comma-separated formats (default: svg)")
    render.add_argument("--force", action="store_true",
                        help="overwrite files that were changed since archkit wrote them")
    add_json_flag(render)
    render.set_defaults(func=_render)

    export = sub.add_parser("export", help="export to Structurizr DSL, C4-PlantUML or Mermaid",
                            description="Export WORKSPACE (.dsl or .py) to another notation.")
    export.add_argument("workspace", metavar="WORKSPACE")
    export.add_argument("--to", required=True, choices=EXPORT_TARGETS)
    export.add_argument("--out", metavar="DIR", help="folder for the files (default: stdout)")
    export.add_argument("--force", action="store_true",
                        help="overwrite files that were changed since archkit wrote them")
    add_json_flag(export)
    export.set_defaults(func=_export)


def _formats(text: str) -> list[str]:
    from archkit.c4.render import FORMATS
    from archkit.errors import ArchkitError

    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ArchkitError(f"unknown format {', '.join(bad) or text!r}",
                           hint=f"use a comma-separated list of: {', '.join(FORMATS)}")
    return formats


def _render(args: argparse.Namespace) -> int:
    from archkit.c4.files import OutputDir, safe_name
    from archkit.c4.load import load_workspace
    from archkit.c4.render import render_view
    from archkit.c4.views import resolve
    from archkit.findings import Findings

    formats = _formats(args.format)
    ws, findings = load_workspace(args.workspace)
    findings = Findings(findings)
    view_findings = ws.validate()
    findings.extend(view_findings)
    out = OutputDir(args.out, force=args.force)
    views = []
    for view in ws.views:
        diagram = render_view(ws, view, resolve(ws, view))
        files = [str(out.write(f"{safe_name(view.key)}.{fmt}", diagram.pipe(fmt)))
                 for fmt in formats]
        findings.extend(f for f in diagram.findings if f not in view_findings)
        views.append({"key": view.key, "kind": view.kind, "files": files})
    out.finish()
    findings = _unique(findings)
    counts = ws.counts()
    data = {
        "elements": sum(counts[k] for k in ("person", "softwareSystem", "container",
                                            "component")),
        "relationships": counts["relationships"],
        "views": views,
        "findings": [f.to_dict() for f in findings],
    }

    def text() -> str:
        lines = [f"{ws.name}: {data['elements']} elements, {data['relationships']} "
                 f"relationships, {len(views)} views"]
        lines += [f"  {v['key']} ({v['kind']}): {', '.join(v['files'])}" for v in views]
        lines += [f"  {f}" for f in findings]
        return "\n".join(lines)

    emit(args, data, text)
    return exit_code_for(f.severity for f in findings)


def _export(args: argparse.Namespace) -> int:
    from archkit.c4.files import OutputDir
    from archkit.c4.load import load_workspace
    from archkit.findings import Findings

    ws, findings = load_workspace(args.workspace)
    findings = Findings(findings)
    if args.to == "structurizr":
        from archkit.c4.dsl_writer import write_dsl

        files = {"workspace.dsl": write_dsl(ws)}  # the name Structurizr tools expect
    else:
        from archkit.c4.mermaid import to_mermaid
        from archkit.c4.plantuml import to_plantuml

        result = (to_plantuml if args.to == "plantuml" else to_mermaid)(ws)
        files = result.files
        findings.extend(result.findings)
    findings = _unique(findings)
    listed = []
    if args.out:
        out = OutputDir(args.out, force=args.force)
        listed = [{"name": name, "path": str(out.write(name, body))}
                  for name, body in sorted(files.items())]
        out.finish()
    else:
        listed = [{"name": name, "path": None, "text": body} for name, body in
                  sorted(files.items())]
    data = {"to": args.to, "files": listed, "findings": [f.to_dict() for f in findings]}

    def text() -> str:
        if not args.out:
            return "\n".join(files[name] for name in sorted(files)).rstrip("\n")
        lines = [f"wrote {item['path']}" for item in listed]
        lines += [f"  {f}" for f in findings]
        return "\n".join(lines)

    emit(args, data, text)
    return exit_code_for(f.severity for f in findings)


def _unique(findings):
    from archkit.findings import Findings

    seen, out = set(), Findings()
    for f in findings:
        key = (f.code, f.object, f.line, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
