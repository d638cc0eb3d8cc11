"""Migrations: diff two schemas, plan an expand/contract rollout, check it is safe, write it.

Usage::

    from archkit.migrations import diff_sql, plan_rollout, lint_migration
    migration = diff_sql(v1_sql, v2_sql, "postgres")   # ordered up/down, exact/lossy downs
    migration.up, migration.down, migration.findings
    plan_rollout(migration)                            # expand/contract phases, one file each
    lint_migration(script, "postgres")                 # zero-downtime findings (ZDxxx)

Built on :mod:`archkit.schema` (parser, catalog, dialects, sandboxes). Modules: ``source``
(schema text for a diff), ``renames``, ``diff``, ``plan``, ``safety``, ``files`` (numbered
migration files), ``verify`` (apply up and down on an engine and compare), ``cli``.
The names below are loaded on first use, so ``import archkit.migrations`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.lazy import lazy_exports

if TYPE_CHECKING:  # pragma: no cover
    from archkit.migrations.diff import Migration, diff_files, diff_sql
    from archkit.migrations.files import write_migration
    from archkit.migrations.plan import Plan, plan_rollout
    from archkit.migrations.safety import lint_migration
    from archkit.migrations.verify import Verification, verify

__all__ = [
    "Migration",
    "Plan",
    "Verification",
    "diff_files",
    "diff_sql",
    "lint_migration",
    "plan_rollout",
    "verify",
    "write_migration",
]

_LAZY = {
    "Migration": "archkit.migrations.diff",
    "diff_files": "archkit.migrations.diff",
    "diff_sql": "archkit.migrations.diff",
    "write_migration": "archkit.migrations.files",
    "Plan": "archkit.migrations.plan",
    "plan_rollout": "archkit.migrations.plan",
    "lint_migration": "archkit.migrations.safety",
    "Verification": "archkit.migrations.verify",
    "verify": "archkit.migrations.verify",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY, __all__)
