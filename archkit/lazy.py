"""Package faces whose public names load on first use (PEP 562), so imports stay light.

Usage (in a package's ``__init__.py``)::

    from archkit.lazy import lazy_exports
    _LAZY = {"check_schema": "archkit.schema.validate"}
    __getattr__, __dir__ = lazy_exports(__name__, _LAZY, __all__)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(package: str, homes: Mapping[str, str], public: Sequence[str]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``: each name in ``homes`` is read from
    its module when first asked for; ``dir()`` (and so tab completion) lists the public API."""

    def __getattr__(name: str) -> Any:
        if name in homes:
            return getattr(importlib.import_module(homes[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(public)

    return __getattr__, __dir__
