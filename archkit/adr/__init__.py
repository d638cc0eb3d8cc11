"""Architecture Decision Records: one typed record, MADR 4 and adr-tools dialects, a store.

Usage::

    from archkit.adr import AdrStore, AdrIndex, lint
    store = AdrStore.open(Path("."))                 # .adr-dir, else docs/decisions
    rec = store.new("Use Kafka for the order pipeline", supersedes=3)
    AdrIndex(store.all())                            # a table in Jupyter; .graph is the graph
    lint(store.all()).errors                         # -> [] when CI may pass

Modules: ``model`` (the dataclasses), ``dialects`` (read/write MADR and adr-tools
text), ``store`` (a folder: numbering, lifecycle, atomic two-file links),
``index`` (index.md, DOT/SVG/Mermaid graph), ``lint``, ``convert``, ``cli``.
"""

from archkit.adr.convert import convert, export
from archkit.adr.dialects import dumps, loads
from archkit.adr.index import AdrGraph, AdrIndex, write_index
from archkit.adr.lint import lint
from archkit.adr.model import Argument, Link, Option, Record, Section, md, write_record
from archkit.adr.store import AdrStore, find_adr_dir

__all__ = [
    "AdrGraph",
    "AdrIndex",
    "AdrStore",
    "Argument",
    "Link",
    "Option",
    "Record",
    "Section",
    "convert",
    "dumps",
    "export",
    "find_adr_dir",
    "lint",
    "loads",
    "md",
    "write_index",
    "write_record",
]
