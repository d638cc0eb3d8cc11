"""``archkit new``, ``archkit check`` and ``archkit lab``: the design folder from a shell.

Usage::

    archkit new my-design [--from order-platform|blank]
    archkit check my-design [--json]          # exit 1 when an artefact contradicts another
    archkit lab my-design [--dry-run]         # JupyterLab on notebooks/, ARCHKIT_DESIGN=my-design

Exit codes: 0 done / consistent, 1 error findings, 2 bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from archkit.cli import add_json_flag, emit, exit_code_for
from archkit.errors import ArchkitError

__all__ = ["register_check", "register_lab", "register_new"]


def register_new(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", help="the folder to create (new or empty)")
    parser.add_argument("--from", dest="template", choices=("order-platform", "blank"),
                        default="order-platform",
                        help="start from a copy of the worked example (default) or blank")
    add_json_flag(parser)
    parser.set_defaults(func=_new)


def _new(args: argparse.Namespace) -> int:
    from archkit.design import scaffold

    design = scaffold(args.dir, args.template)
    files = sorted(p.relative_to(design.root).as_posix()
                   for p in design.root.rglob("*") if p.is_file())
    emit(args, {"dir": str(design.root), "template": args.template, "files": files},
         lambda: f"created {design.root} from {args.template} ({len(files)} files); "
                 f"next: read {design.root / 'README.md'}, then `archkit lab {args.dir}`")
    return 0


def register_check(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", help="a design folder (or an example name)")
    add_json_flag(parser)
    parser.set_defaults(func=_check)


def _check(args: argparse.Namespace) -> int:
    from archkit.consistency import check_design
    from archkit.design import open_design

    design = open_design(args.dir)
    findings = check_design(design.root)
    data = {"dir": str(design.root), "missing": design.missing,
            "findings": findings.to_list()}

    def text() -> str:
        lines = [str(f) for f in findings]
        lines += [f"  not in the folder (its checks skipped): {', '.join(design.missing)}"] \
            if design.missing else []
        lines.append(f"{len(findings.errors)} error(s), "
                     f"{len(findings) - len(findings.errors)} other finding(s)")
        return "\n".join(lines)

    emit(args, data, text)
    return exit_code_for(f.severity for f in findings)


def register_lab(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", nargs="?",
                        help="the design folder (default: a working copy of the example)")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the command and environment instead of starting JupyterLab")
    add_json_flag(parser)
    parser.set_defaults(func=_lab)


def notebooks_dir() -> Path:
    from archkit.examples import EXAMPLES_ROOT

    folder = EXAMPLES_ROOT.parent / "notebooks"
    if not folder.is_dir():
        raise ArchkitError(f"no notebooks folder at {folder}",
                           hint="run archkit lab from a clone of the archkit repository")
    return folder


def _lab(args: argparse.Namespace) -> int:
    from archkit.design import DESIGN_ENV, open_design

    env = {}
    if args.dir:
        env[DESIGN_ENV] = str(open_design(args.dir).root)
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent)) or \
        shutil.which("jupyter")
    if jupyter is None:
        raise ArchkitError("jupyter is not installed", hint="pip install jupyterlab")
    command = [jupyter, "lab", *(["--allow-root"] if hasattr(os, "getuid") and
                                 os.getuid() == 0 else []), str(notebooks_dir())]
    if args.dry_run or args.json:
        emit(args, {"command": command, "env": env},
             lambda: " ".join([*(f"{k}={v}" for k, v in env.items()), *command]))
        return 0
    return subprocess.call(command, env={**os.environ, **env})
