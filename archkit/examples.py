"""Find the worked examples shipped in ``examples/``.

Usage::

    from archkit.examples import example_dir
    example_dir("order-platform")   # -> Path(".../examples/order_platform")
"""

from __future__ import annotations

import os
from pathlib import Path

from archkit.errors import ArchkitError

__all__ = ["EXAMPLES_ROOT", "corpus_file", "example_dir", "example_names"]

EXAMPLES_ROOT = Path(__file__).resolve().parent.parent / "examples"
# Real third-party files (Big Bank plc, Pagila, sqldef cases, ...) live beside the
# repository in the archkit workspace, not in it; ARCHKIT_CORPORA points elsewhere.
_DEFAULT_CORPORA = EXAMPLES_ROOT.parent.parent / "shared" / "corpora"


def corpus_file(relative: str) -> Path | None:
    """A file of the shared test corpora, or None on a machine that does not have them.

    Usage: ``corpus_file("c4/big-bank-plc.dsl")``
    """
    root = Path(os.environ.get("ARCHKIT_CORPORA") or _DEFAULT_CORPORA)
    candidate = root / relative
    return candidate if candidate.is_file() else None


def example_names() -> list[str]:
    """Names of the shipped examples, as the CLI spells them (dashes)."""
    if not EXAMPLES_ROOT.is_dir():
        return []
    return sorted(p.name.replace("_", "-") for p in EXAMPLES_ROOT.iterdir() if p.is_dir())


def example_dir(name_or_path: str | Path) -> Path:
    """Resolve an example name (``order-platform``) or a folder path to a folder."""
    candidate = Path(name_or_path)
    if candidate.is_dir():
        return candidate
    named = EXAMPLES_ROOT / str(name_or_path).replace("-", "_")
    if named.is_dir():
        return named
    known = ", ".join(example_names()) or "none found"
    raise ArchkitError(
        f"no example or folder named {str(name_or_path)!r}",
        hint=f"give a folder path or one of the examples: {known}",
    )
