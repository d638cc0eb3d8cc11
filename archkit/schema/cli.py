"""``archkit schema ...``: schema design (check, transpile) and migrations (diff, lint-migration).

Usage::

    archkit schema check schema.sql --dialect postgres --json
"""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(parser: argparse.ArgumentParser) -> None:
    from archkit.migrations import cli as cli_migrations
    from archkit.schema import cli_design

    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=type(parser))
    cli_design.register(sub)
    cli_migrations.register(sub)
