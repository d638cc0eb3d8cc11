"""``archkit api ...``: draft, check (validate + lint) and diff API contracts.

Usage::

    archkit api check examples/order_platform/api/openapi.yaml --json
    archkit api check openapi.yaml --disable API142,API150
    archkit api diff v1/openapi.yaml v2/openapi.yaml --json
    archkit api draft examples/order_platform --out /tmp/drafts

Exit codes: 0 clean, 1 error findings (check) or breaking changes (diff), 2 bad input.
"""

from __future__ import annotations

import argparse

from archkit.cli import EXIT_FINDINGS, EXIT_OK, add_json_flag, emit, exit_code_for

__all__ = ["register"]


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=type(parser))
    check = sub.add_parser("check", help="validate and lint an OpenAPI or AsyncAPI document",
                           description="Validate SPEC (OpenAPI 3.0/3.1/3.2, AsyncAPI 3.0) "
                           "against its specification and lint it (API1xx rules).")
    check.add_argument("spec", metavar="SPEC")
    check.add_argument("--disable", default="", metavar="CODES",
                       help="comma-separated rule codes to switch off, e.g. API142,API150")
    check.add_argument("--no-lint", action="store_true", help="validate only")
    add_json_flag(check)
    check.set_defaults(func=_check)

    diff = sub.add_parser("diff", help="breaking changes between two versions of a contract",
                          description="Compare OLD and NEW; exit 1 when a change breaks "
                          "existing clients.")
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW")
    add_json_flag(diff)
    diff.set_defaults(func=_diff)

    draft = sub.add_parser("draft", help="draft OpenAPI 3.1 and AsyncAPI 3 from a design folder",
                           description="Draft api/openapi.yaml and api/asyncapi.yaml from the "
                           "folder's requirements, latest schema, decisions and C4 model.")
    draft.add_argument("folder", metavar="DIR")
    draft.add_argument("--out", metavar="OUT", help="folder for the drafts (default: DIR/api)")
    draft.add_argument("--force", action="store_true",
                       help="overwrite existing contracts (they may hold your edits)")
    add_json_flag(draft)
    draft.set_defaults(func=_draft)


def _check(args: argparse.Namespace) -> int:
    from archkit.api.check import check_spec
    from archkit.api.lint import LintConfig

    disable = {c.strip().upper() for c in args.disable.split(",") if c.strip()}
    report = check_spec(args.spec, LintConfig(disable=disable), lint=not args.no_lint)

    def text() -> str:
        head = (f"{args.spec}: {report.spec.kind} {report.spec.version}, "
                f"{'valid' if report.valid else 'NOT valid'}, "
                f"{len(report.findings)} finding(s)")
        return "\n".join([head, *(str(f) for f in report.findings)])

    emit(args, report.to_dict(), text)
    return exit_code_for(f.severity for f in report.findings)


def _diff(args: argparse.Namespace) -> int:
    from archkit.api.diff import diff_specs
    from archkit.api.source import load_spec

    changes = diff_specs(load_spec(args.old), load_spec(args.new))

    def text() -> str:
        if not changes:
            return "no changes"
        lines = [f"{c.level:7} {c.id:40} {c.operation}: {c.message}" for c in changes]
        lines.append(f"{len(changes.errors)} breaking change(s), {len(changes)} in all")
        return "\n".join(lines)

    emit(args, changes.to_dict(), text)
    return EXIT_FINDINGS if changes.errors else EXIT_OK


def _draft(args: argparse.Namespace) -> int:
    from pathlib import Path

    from archkit.api.draft import write_drafts

    out = Path(args.out) if args.out else Path(args.folder) / "api"
    written = write_drafts(args.folder, out, force=args.force)
    data = {"out": str(out), "files": [str(p) for p in written.files],
            "findings": written.findings.to_list()}

    def text() -> str:
        lines = [f"wrote {p}" for p in written.files]
        lines += [str(f) for f in written.findings]
        return "\n".join(lines)

    emit(args, data, text)
    return exit_code_for(f.severity for f in written.findings)
