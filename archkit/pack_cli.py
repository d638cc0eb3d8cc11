"""``archkit pack``: the design pack from the command line.

Usage::

    archkit pack order-platform --out out
"""

from __future__ import annotations

import argparse

from archkit.cli import add_json_flag, emit

__all__ = ["register"]


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="EXAMPLE_OR_DIR", help="an example name or a folder")
    parser.add_argument("--out", required=True, help="folder to write the pack into")
    add_json_flag(parser)
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from archkit.pack import build_pack

    result = build_pack(args.source, args.out)
    data = {"out": str(result.out), "files": result.files, "changed": result.changed}
    emit(args, data, f"wrote {len(result.files)} files to {result.out} "
                     f"({len(result.changed)} changed)")
    return 0
