"""``archkit threats``: the threat model of a design folder or a Structurizr .dsl file.

Usage::

    archkit threats examples/order_platform
    archkit threats big-bank-plc.dsl --json
    archkit threats examples/order_platform --export pytm --out tm.py
    archkit threats examples/order_platform --adr-drafts     # accepted risks → MADR drafts

Exit codes: 0 no open high-severity threat, 1 at least one, 2 bad usage or unreadable input.
JSON: ``{"threats": [{"id", "rule", "stride", "severity", "element", "status", "message",
...}], "summary": {...}, "notes": [...]}``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from archkit.cli import EXIT_FINDINGS, EXIT_OK, add_json_flag, emit

__all__ = ["register"]


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="DIR", help="a design folder or a .dsl / .py workspace")
    parser.add_argument("--export", choices=("pytm", "threagile"),
                        help="print (or write with --out) a pytm model or a Threagile YAML")
    parser.add_argument("--out", help="file to write the export to (default: stdout)")
    parser.add_argument("--adr-drafts", action="store_true",
                        help="write a MADR draft for each accepted risk into the folder's ADRs "
                             "(a rerun changes nothing)")
    add_json_flag(parser)
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from archkit.security.report import analyse

    report = analyse(args.source)
    code = EXIT_FINDINGS if report.open_high else EXIT_OK
    if args.export:
        from archkit.fsio import atomic_write
        from archkit.security.export import to_pytm, to_threagile

        text = to_pytm(report) if args.export == "pytm" else to_threagile(report)
        if args.out:
            atomic_write(Path(args.out), text)
            emit(args, {"out": args.out, "format": args.export, **report.to_dict()},
                 f"wrote {args.export} model to {args.out}")
        else:
            print(text, end="")
        return code
    data, text = report.to_dict(), report.to_text()
    if args.adr_drafts:
        data["adr_drafts"] = _adr_drafts(report)
        text += "".join(f"\nADR draft: {p}" for p in data["adr_drafts"])
    emit(args, data, text)
    return code


def _adr_drafts(report) -> list[str]:
    from archkit.errors import ArchkitError
    from archkit.security.triage import accepted_to_adr

    folder = report.design.folder
    if folder is None:
        raise ArchkitError("ADR drafts need a design folder, not a lone workspace file",
                           hint="give the design folder that holds security/threats.yaml")
    return [str(accepted_to_adr(folder, t)) for t in report.threats if t.status == "accepted"]
