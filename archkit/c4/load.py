"""Load a workspace from a Structurizr ``.dsl`` file or a Python module.

Usage::

    ws, findings = load_workspace("examples/order_platform/workspace.py")
    ws, findings = load_workspace("big-bank-plc.dsl")

A Python module exposes ``build_workspace()`` (returning a Workspace or a builder) or a
``workspace`` variable.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from archkit.c4.workspace import Workspace
from archkit.errors import ArchkitError, Where
from archkit.findings import Findings

__all__ = ["load_workspace"]


def load_workspace(path: str | Path) -> tuple[Workspace, Findings]:
    """The workspace in ``path`` and the findings of reading it."""
    path = Path(path)
    if not path.exists():
        raise ArchkitError(f"no such file: {path}", where=Where(str(path)),
                           hint="give a .dsl file or a .py module")
    if path.suffix == ".py":
        return _from_module(path), Findings()
    from archkit.c4.dsl_reader import read_dsl

    return read_dsl(path)


def _from_module(path: Path) -> Workspace:
    name = f"_archkit_workspace_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ArchkitError("cannot import this Python file", where=Where(str(path)),
                           hint="give a .py module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except ArchkitError:
        raise
    except SyntaxError as err:
        raise ArchkitError(f"Python syntax error: {err.msg}",
                           where=Where(str(path), err.lineno, err.offset),
                           hint="fix the module so it imports") from None
    finally:
        sys.modules.pop(name, None)
    if hasattr(module, "build_workspace"):
        ws = module.build_workspace()
    elif hasattr(module, "workspace"):
        ws = module.workspace
    else:
        raise ArchkitError("the module has no build_workspace() and no 'workspace'",
                           where=Where(str(path)),
                           hint="define build_workspace() returning the Workspace")
    if hasattr(ws, "build"):
        ws = ws.build()
    if not isinstance(ws, Workspace):
        raise ArchkitError(f"build_workspace() returned {type(ws).__name__}, not a Workspace",
                           where=Where(str(path)), hint="return builder.build()")
    ws.source = str(path)
    return ws
