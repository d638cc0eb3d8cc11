"""Column attributes the catalog has no place for: the column is kept and the attribute said."""

from __future__ import annotations

import pytest

from archkit.schema.parse import parse_schema


@pytest.mark.parametrize("dialect, sql, attributes", [
    ("postgres", "CREATE TABLE t (id int PRIMARY KEY, b text COMPRESSION lz4, "
                 "c text STORAGE EXTERNAL);", ["COMPRESSION lz4", "STORAGE EXTERNAL"]),
    ("mysql", "CREATE TABLE t (id int PRIMARY KEY, b int INVISIBLE, "
              "c int COLUMN_FORMAT DYNAMIC, z int(5) zerofill);",
     ["INVISIBLE", "COLUMN_FORMAT DYNAMIC", "ZEROFILL"]),
    ("sqlite", "CREATE TABLE t (id integer PRIMARY KEY ON CONFLICT REPLACE, "
               "b int NOT NULL ON CONFLICT IGNORE, c int UNIQUE ON CONFLICT FAIL);",
     ["ON CONFLICT REPLACE", "ON CONFLICT IGNORE", "ON CONFLICT FAIL"]),
])
def test_every_column_is_kept_and_each_unkept_attribute_is_said(dialect, sql, attributes):
    result = parse_schema(sql, dialect)
    table = result.catalog.tables["t"]
    assert [c.name for c in table.columns] == ["id", "b", "c", "z"][:len(table.columns)]
    assert len(table.columns) == (4 if dialect == "mysql" else 3)
    said = [f.message for f in result.findings if f.code == "SC002"]
    assert len(said) == len(attributes)
    for attribute in attributes:
        assert any(m.endswith(attribute) for m in said), (attribute, said)
    assert not result.unparsed
