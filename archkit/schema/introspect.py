"""Read a sandbox's catalog back from the engine, normalised like the parser's catalog.

Usage::

    from archkit.schema.engines import sandbox
    with sandbox("sqlite") as box:
        box.execute_script(ddl).raise_for_errors()
        catalog = box.introspect()          # calls introspect(box)

Sources: SQLite ``pragma table_xinfo / foreign_key_list / index_list``; PostgreSQL
``pg_catalog``; MySQL / MariaDB ``information_schema``. Types go through
``normalise_type``, defaults through ``normalise_default``; indexes that only back a
primary key or unique constraint are left out (the constraint is there).
"""

from __future__ import annotations

import re

from archkit.schema.catalog import (
    Catalog,
    Check,
    Column,
    EnumType,
    ForeignKey,
    Index,
    PrimaryKey,
    Sequence,
    Table,
    Unique,
    View,
    declared_type,
    normalise_on_update,
    normalise_type,
    object_key,
)
from archkit.schema.parse import _view_body, normalise_default

__all__ = ["introspect", "introspect_objects"]

_PG_OBJECTS = {
    "function": "SELECT n.nspname || '.' || p.proname || '(' || "
                "pg_get_function_identity_arguments(p.oid) || ')', pg_get_functiondef(p.oid) || "
                "coalesce(' -- ' || obj_description(p.oid, 'pg_proc'), '') "
                "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.prokind <> 'a' "
                "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid "
                "AND d.deptype = 'e')",
    "trigger": "SELECT c.relname || '.' || t.tgname, pg_get_triggerdef(t.oid) || "
               "coalesce(' -- ' || obj_description(t.oid, 'pg_trigger'), '') FROM pg_trigger t "
               "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal",
    "policy": "SELECT schemaname || '.' || tablename || '.' || policyname, concat_ws(' ', "
              "permissive, roles::text, cmd, qual, with_check) FROM pg_policies",
    "domain": "SELECT n.nspname || '.' || t.typname, format_type(t.typbasetype, t.typtypmod) "
              "|| ' ' || coalesce((SELECT string_agg(pg_get_constraintdef(c.oid), ' ' "
              "ORDER BY c.conname) FROM pg_constraint c WHERE c.contypid = t.oid), '') || ' ' "
              "|| t.typnotnull::text || ' ' || coalesce(t.typdefault, '') || coalesce(' -- ' || "
              "obj_description(t.oid, 'pg_type'), '') FROM pg_type t "
              "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'd' "
              "AND n.nspname NOT IN ('pg_catalog', 'information_schema')",
    "type": "SELECT n.nspname || '.' || t.typname, coalesce((SELECT string_agg(a.attname || "
            "' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) FROM "
            "pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0), "
            "(SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid)) "
            "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE (t.typtype = 'r' "
            "OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')) "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema')",
    "statistics": "SELECT n.nspname || '.' || s.stxname, pg_get_statisticsobjdef(s.oid) "
                  "FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace",
    "extension": "SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON "
                 "n.oid = e.extnamespace WHERE e.extname <> 'plpgsql'",
    "rls": "SELECT n.nspname || '.' || c.relname, c.relrowsecurity::text || ' ' || "
           "c.relforcerowsecurity::text FROM pg_class c JOIN pg_namespace n ON "
           "n.oid = c.relnamespace WHERE c.relrowsecurity OR c.relforcerowsecurity",
    # persistence and storage parameters; foreign keys as defined (DEFERRABLE...)
    "table": "SELECT n.nspname || '.' || c.relname, c.relpersistence::text || ' ' || "
             "coalesce(array_to_string(c.reloptions, ','), '') FROM pg_class c JOIN "
             "pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND "
             "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')",
    # a partitioned table's key; a partition's or an inheriting table's parents, and bound
    "partition": "SELECT n.nspname || '.' || c.relname, concat_ws(' ', "
                 "pg_get_partkeydef(c.oid), (SELECT string_agg(p.relname, ',' ORDER BY "
                 "h.inhseqno) FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent WHERE "
                 "h.inhrelid = c.oid), pg_get_expr(c.relpartbound, c.oid)) FROM pg_class c "
                 "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') "
                 "AND (c.relkind = 'p' OR EXISTS (SELECT FROM pg_inherits h WHERE h.inhrelid "
                 "= c.oid)) AND n.nspname NOT IN ('pg_catalog', 'information_schema')",
    "foreign key": "SELECT c.conrelid::regclass::text || ' ' || pg_get_constraintdef(c.oid), "
                   "'' FROM pg_constraint c WHERE c.contype = 'f'",
    # an index by what it is (its definition without its name): method, INCLUDE, WHERE...
    "index": "SELECT regexp_replace(pg_get_indexdef(i.indexrelid), 'INDEX \\S+ ON ', "
             "'INDEX ON '), '' FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN "
             "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', "
             "'information_schema', 'pg_toast')",
    "comment": "SELECT n.nspname || '.' || c.relname || coalesce('.' || a.attname, ''), "
               "d.description FROM pg_description d JOIN pg_class c ON c.oid = d.objoid AND "
               "d.classoid = 'pg_class'::regclass JOIN pg_namespace n ON n.oid = "
               "c.relnamespace LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = "
               "d.objsubid AND d.objsubid > 0 WHERE n.nspname NOT IN ('pg_catalog', "
               "'information_schema')",
    # a column's collation where it is not its type's own
    "collation": "SELECT n.nspname || '.' || c.relname || '.' || a.attname, co.collname "
                 "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace "
                 "n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid JOIN "
                 "pg_collation co ON co.oid = a.attcollation WHERE a.attnum > 0 AND NOT "
                 "a.attisdropped AND a.attcollation <> t.typcollation AND c.relkind IN "
                 "('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')",
}
_MY_OBJECTS = {
    "routine": "SELECT CONCAT(ROUTINE_TYPE, ' ', ROUTINE_NAME), CONCAT_WS(' ', DTD_IDENTIFIER, "
               "IS_DETERMINISTIC, SQL_DATA_ACCESS, ROUTINE_DEFINITION) FROM "
               "information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()",
    "trigger": "SELECT TRIGGER_NAME, CONCAT_WS(' ', ACTION_TIMING, EVENT_MANIPULATION, "
               "EVENT_OBJECT_TABLE, ACTION_STATEMENT) FROM information_schema.TRIGGERS "
               "WHERE TRIGGER_SCHEMA = DATABASE()",
    "table": "SELECT TABLE_NAME, CONCAT_WS(' ', ENGINE, TABLE_COLLATION, ROW_FORMAT) FROM "
             "information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
             "TABLE_TYPE = 'BASE TABLE'",
    # an index by what it is (not its name): its kind, uniqueness, columns and prefixes
    "index": "SELECT CONCAT(TABLE_NAME, ' ', INDEX_TYPE, ' ', NON_UNIQUE, ' ', "
             "GROUP_CONCAT(CONCAT(COALESCE(COLUMN_NAME, ''), '(', COALESCE(SUB_PART, ''), ')') "
             "ORDER BY SEQ_IN_INDEX)), '' FROM information_schema.STATISTICS WHERE "
             "TABLE_SCHEMA = DATABASE() GROUP BY TABLE_NAME, INDEX_NAME, INDEX_TYPE, NON_UNIQUE",
    "comment": "SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME), COLUMN_COMMENT FROM "
               "information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_COMMENT "
               "<> '' UNION ALL SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES "
               "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND "
               "TABLE_COMMENT <> ''",
    # a column's character set and collation where they are not its table's
    "collation": "SELECT CONCAT(c.TABLE_NAME, '.', c.COLUMN_NAME), CONCAT_WS(' ', "
                 "c.CHARACTER_SET_NAME, c.COLLATION_NAME) FROM information_schema.COLUMNS c "
                 "JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND "
                 "t.TABLE_NAME = c.TABLE_NAME WHERE c.TABLE_SCHEMA = DATABASE() AND "
                 "c.COLLATION_NAME <> t.TABLE_COLLATION",
    # each partition by what it is: method, expression, bound (and its subpartitions')
    "partition": "SELECT CONCAT(TABLE_NAME, ' ', PARTITION_NAME, ' ', COALESCE("
                 "SUBPARTITION_NAME, '')), CONCAT_WS(' ', PARTITION_METHOD, "
                 "PARTITION_EXPRESSION, PARTITION_DESCRIPTION, SUBPARTITION_METHOD, "
                 "SUBPARTITION_EXPRESSION) FROM information_schema.PARTITIONS WHERE "
                 "TABLE_SCHEMA = DATABASE() AND PARTITION_NAME IS NOT NULL",
    # not STARTS: an EVERY event without one starts when it is created
    "event": "SELECT EVENT_NAME, CONCAT_WS(' ', DEFINER, EVENT_TYPE, EXECUTE_AT, "
             "INTERVAL_VALUE, INTERVAL_FIELD, ENDS, ON_COMPLETION, STATUS, "
             "CONCAT('comment=', EVENT_COMMENT), EVENT_DEFINITION) FROM "
             "information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()",
}
_SQLITE_OBJECTS = {"trigger": "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"}


def introspect_objects(box) -> dict[str, str]:
    """Functions, procedures, triggers, policies, domains, extensions, statistics and row
    security as the engine shows them: ``{"trigger t.name": definition}`` (spacing folded),
    to compare two states."""
    queries = {"postgres": _PG_OBJECTS, "mysql": _MY_OBJECTS, "sqlite": _SQLITE_OBJECTS}[
        box.dialect]
    out = {}
    for kind, sql in queries.items():
        for name, text in box.query(sql):
            out[f"{kind} {name}"] = " ".join(str(text or "").split())
    return out



def introspect(box) -> Catalog:
    """The catalog of everything in the sandbox ``box``."""
    return {"sqlite": _sqlite, "postgres": _postgres, "mysql": _mysql}[box.dialect](box)


def _norm_where(text: str | None, dialect: str) -> str | None:
    if not text:
        return None
    import sqlglot

    try:
        return sqlglot.parse_one(text, read=dialect).sql(dialect)
    except Exception:  # noqa: BLE001 - keep the engine's own text when sqlglot balks
        return text


# -- SQLite ------------------------------------------------------------------------------
def _sqlite(box) -> Catalog:
    from archkit.schema.parse import parse_schema

    cat = Catalog(dialect="sqlite")
    objects = box.query(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    )
    for kind, name, _tbl, sql in objects:
        if kind == "table":
            cat.add_table(_sqlite_table(box, name, sql or ""))
        elif kind == "view":
            cols = tuple(r[1].lower() for r in box.query(f'PRAGMA table_info("{name}")'))
            cat.views[name.lower()] = View(name.lower(), _view_body(sql or ""), None, cols)
    # CHECK constraints are only kept in the stored DDL: read them with our own parser
    for key, table in cat.tables.items():
        sql = next((s for k, n, _t, s in objects if k == "table" and n.lower() == key), None)
        if sql:
            parsed = parse_schema(sql, "sqlite").catalog.tables.get(key)
            if parsed is not None:
                table.checks = [Check(c.expression, c.name) for c in parsed.checks]
    for key, table in cat.tables.items():
        _sqlite_indexes(box, cat, key, table)
    return cat


def _sqlite_table(box, name: str, sql: str) -> Table:
    table = Table(name.lower())
    autoinc = bool(re.search(r"\bAUTOINCREMENT\b", sql, re.I))
    pk: list[tuple[int, str]] = []
    for _cid, cname, ctype, notnull, dflt, pkpos, hidden in box.query(
        f'PRAGMA table_xinfo("{name}")'
    ):
        ctype_n, serial = normalise_type(ctype or "blob")
        col = Column(cname.lower(), ctype_n, nullable=not notnull,
                     default=normalise_default(dflt, "sqlite"), identity=serial)
        if hidden in (2, 3):
            col.generated = "generated"
        if pkpos:
            pk.append((pkpos, col.name))
            col.nullable = False
            col.identity = col.identity or autoinc
        table.columns.append(col)
    if pk:
        table.primary_key = PrimaryKey(tuple(n for _, n in sorted(pk)))
    fks: dict[int, ForeignKey] = {}
    for fid, _seq, ref, frm, to, on_update, on_delete, _match in box.query(
        f'PRAGMA foreign_key_list("{name}")'
    ):
        fk = fks.setdefault(fid, ForeignKey((), ref.lower(), (), on_delete.lower(),
                                            on_update.lower()))
        fk.columns += (frm.lower(),)
        if to:
            fk.ref_columns += (to.lower(),)
    table.foreign_keys = [fks[k] for k in sorted(fks, reverse=True)]
    return table


def _sqlite_indexes(box, cat: Catalog, key: str, table: Table) -> None:
    for fk in table.foreign_keys:
        if not fk.ref_columns and (target := cat.tables.get(fk.ref_table)) is not None:
            fk.ref_columns = target.primary_key.columns if target.primary_key else ()
    for _seq, iname, unique, origin, partial in box.query(f'PRAGMA index_list("{key}")'):
        info = box.query(f'PRAGMA index_xinfo("{iname}")')
        cols = tuple((r[2] or "<expr>").lower() for r in info if r[5])  # r[5]: key column
        if origin == "pk":
            continue
        if origin == "u":
            table.uniques.append(Unique(cols))
            continue
        sql = box.query("SELECT sql FROM sqlite_master WHERE name = ?", (iname,))[0][0] or ""
        where = None
        if partial:
            m = re.search(r"\bWHERE\b(.*)$", sql, re.I | re.S)
            where = _norm_where(m.group(1).strip(), "sqlite") if m else None
        if "<expr>" in cols:
            from archkit.schema.parse import parse_schema

            parsed = parse_schema(sql, "sqlite").catalog.indexes.get(iname.lower())
            cols = parsed.columns if parsed else cols
        cat.add_index(Index(iname.lower(), key, cols, bool(unique), where))


# -- PostgreSQL ---------------------------------------------------------------------------
_PG_NS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_%'"
_FK_ACTIONS = {"a": "no action", "r": "restrict", "c": "cascade", "n": "set null",
               "d": "set default"}


def _pg_key(name: str, schema: str) -> str:
    return object_key(name, schema, "postgres")


def _postgres(box) -> Catalog:
    cat = Catalog(dialect="postgres")
    for nsp, rel in box.query(
        "SELECT n.nspname, c.relname FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE c.relkind IN ('r', 'p') AND {_PG_NS} ORDER BY 1, 2"
    ):
        cat.add_table(Table(rel, None if nsp == "public" else nsp))
    for nsp, rel, att, typ, notnull, dflt, ident, gen, comment in box.query(
        "SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
        "a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, "
        "col_description(c.oid, a.attnum) "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        f"WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND {_PG_NS} "
        "ORDER BY n.nspname, c.relname, a.attnum"
    ):
        table = cat.tables.get(_pg_key(rel, nsp))
        if table is None:
            continue
        ctype, serial = normalise_type(typ)
        col = Column(att, ctype, nullable=not notnull, comment=comment)
        if gen:
            col.generated = dflt
        elif dflt and dflt.startswith("nextval("):
            col.identity = True
        else:
            col.default = normalise_default(dflt, "postgres")
        if ident:
            col.identity = True
            col.identity_always = ident == "a"
        table.columns.append(col)
    for nsp, rel, comment in box.query(
        "SELECT n.nspname, c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c "
        f"JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p') AND {_PG_NS}"
    ):
        if (table := cat.tables.get(_pg_key(rel, nsp))) is not None:
            table.comment = comment
    _pg_constraints(box, cat)
    _pg_indexes(box, cat)
    _pg_views(box, cat)
    _pg_types(box, cat)
    return cat


def _pg_constraints(box, cat: Catalog) -> None:
    rows = box.query(
        "SELECT n.nspname, c.relname, con.conname, con.contype, "
        "ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o) "
        "  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o), "
        "fn.nspname, fc.relname, "
        "ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o) "
        "  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o), "
        "con.confdeltype, con.confupdtype, pg_get_constraintdef(con.oid) "
        "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_class fc ON fc.oid = con.confrelid "
        "LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace "
        f"WHERE {_PG_NS} AND con.conislocal ORDER BY 1, 2, 3"
    )
    for nsp, rel, name, kind, cols, fnsp, frel, fcols, deltype, updtype, definition in rows:
        table = cat.tables.get(_pg_key(rel, nsp))
        if table is None:
            continue
        cols = tuple(cols)
        if kind == "p":
            table.primary_key = PrimaryKey(cols, name)
        elif kind == "u":
            timing = definition.upper()
            table.uniques.append(Unique(cols, name, deferrable=" DEFERRABLE" in timing and
                                        "NOT DEFERRABLE" not in timing,
                                        initially_deferred="INITIALLY DEFERRED" in timing,
                                        nulls_not_distinct="NULLS NOT DISTINCT" in timing))
        elif kind == "f":
            table.foreign_keys.append(ForeignKey(
                cols, _pg_key(frel, fnsp), tuple(fcols),
                _FK_ACTIONS.get(deltype, "no action"), _FK_ACTIONS.get(updtype, "no action"),
                name))
        elif kind == "c":
            expr = re.sub(r"^CHECK\s*", "", definition)
            table.checks.append(Check(expr, name))


def _pg_indexes(box, cat: Catalog) -> None:
    rows = box.query(
        "SELECT n.nspname, t.relname, i.relname, ix.indisunique, "
        "ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) "
        "      FROM generate_series(1, ix.indnkeyatts) k ORDER BY k), "
        "pg_get_expr(ix.indpred, ix.indrelid, true), am.amname "
        "FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid "
        "JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
        "JOIN pg_am am ON am.oid = i.relam "
        f"WHERE {_PG_NS} AND t.relkind IN ('r', 'p', 'm') "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid "
        "                AND con.contype IN ('p', 'u', 'x')) ORDER BY 1, 2, 3"
    )
    for nsp, rel, iname, unique, cols, where, am in rows:
        parts = tuple(_pg_index_part(c) for c in cols)
        exprs = tuple(not re.fullmatch(r'"(?:[^"]|"")+"|[\w$]+', c) for c in cols)
        cat.add_index(Index(iname, _pg_key(rel, nsp), parts, bool(unique),
                            _norm_where(where, "postgres"), None if am == "btree" else am,
                            exprs=exprs))


def _pg_index_part(text: str) -> str:
    if re.fullmatch(r'"(?:[^"]|"")+"', text):  # pg_get_indexdef quotes names that need it
        return text[1:-1].replace('""', '"')
    if re.fullmatch(r'[\w$]+', text):
        return text
    return _norm_where(text, "postgres") or text


def _pg_views(box, cat: Catalog) -> None:
    rows = box.query(
        "SELECT n.nspname, c.relname, c.relkind = 'm', pg_get_viewdef(c.oid, true), "
        "ARRAY(SELECT attname FROM pg_attribute WHERE attrelid = c.oid AND attnum > 0 "
        "      ORDER BY attnum) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE c.relkind IN ('v', 'm') AND {_PG_NS} ORDER BY 1, 2"
    )
    for nsp, rel, mat, definition, cols in rows:
        key = _pg_key(rel, nsp)
        cat.views[key] = View(key, definition or "", None if nsp == "public" else nsp,
                              tuple(cols), bool(mat))


def _pg_types(box, cat: Catalog) -> None:
    for nsp, name, kind, base, labels in box.query(
        "SELECT n.nspname, t.typname, t.typtype, format_type(t.typbasetype, t.typtypmod), "
        "ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid "
        "      ORDER BY e.enumsortorder) "
        "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        f"WHERE t.typtype IN ('e', 'd') AND {_PG_NS} ORDER BY 1, 2"
    ):
        key = _pg_key(name, nsp)
        if kind == "e":
            cat.enums[key] = EnumType(key, tuple(labels))
        else:
            cat.enums[key] = EnumType(key, base=normalise_type(base)[0])
    for nsp, name in box.query(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n "
        "ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND " + _PG_NS + " "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'i') "
        "ORDER BY 1, 2"
    ):
        key = _pg_key(name, nsp)
        cat.sequences[key] = Sequence(key)


# -- MySQL / MariaDB ------------------------------------------------------------------------
def _mysql(box) -> Catalog:
    cat = Catalog(dialect="mysql")
    db = box.dbname
    for name, kind, comment in box.query(
        "SELECT TABLE_NAME, TABLE_TYPE, TABLE_COMMENT FROM information_schema.TABLES "
        "WHERE TABLE_SCHEMA = %s ORDER BY TABLE_NAME", (db,)
    ):
        if kind == "BASE TABLE":
            cat.add_table(Table(name.lower(), comment=comment or None))
    for tname, cname, ctype, nullable, dflt, extra, gen_expr, comment in box.query(
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, "
        "GENERATION_EXPRESSION, COLUMN_COMMENT FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = %s ORDER BY TABLE_NAME, ORDINAL_POSITION", (db,)
    ):
        table = cat.tables.get(tname.lower())
        if table is None:
            continue
        ctype_n, _serial = declared_type(ctype, box.dialect)
        extra = (extra or "").lower()
        col = Column(cname.lower(), ctype_n, nullable=nullable == "YES",
                     identity="auto_increment" in extra, comment=comment or None)
        if (on_update := _ON_UPDATE.search(extra)) is not None:  # MariaDB / MySQL spellings
            col.on_update = normalise_on_update(on_update.group(1))
        if "generated" in extra or gen_expr:
            col.generated = gen_expr or "generated"
        else:
            col.default = _mysql_default(dflt, ctype_n)
            if ctype_n == "boolean" and col.default in ("0", "1"):
                col.default = "true" if col.default == "1" else "false"
        table.columns.append(col)
    constraints: dict[tuple[str, str], tuple[str, list]] = {}
    for tname, cname, kind in box.query(
        "SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE FROM "
        "information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = %s", (db,)
    ):
        constraints[(tname.lower(), cname)] = (kind, [])
    rules = {
        (t.lower(), n): (d.lower(), u.lower())
        for t, n, d, u in box.query(
            "SELECT TABLE_NAME, CONSTRAINT_NAME, DELETE_RULE, UPDATE_RULE FROM "
            "information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = %s", (db,))
    }
    fk_cols: dict[tuple[str, str], list] = {}
    for tname, cname, col, rtable, rcol in box.query(
        "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, "
        "REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
        "WHERE TABLE_SCHEMA = %s ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION", (db,)
    ):
        key = (tname.lower(), cname)
        if key in constraints:
            constraints[key][1].append(col.lower())
        if rtable:
            fk_cols.setdefault(key, []).append((col.lower(), rtable.lower(), rcol.lower()))
    unique_names = set()
    try:  # MariaDB 10.2+ / MySQL 8.0.16+
        check_clauses = {(t.lower(), n): c for t, n, c in box.query(
            "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM "
            "information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = %s", (db,))}
    except Exception:  # noqa: BLE001 - older servers: names only
        check_clauses = {}
    for (tname, cname), (kind, cols) in sorted(constraints.items()):
        table = cat.tables.get(tname)
        if table is None:
            continue
        if kind == "PRIMARY KEY":
            table.primary_key = PrimaryKey(tuple(cols))
        elif kind == "UNIQUE":
            table.uniques.append(Unique(tuple(cols), cname.lower()))
            unique_names.add((tname, cname))
        elif kind == "FOREIGN KEY":
            parts = fk_cols.get((tname, cname), [])
            on_delete, on_update = rules.get((tname, cname), ("no action", "no action"))
            table.foreign_keys.append(ForeignKey(
                tuple(p[0] for p in parts), parts[0][1] if parts else "?",
                tuple(p[2] for p in parts), _mysql_action(on_delete), _mysql_action(on_update),
                cname.lower()))
        elif kind == "CHECK":
            table.checks.append(Check(check_clauses.get((tname, cname), ""), cname.lower()))
    indexes: dict[tuple[str, str], dict] = {}
    for tname, iname, non_unique, col, _seq, sub_part in box.query(
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SEQ_IN_INDEX, SUB_PART FROM "
        "information_schema.STATISTICS WHERE TABLE_SCHEMA = %s "
        "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX", (db,)
    ):
        entry = indexes.setdefault((tname.lower(), iname),
                                   {"unique": not non_unique, "cols": [], "lengths": []})
        entry["cols"].append((col or "<expr>").lower())
        entry["lengths"].append(int(sub_part) if sub_part is not None else None)
    by_name = {(t, n.lower()): e for (t, n), e in indexes.items()}
    for table in cat.tables.values():  # a unique key's prefix lengths live with its index
        for u in table.uniques:
            entry = by_name.get((table.name, (u.name or "").lower()), {})
            if any(entry.get("lengths", ())):
                u.lengths = tuple(entry["lengths"])
    for (tname, iname), entry in sorted(indexes.items()):
        table = cat.tables.get(tname)
        if iname == "PRIMARY" or (tname, iname) in unique_names or table is None:
            continue
        cols = tuple(entry["cols"])
        implicit_fk = any(f.name == iname.lower() and f.columns == cols
                          for f in table.foreign_keys)
        if implicit_fk:
            continue  # the index InnoDB adds for a foreign key that had none
        cat.add_index(Index(iname.lower(), tname, cols, entry["unique"]))
    for name, definition in box.query(
        "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS "
        "WHERE TABLE_SCHEMA = %s", (db,)
    ):
        cols = tuple(r[0].lower() for r in box.query(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s AND "
            "TABLE_NAME = %s ORDER BY ORDINAL_POSITION", (db, name)))
        cat.views[name.lower()] = View(name.lower(), definition or "", None, cols)
    return cat


def _mysql_action(rule: str) -> str:
    return "no action" if rule == "restrict" else rule


_ON_UPDATE = re.compile(r"\bon update (\S+)")


def _mysql_default(dflt: str | None, ctype: str) -> str | None:
    if dflt is None:
        return None
    # MariaDB quotes string defaults ('abc') and spells NULL; MySQL gives the bare value
    if dflt.upper() == "NULL":
        return None
    if re.fullmatch(r"current_timestamp(\(\d*\))?", dflt, re.I):
        return "current_timestamp"
    if len(dflt) >= 2 and dflt[0] == dflt[-1] == "'":
        return dflt[1:-1].replace("''", "'")
    return normalise_default(dflt, "mysql")
