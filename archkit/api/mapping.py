"""How API contracts and the schema catalog map onto each other: names, resources and types.

Usage::

    column_schema(Column("price", "numeric(12,2)", nullable=False), "postgres")
    # -> {"type": "number", "multipleOf": 0.01, "minimum": -1e10, "maximum": 1e10}
    json_types("varchar(64)", "postgres")   # -> {"string"}
    resource_table("/v1/carts/{id}/items", tables)   # -> "cart_items"

Types are data: one table of normalised SQL types (``archkit.schema.catalog.normalise_type``)
to JSON Schema, with per-dialect overrides where a dialect means something else by a
name (MySQL's ``tinyint(1)`` is a boolean; SQLite's ``integer`` is 64-bit).
Draft and consistency both use this module, so what the draft writes is what the check
accepts.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["class_name", "column_schema", "json_types", "resource_table", "segments",
           "singular", "table_for_name"]

_SIZED = re.compile(r"^(\w[\w ]*?)\s*(?:\((\d+)(?:\s*,\s*(\d+))?\))?$")
_COMMON: dict[str, dict] = {
    "smallint": {"type": "integer", "format": "int32", "minimum": -32768, "maximum": 32767},
    "integer": {"type": "integer", "format": "int32"},
    "int": {"type": "integer", "format": "int32"},
    "bigint": {"type": "integer", "format": "int64"},
    "real": {"type": "number", "format": "float"},
    "float": {"type": "number", "format": "double"},
    "double precision": {"type": "number", "format": "double"},
    "double": {"type": "number", "format": "double"},
    "numeric": {"type": "number"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
    "varchar": {"type": "string"},
    "char": {"type": "string"},
    "text": {"type": "string"},
    "uuid": {"type": "string", "format": "uuid", "maxLength": 36},
    "date": {"type": "string", "format": "date", "maxLength": 10},
    "time": {"type": "string", "format": "time", "maxLength": 20},
    "timestamp": {"type": "string", "format": "date-time", "maxLength": 40},
    "timestamptz": {"type": "string", "format": "date-time", "maxLength": 40},
    "json": {"type": "object"},
    "jsonb": {"type": "object"},
    "bytea": {"type": "string", "contentEncoding": "base64"},
    "blob": {"type": "string", "contentEncoding": "base64"},
}
_DIALECT: dict[str, dict[str, dict]] = {
    "postgres": {},
    "mysql": {"tinyint(1)": {"type": "boolean"}, "datetime": _COMMON["timestamp"],
              "tinyint": {"type": "integer", "format": "int32", "minimum": -128,
                          "maximum": 127}},
    "sqlite": {"integer": {"type": "integer", "format": "int64"},
               "datetime": _COMMON["timestamp"]},
}
# Which JSON types a column may be shown as: decimals travel as numbers or as strings.
_ALSO = {"numeric": {"string"}, "decimal": {"string"}, "bigint": {"string"},
         "json": {"array", "string", "number", "integer", "boolean"},
         "jsonb": {"array", "string", "number", "integer", "boolean"}}


_UNSIGNED = re.compile(r"\s+unsigned(?:\s+zerofill)?$")


def _split(sql_type: str) -> tuple[str, int | None, int | None]:
    sql_type = _UNSIGNED.sub("", sql_type.strip().lower())  # MySQL's int unsigned: an int
    match = _SIZED.match(sql_type)
    if not match:
        return sql_type, None, None
    base, size, scale = match.groups()
    return base.strip(), int(size) if size else None, int(scale) if scale else None


def column_schema(column: Any, dialect: str = "postgres") -> dict:
    """The JSON Schema (OpenAPI 3.1) of a catalog column: type, format and limits."""
    base, size, scale = _split(column.type)
    override = _DIALECT.get(dialect, {})
    schema = dict(override.get(column.type.lower()) or override.get(base) or
                  _COMMON.get(base) or {"type": "string"})
    if base in ("varchar", "char", "character varying", "character") and size:
        schema["maxLength"] = size
        if base in ("char", "character"):
            schema["minLength"] = size
    if base in ("numeric", "decimal") and size:
        scale = scale or 0
        bound = float(10 ** (size - scale))
        schema.update({"minimum": -bound, "maximum": bound})
        if scale:
            schema["multipleOf"] = float(f"1e-{scale}")
    if column.nullable:
        schema["type"] = [schema["type"], "null"]
    return schema


def json_types(sql_type: str, dialect: str = "postgres") -> set[str]:
    """Every JSON type a value of this column may honestly be shown as."""
    base, _, _ = _split(sql_type)
    override = _DIALECT.get(dialect, {})
    schema = override.get(sql_type.lower()) or override.get(base) or _COMMON.get(base) or {
        "type": "string"}
    out = {schema["type"]} | _ALSO.get(base, set())
    if "integer" in out:
        out.add("number")
    return out


def max_length(sql_type: str) -> int | None:
    """The character length of a ``varchar(n)`` / ``char(n)`` column, else None."""
    base, size, _ = _split(sql_type)
    return size if base in ("varchar", "char", "character varying", "character") else None


def singular(word: str) -> str:
    """English singular, good enough for table names: ``categories`` -> ``category``."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def class_name(table: str) -> str:
    """A component name for a table: ``cart_items`` -> ``CartItem``."""
    parts = table.split("_")
    parts[-1] = singular(parts[-1])
    return "".join(p[:1].upper() + p[1:] for p in parts if p)


def table_for_name(name: str, tables: set[str] | dict) -> str | None:
    """The table a component or event name stands for: ``CartItem``/``OrderPlaced`` -> table."""
    words = re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", name)
    for n in range(len(words), 0, -1):
        stem = "_".join(w.lower() for w in words[:n])
        for candidate in (stem, stem + "s", stem + "es", stem[:-1] + "ies" if stem.endswith(
                "y") else None):
            if candidate and candidate in tables:
                return candidate
    return None


def segments(path: str) -> list[str]:
    """Path segments without a leading version (``/v1``)."""
    parts = [p for p in path.split("/") if p]
    if parts and re.fullmatch(r"v\d+", parts[0]):
        parts = parts[1:]
    return parts


def resource_table(path: str, tables: set[str] | dict) -> str | None:
    """The table behind a path: its last noun, nested under its parent (``cart_items``)."""
    nouns = [p for p in segments(path) if not p.startswith("{")]
    for i in range(len(nouns) - 1, -1, -1):
        word = nouns[i]
        if i > 0:
            nested = f"{singular(nouns[i - 1])}_{word}"
            if nested in tables:
                return nested
        if word in tables:
            return word
        if (plural := word + "s") in tables:
            return plural
    return None
