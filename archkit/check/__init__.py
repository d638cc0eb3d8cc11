"""Workshop check cells: ``archkit.check.<exercise>(answer)`` says what is right and wrong.

Usage (in a notebook)::

    import archkit.check
    archkit.check.weights_sum_to_one(my_decision)

Each stage keeps its exercises in its own module here (``archkit/check/<stage>.py``);
this package finds an exercise by name across them, importing only on use.
"""

from __future__ import annotations

import importlib
from typing import Any

from archkit.check.result import CheckResult

__all__ = ["CheckResult", "exercises"]

STAGE_MODULES = ("brainstorm", "schema", "migrations", "c4", "adr", "api", "security")


def _modules():
    for stage in STAGE_MODULES:
        try:
            yield importlib.import_module(f"archkit.check.{stage}")
        except ModuleNotFoundError as err:
            if err.name != f"archkit.check.{stage}":
                raise


def exercises() -> dict[str, str]:
    """Every exercise name with the first line of its docstring."""
    found = {}
    for module in _modules():
        for name in getattr(module, "__all__", ()):
            doc = (getattr(module, name).__doc__ or "").strip().splitlines()
            found[name] = doc[0] if doc else ""
    return dict(sorted(found.items()))


def __getattr__(name: str) -> Any:
    for module in _modules():
        if name in getattr(module, "__all__", ()):
            return getattr(module, name)
    raise AttributeError(f"archkit.check has no exercise {name!r}; see archkit.check.exercises()")
