"""The ``archkit`` command: the library's operations from a shell, for CI and scripts.

Usage::

    archkit --version
    archkit schema check schema.sql --dialect postgres --json

Each command group lives in its stage package (``archkit/<stage>/cli.py``) and
is imported only when that group runs, so ``archkit --help`` stays instant.
Exit codes: 0 clean, 1 findings of error severity, 2 bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from archkit import __version__
from archkit.errors import ArchkitError

__all__ = ["main", "GROUPS", "emit", "add_json_flag", "exit_code_for", "register_group"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

# group name -> (module with ``register(parser)`` — or ``module:function`` — , one-line help)
GROUPS: dict[str, tuple[str, str]] = {
    "brainstorm": (
        "archkit.brainstorm.cli",
        "requirements checks, capacity, decision matrices, catalogue, ADR drafts, Claude assist",
    ),
    "schema": ("archkit.schema.cli", "check, diff, lint-migration and transpile SQL schemas"),
    "c4": ("archkit.c4.cli", "render and export C4 workspaces (Structurizr DSL or Python)"),
    "api": ("archkit.api.cli", "draft, check (validate + lint) and diff OpenAPI/AsyncAPI"),
    "adr": ("archkit.adr.cli", "import, lint, convert, index and create decision records"),
    "pack": ("archkit.pack_cli", "write the design pack of an example or a design folder"),
    "new": ("archkit.design_cli:register_new", "start a design folder (example copy or blank)"),
    "check": ("archkit.design_cli:register_check",
              "cross-artefact consistency: decisions, C4 model, schema, requirements"),
    "lab": ("archkit.design_cli:register_lab", "open the notebooks on a design folder"),
    "threats": ("archkit.security.cli", "threat model of a design (STRIDE rules, triage, export)"),
    "capacity": ("archkit.capacity.cli", "size instances, partitions and pools from the NFRs"),
}


class _Parser(argparse.ArgumentParser):
    """argparse with our exit code for usage errors (2) and a pointer to --help."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"archkit: error: {message} (see '{self.prog} --help')\n")


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """Give a command the shared ``--json`` flag."""
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")


def emit(args: argparse.Namespace, data: Any, text: str | Callable[[], str]) -> None:
    """Print ``data`` as JSON when ``--json`` was given, else the human text."""
    if getattr(args, "json", False):
        import json  # only for --json: the text output is the common case

        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(text() if callable(text) else text)


def exit_code_for(severities: Iterable[str]) -> int:
    """1 when any finding is of error severity, else 0."""
    return EXIT_FINDINGS if any(str(s) == "error" for s in severities) else EXIT_OK


def register_group(name: str, parser: argparse.ArgumentParser) -> None:
    """Give ``parser`` the commands of group ``name`` (imports its module)."""
    module, _, function = GROUPS[name][0].partition(":")
    getattr(importlib.import_module(module), function or "register")(parser)


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The top parser; the group named in ``argv`` (if any) is registered in full."""
    parser = _Parser(
        prog="archkit",
        description="archkit: design backend systems — brainstorm, schema, C4, ADRs, design pack.",
    )
    parser.add_argument("--version", action="version", version=f"archkit {__version__}")
    sub = parser.add_subparsers(dest="group", metavar="COMMAND", parser_class=_Parser)
    chosen = next((a for a in argv if not a.startswith("-")), None)
    # a named group needs no parser of the others (each costs argparse ~0.5 ms at start)
    names = [chosen] if chosen in GROUPS else list(GROUPS)
    for name in names:
        help_text = GROUPS[name][1]
        group_parser = sub.add_parser(name, help=help_text, description=help_text)
        group_parser.set_defaults(show_help=group_parser.print_help)
        if name == chosen:
            register_group(name, group_parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns (and, as a script, exits with) its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    wants_json = "--json" in argv
    try:
        parser = build_parser(argv)
        args = parser.parse_args(argv)
        func = getattr(args, "func", None)
        if func is None:  # a bare group, or no command at all
            getattr(args, "show_help", parser.print_help)(sys.stderr)
            return EXIT_USAGE
        return int(func(args) or EXIT_OK)
    except ArchkitError as err:
        return _fail(err, wants_json)
    except BrokenPipeError:
        # The reader (`| head`) closed the pipe: stop quietly, as other Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except (OSError, UnicodeDecodeError) as err:
        hint = "check the path and that it is a readable text file"
        return _fail(ArchkitError(_describe_os_error(err), hint=hint), wants_json)
    except KeyboardInterrupt:
        return 130


def _describe_os_error(err: Exception) -> str:
    if isinstance(err, UnicodeDecodeError):
        return "input is not UTF-8 text (is it a binary file?)"
    filename = getattr(err, "filename", None)
    reason = getattr(err, "strerror", None) or str(err)
    return f"{filename}: {reason}" if filename else reason


def _fail(err: ArchkitError, wants_json: bool) -> int:
    if wants_json:
        import json

        print(json.dumps(err.to_dict(), ensure_ascii=False))
    print(f"archkit: error: {err}", file=sys.stderr)
    return EXIT_USAGE


def _collect_less() -> None:
    """Run the cycle collector every 10,000 new objects rather than every 700.

    A command runs once and exits. Importing sqlglot and parsing a schema make a few
    hundred thousand long-lived objects, which the default setting walks again some
    hundred times. Parse trees still die young and are collected, so memory stays flat
    (a 5,000-table file peaks at the same ~90 MB). Only the process entry points call
    this, never :func:`main`, which tests and notebooks call in a long-lived interpreter.
    """
    gc.set_threshold(10_000, 20, 100)


def _run_process() -> int:
    """:func:`main` as the whole process: collector tuned before, exit-time walk skipped,
    ``importlib.metadata`` imported only if used (see :func:`defer_package_metadata`)."""
    from archkit.lazy import defer_package_metadata

    _collect_less()
    defer_package_metadata()
    code = main()
    # At exit the interpreter collects once more over every object left (~20 ms after a
    # check), though the process ends anyway: move them out of the collector's sight.
    # atexit handlers, stream flushing and module teardown still run; archkit closes
    # what it opens in with-blocks, so no file waits on that last collection.
    gc.freeze()
    return code


def _entry() -> None:  # pragma: no cover - console-script shim
    sys.exit(_run_process())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_run_process())
