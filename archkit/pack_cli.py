"""``archkit pack``: the design pack from the command line.

Usage::

    archkit pack order-platform --out out/pack
    archkit pack my-design/ --out my-design-pack --adrs adr-tools --json

Exit codes: 0 written, 1 written but a design check (``archkit check`` included) found an
error (listed), 2 bad usage or unreadable input (nothing written).
"""

from __future__ import annotations

import argparse

from archkit.cli import add_json_flag, emit, exit_code_for

__all__ = ["register"]


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="EXAMPLE_OR_DIR", help="an example name or a folder")
    parser.add_argument("--out", required=True, help="folder to write the pack into")
    parser.add_argument("--adrs", choices=("madr", "adr-tools"), default="madr",
                        help="ADR layout: MADR in docs/decisions (default) or adr-tools "
                             "(Nygard) in doc/adr with .adr-dir")
    parser.add_argument("--force", action="store_true",
                        help="regenerate files a person changed since the last run")
    add_json_flag(parser)
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from archkit.pack import build_pack

    result = build_pack(args.source, args.out, adr_layout=args.adrs, force=args.force)
    data = {
        "out": str(result.out),
        "files": result.files,
        "changed": result.changed,
        "kept": result.kept,
        "removed": result.removed,
        "left_out": result.left_out,
        "pages": result.pages,
        "findings": result.findings.to_list(),
    }

    def text() -> str:
        lines = [f"wrote {len(result.files)} files to {result.out} "
                 f"({len(result.changed)} changed); open {result.out / 'index.html'}"]
        lines += [f"  left out: {x}" for x in result.left_out]
        lines += [f"  removed (no longer produced): {x}" for x in result.removed]
        lines += [f"  {f}" for f in result.findings  # file:line:col when the check knows it
                  if str(f.severity) != "info"]
        return "\n".join(lines)

    emit(args, data, text)
    return exit_code_for(f.severity for f in result.findings)
