"""Architecture Decision Records: one typed record, MADR 4 and adr-tools dialects, a store.

Usage::

    from archkit.adr import Record, write_record
    write_record(Record(number=1, title="Record architecture decisions"), Path("docs/decisions"))
"""

from archkit.adr.model import Argument, Link, Option, Record, Section, write_record

__all__ = ["Argument", "Link", "Option", "Record", "Section", "write_record"]
