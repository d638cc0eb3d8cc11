"""``archkit schema diff`` and ``archkit schema lint-migration``: migrations from a shell.

Usage::

    archkit schema diff v1.sql v2.sql --dialect postgres --out migrations/ --json
    archkit schema lint-migration migrations/0002_tenants.up.sql --dialect postgres

Heavy libraries (sqlglot) are imported inside the handlers so ``archkit --help`` stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from archkit.cli import add_json_flag, emit, exit_code_for
from archkit.schema.dialects import names as dialect_names

__all__ = ["register"]

DIALECTS = dialect_names()


def register(sub) -> None:
    """Add ``diff`` and ``lint-migration`` to the ``archkit schema`` subparsers."""
    diff = sub.add_parser(
        "diff",
        help="diff two schemas into up/down migration statements",
        description="Diff FROM.sql into TO.sql: ordered up and down statements plus findings.",
    )
    diff.add_argument("from_file", metavar="FROM.sql", type=Path)
    diff.add_argument("to_file", metavar="TO.sql", type=Path)
    diff.add_argument("--dialect", required=True, choices=DIALECTS)
    diff.add_argument("--out", type=Path, help="write NNNN_name.up.sql/.down.sql into DIR")
    diff.add_argument("--name", default=None, help="migration name for --out (default: TO's stem)")
    diff.add_argument(
        "--format", choices=("golang-migrate", "flyway"), default="golang-migrate",
        help="file layout for --out",
    )
    diff.add_argument(
        "--rename", action="append", default=[], metavar="TABLE.OLD=NEW",
        help="declare a rename (table OLD=NEW or column TABLE.OLD=NEW); repeatable",
    )
    diff.add_argument(
        "--allow-destructive", action="store_true",
        help="allow up steps that drop data (otherwise they are error findings)",
    )
    diff.add_argument(
        "--plan", action="store_true",
        help="also plan a zero-downtime rollout (expand/contract phases); with --out, "
             "write one migration per phase",
    )
    diff.add_argument(
        "--backfill", action="append", default=[], metavar="TABLE.COLUMN=SQL",
        help="value existing rows get for a new NOT NULL column (wildcards: *.tenant_id=1)",
    )
    add_json_flag(diff)
    diff.set_defaults(func=_run_diff)

    lint = sub.add_parser(
        "lint-migration",
        help="zero-downtime safety findings for migration SQL",
        description="Lint a migration file for locks, rewrites and breaking changes.",
    )
    lint.add_argument("file", metavar="FILE", type=Path)
    lint.add_argument("--dialect", required=True, choices=DIALECTS)
    add_json_flag(lint)
    lint.set_defaults(func=_run_lint)


def _run_diff(args: argparse.Namespace) -> int:
    from archkit.migrations.diff import diff_files

    result = diff_files(
        args.from_file, args.to_file, args.dialect,
        renames=args.rename, allow_destructive=args.allow_destructive,
    )
    data = result.to_json()
    text = [result.to_text()]
    plan = None
    if args.plan:
        from archkit.migrations.plan import plan_rollout

        plan = plan_rollout(result, backfill=_backfill(args.backfill))
        data["plan"] = plan.to_json()
        data["findings"] += [f for f in data["plan"]["findings"] if f["code"].startswith("PL")]
        text += ["", "-- zero-downtime plan", plan.to_text()]
    written: list[str] = []
    if plan is not None and plan.blocking and args.out is not None:
        # a blocked plan is reported with its fix (exit 1), never written
        text.append(f"-- nothing written to {args.out}: the plan is blocked ("
                    + ", ".join(f"{f.code} {f.object}" for f in plan.blocking) + ")")
        data["files"] = []
    elif args.out is not None:
        from archkit.migrations.files import write_migration

        name = args.name or args.to_file.stem
        paths = plan.write(args.out, layout=args.format, prefix=name) if plan is not None \
            else write_migration(result, args.out, name, layout=args.format)
        written = [str(p) for p in paths]
        data["files"] = written
    emit(args, data, lambda: "\n".join(text) + "".join(f"\nwrote {p}" for p in written))
    return exit_code_for(f["severity"] for f in data["findings"])


def _backfill(items: list[str]) -> dict[str, str]:
    from archkit.errors import ArchkitError

    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or "." not in key:
            raise ArchkitError(f"cannot read --backfill {item!r}",
                               hint="write TABLE.COLUMN=SQL, e.g. *.tenant_id=1")
        out[key.strip().lower()] = value.strip()
    return out


def _run_lint(args: argparse.Namespace) -> int:
    from archkit.migrations.safety import lint_migration

    text = args.file.read_text(encoding="utf-8")
    findings = lint_migration(text, args.dialect, file=str(args.file))
    data = {"findings": findings.to_list()}
    emit(args, data, lambda: "\n".join(map(str, findings)) or "no findings")
    return exit_code_for(f.severity for f in findings)
