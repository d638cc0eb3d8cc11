"""YAML with line numbers: every mapping remembers where it started.

Usage::

    from archkit.brainstorm.yamlio import read_yaml, line_of
    data = read_yaml(Path("decisions.yaml"))
    line_of(data["decisions"][0])   # -> 3

Only the brainstorm loaders use this; pyyaml is imported when a file is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from archkit.errors import ArchkitError, Where

__all__ = ["LocatedDict", "line_of", "parse_yaml", "read_yaml"]


class LocatedDict(dict):
    """A dict from YAML that knows its 1-based line and column."""

    line: int | None = None
    col: int | None = None


def line_of(value: Any) -> int | None:
    return getattr(value, "line", None)


def _loader():
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def construct_mapping(loader, node, deep=False):
        mapping = LocatedDict(loader.construct_mapping(node, deep=True))
        mapping.line, mapping.col = node.start_mark.line + 1, node.start_mark.column + 1
        return mapping

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return Loader


def parse_yaml(text: str, source: str = "<yaml>") -> Any:
    """Parse YAML text; a syntax error becomes an ArchkitError with line and column."""
    import yaml

    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = Where(source, mark.line + 1, mark.column + 1) if mark else Where(source)
        problem = getattr(err, "problem", None) or str(err)
        raise ArchkitError(
            f"not valid YAML: {problem}",
            where=where,
            hint="check indentation and that lists and mappings are closed",
        ) from err


def read_yaml(path: str | Path) -> Any:
    """Read and parse a YAML file (errors name the file, line and column)."""
    path = Path(path)
    return parse_yaml(path.read_text(encoding="utf-8"), source=str(path))
