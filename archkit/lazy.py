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

__all__ = ["LazyPattern", "lazy_exports"]


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


class LazyPattern:
    """A regular expression compiled on first use: a module-level pattern most runs never
    use then costs nothing at import (compiling one takes ~0.1-0.7 ms).

    Usage::

        _MONEY = LazyPattern(r"price|amount", re.I)
        _MONEY.search(name)           # compiled here, once; then the Pattern's own method
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        import re

        value = getattr(re.compile(*self._args), name)
        setattr(self, name, value)  # the next use finds it without __getattr__
        return value
