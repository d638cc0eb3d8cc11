"""The names engines give the indexes a schema leaves unnamed.

Usage::

    from archkit.schema.index_names import auto_index_name, index_name
    auto_index_name("events", ("kind", "lower((kind)::text)"))   # 'events_kind_lower_idx'
    index_name("postgres", "t", ("a",), include=("b",))            # 't_a_b_idx'
    index_name("mysql", "t", ("repo_id",), taken={"repo_id"})      # 'repo_id_2'
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence

from archkit.lazy import LazyPattern
from archkit.schema.ddl import in_parens
from archkit.schema.dialects import dialect as get_dialect

__all__ = ["auto_index_name", "index_name"]


def index_name(dialect: str, table: str, parts: Sequence[str], *, include: Sequence[str] = (),
               taken: Container[str] = ()) -> str:
    """The name ``dialect``'s engine gives an unnamed index of ``table`` on ``parts``
    (columns, or expressions as SQL) with ``include`` columns, not one of ``taken``:
    PostgreSQL's ``ChooseIndexName`` (``t_a_b_idx``, a repeated part counted: ``expr1``,
    then ``t_a_idx1``...), MySQL's first column (then ``a_2``...), else table, parts, idx."""
    d = get_dialect(dialect)
    if d.index_names_per_schema and d.routine_signatures:  # PostgreSQL's own scheme
        names: list[str] = []
        for part in (*parts, *include):
            base = _part_name(part)
            name, n = base, 0
            while name in names:
                n += 1
                name = f"{base}{n}"
            names.append(name)
        first = _fit(table, "_".join(names), "idx")
        n, name = 0, first
        while name in taken:
            n += 1
            name = _fit(table, "_".join(names), f"idx{n}")
        return name
    if not d.index_names_per_schema:  # MySQL: after the first column
        base = _part_name(parts[0]) if parts else "idx"
        n, name = 1, base
        while name in taken or name.lower() == "primary":
            n += 1
            name = f"{base}_{n}"
        return name
    return f"{table}_{'_'.join(p for p in parts if p.isidentifier())}_idx"


def auto_index_name(table: str, columns: tuple[str, ...], label: str = "idx") -> str:
    """The name PostgreSQL gives an index it makes (``ChooseIndexName``: table, the parts'
    names and label joined by ``_``, the longer part cut until the name fits 63 bytes; an
    expression part is named as :func:`_part_name` says).

    >>> auto_index_name("events_2024", ("kind", "lower((kind)::text)"))
    'events_2024_kind_lower_idx'
    """
    return _fit(table, "_".join(_part_name(c) for c in columns), label)


def _fit(table: str, cols: str, label: str) -> str:
    """``table_cols_label`` cut to 63 bytes, the longer of table and cols first."""
    room = 63 - len(label) - 1 - (1 if cols else 0)
    a, b = len(table), len(cols)
    while a + b > room:
        if a > b:
            a -= 1
        else:
            b -= 1
    return "_".join(x for x in (table[:a], cols[:b], label) if x)


_NAME_PART = r'(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)'
_COLUMN_REF = LazyPattern(rf"{_NAME_PART}(?:\s*\.\s*{_NAME_PART})*")
_CALL_HEAD = LazyPattern(rf"({_NAME_PART}(?:\s*\.\s*{_NAME_PART})*)\s*\(")
# what PostgreSQL names a part by its form (FigureColname): CASE, ARRAY[...], ROW(...)
_FORM_NAMES = (("case", LazyPattern(r"(?i)case\b")), ("array", LazyPattern(r"(?i)array\s*\[")),
               ("row", LazyPattern(r"(?i)row\s*\(")))


def _part_name(part: str) -> str:
    """An index part's name in an index name, as PostgreSQL's ``FigureColname`` gives it: a
    column its name, a function call the function's name, a cast what it casts (else the
    type), ``CASE`` "case"; anything else (an operator) "expr"."""
    text = _unwrap(part.strip())
    cast = _top_level_cast(text)
    if cast is not None:
        inner, type_ = cast
        name = _part_name(inner)
        if name != "expr":
            return name
        base = " ".join(re.sub(r"\(.*|\[.*", "", type_).lower().split())
        return _INTERNAL_TYPE_NAMES.get(base, _last_name(base) if base else "expr")
    if _COLUMN_REF.fullmatch(text):
        return _last_name(text)
    call = _CALL_HEAD.match(text)
    if call and in_parens(text[call.end() - 1:]):
        return _last_name(call.group(1))
    return next((name for name, form in _FORM_NAMES if form.match(text)), "expr")


def _last_name(dotted: str) -> str:
    last = re.findall(_NAME_PART, dotted)[-1]
    return last[1:-1].replace('""', '"') if last.startswith('"') else last.lower()


def _unwrap(text: str) -> str:
    """``text`` without parentheses that enclose all of it."""
    while in_parens(text):
        text = text[1:-1].strip()
    return text


# a cast names an index part by its type's internal name (``::integer`` gives "int4")
_INTERNAL_TYPE_NAMES = {
    "integer": "int4", "int": "int4", "smallint": "int2", "bigint": "int8", "real": "float4",
    "double precision": "float8", "float": "float8", "boolean": "bool",
    "character varying": "varchar", "character": "bpchar", "char": "bpchar",
    "timestamp without time zone": "timestamp", "timestamp with time zone": "timestamptz",
    "time without time zone": "time", "time with time zone": "timetz", "decimal": "numeric",
}


def _top_level_cast(text: str) -> tuple[str, str] | None:
    """``(what, type)`` when ``text`` is ``what::type`` with ``what`` one operand (a
    name, a call, a literal or a parenthesised expression): ``a || 'x'::text`` is an
    operator over a cast, not a cast. Else None."""
    depth, quote, at = 0, None, -1
    for i, ch in enumerate(text):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif depth == 0 and text.startswith("::", i) and not text.startswith("::", i - 1):
            at = i
    if at <= 0:
        return None
    inner = text[:at].strip()
    call = _CALL_HEAD.match(inner)
    one = _COLUMN_REF.fullmatch(inner) or re.fullmatch(r"'(?:[^']|'')*'|-?[\d.]+", inner) or \
        in_parens(inner) or (call and in_parens(inner[call.end() - 1:]))
    return (inner, text[at + 2:]) if one else None
