"""``archkit adr ...``: import, lint, convert, index and create decision records.

Usage::

    archkit adr import doc/adr --json
    archkit adr lint doc/adr                      # exit 1 on error findings
    archkit adr convert doc/adr --to madr --out docs/decisions
    archkit adr index doc/adr                     # index.md + decisions.dot/.svg
    archkit adr new "Use Kafka for the order pipeline" --dir . --supersedes 3

A DIR may be the ADR folder itself or a project root (``.adr-dir`` and
``docs/decisions`` are honoured). Heavy work is imported inside the handlers.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from archkit.cli import add_json_flag, emit, exit_code_for

__all__ = ["register"]


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=type(parser))

    p = sub.add_parser("import", help="read a folder of ADRs and list them")
    p.add_argument("dir", type=Path, help="the ADR folder (or a project with .adr-dir)")
    add_json_flag(p)
    p.set_defaults(func=_import)

    p = sub.add_parser("lint", help="check records against their template and each other")
    p.add_argument("dir", type=Path)
    p.add_argument("--max-open-days", type=int, default=30,
                   help="warn about proposals older than this (default 30)")
    p.add_argument("--today", help="the date to measure open proposals against (YYYY-MM-DD)")
    add_json_flag(p)
    p.set_defaults(func=_lint)

    p = sub.add_parser("convert", help="write a folder's records in another dialect")
    p.add_argument("dir", type=Path)
    p.add_argument("--to", required=True, choices=["madr", "nygard"])
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--force", action="store_true", help="replace differing files in --out")
    add_json_flag(p)
    p.set_defaults(func=_convert)

    p = sub.add_parser("index", help="write DIR/index.md and the supersede/link graph")
    p.add_argument("dir", type=Path)
    p.add_argument("--no-svg", action="store_true", help="skip decisions.svg (no Graphviz)")
    p.add_argument("--force", action="store_true", help="replace an index.md a person wrote")
    add_json_flag(p)
    p.set_defaults(func=_index)

    p = sub.add_parser("new", help="create the next numbered record")
    p.add_argument("title")
    p.add_argument("--dir", type=Path, default=Path("."),
                   help="the ADR folder or project root (default: .)")
    p.add_argument("--dialect", choices=["madr", "nygard"],
                   help="default: the folder's dialect, else madr")
    p.add_argument("--supersedes", type=int, action="append", metavar="N")
    p.add_argument("--status", default="proposed")
    p.add_argument("--date", help="YYYY-MM-DD (default: today)")
    add_json_flag(p)
    p.set_defaults(func=_new)


def _store(path: Path):
    from archkit.adr.store import AdrStore
    from archkit.errors import ArchkitError, Where

    store = AdrStore.open(path)
    if not store.folder.is_dir():
        raise ArchkitError(f"no ADR folder at {store.folder}", where=Where(str(path)),
                           hint="pass the folder holding NNNN-title.md files")
    return store


def _import(args: argparse.Namespace) -> int:
    store = _store(args.dir)
    records = store.all()
    data = [r.summary() for r in records]

    def text() -> str:
        lines = [f"{len(records)} records in {store.folder}"]
        for r in records:
            links = ", ".join(f"{lk.kind} {lk.target}" for lk in r.links)
            lines.append(f"  {r.number if r.number is not None else '?':>4}  {r.status or '-':<12}"
                         f" {r.date or '-':<10}  {r.title}" + (f"  [{links}]" if links else ""))
        lines += [f"  {f}" for f in store.findings]
        return "\n".join(lines)

    emit(args, data, text)
    return exit_code_for(f.severity for f in store.findings)


def _lint(args: argparse.Namespace) -> int:
    from archkit.adr.lint import lint

    store = _store(args.dir)
    findings = lint(store.all(), today=args.today, max_open_days=args.max_open_days,
                    findings=store.findings)
    data = {"records": len(store), "findings": findings.to_list()}

    def text() -> str:
        head = f"{len(store)} records, {len(findings)} findings ({len(findings.errors)} errors)"
        return "\n".join([head, *(str(f) for f in findings)])

    emit(args, data, text)
    return exit_code_for(f.severity for f in findings)


def _convert(args: argparse.Namespace) -> int:
    from archkit.adr.convert import convert

    written = convert(args.dir, args.to, args.out, force=args.force)
    data = {"dialect": args.to, "out": str(args.out), "written": [str(p) for p in written]}
    emit(args, data, f"{len(written)} files written to {args.out} ({args.to})")
    return 0


def _index(args: argparse.Namespace) -> int:
    from archkit.adr.index import write_index

    store = _store(args.dir)
    files = write_index(store.folder, store.all(), svg=not args.no_svg, force=args.force)
    unread = [f for f in store.findings if f.code in ("ADR001", "ADR014")]  # not in the index
    emit(args, {"files": [str(p) for p in files], "records": len(store),
                "findings": [f.to_dict() for f in unread]},
         "\n".join([*(f"wrote {p}" for p in files), *(str(f) for f in unread)]))
    return exit_code_for(f.severity for f in unread)


def _new(args: argparse.Namespace) -> int:
    from archkit.adr.store import AdrStore

    store = AdrStore.open(args.dir)
    rec = store.new(args.title, status=args.status, dialect=args.dialect,
                    supersedes=args.supersedes, date=args.date)
    path = store.path_of(rec)
    emit(args, {**rec.summary(), "path": str(path)}, str(path))
    return 0
