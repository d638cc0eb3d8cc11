"""Package faces whose public names load on first use (PEP 562), so imports stay light.

Usage (in a package's ``__init__.py``)::

    from archkit.lazy import lazy_exports
    _LAZY = {"check_schema": "archkit.schema.validate"}
    __getattr__, __dir__ = lazy_exports(__name__, _LAZY, __all__)
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["LazyPattern", "defer_package_metadata", "lazy_exports"]


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


class _DeferredMetadata(types.ModuleType):
    """``importlib.metadata`` until something reads from it: then the real module, which
    takes this one's place in ``sys.modules`` and answers every later use."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system probing: not a use
            raise AttributeError(name)
        return getattr(_load_metadata(self), name)


def _load_metadata(stub: types.ModuleType) -> types.ModuleType:
    if sys.modules.get(stub.__name__) is stub:
        del sys.modules[stub.__name__]
    real = importlib.import_module(stub.__name__)
    importlib.metadata = real  # type: ignore[attr-defined]  # the package's attribute too
    return real


def defer_package_metadata() -> None:
    """Defer ``importlib.metadata`` (~15 ms: it pulls in ``email``, ``zipfile``...) until it
    is used. sqlglot imports it at start only to look up dialect plugins, which a built-in
    dialect never needs; a one-shot command saves the import. Only process entry points
    call this (``archkit`` on the command line), before anything imports the module; a
    no-op when it is imported already.

    Usage: ``defer_package_metadata()`` first thing in a command-line ``main``.
    """
    name = "importlib.metadata"
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None:  # pragma: no cover - every CPython has it
        return
    stub = _DeferredMetadata(name)
    stub.__spec__, stub.__path__ = spec, list(spec.submodule_search_locations or [])

    def entry_points(**params: Any) -> Any:  # what sqlglot binds at import: loads on call
        return _load_metadata(stub).entry_points(**params)

    stub.entry_points = entry_points  # type: ignore[attr-defined]
    sys.modules[name] = stub
