"""``ddl.write_catalog``: the whole DDL of a catalog, in the order an engine applies it.

The exact SQL for comments (PostgreSQL statements, MySQL inline), table options (MySQL,
PostgreSQL partitions, SQLite STRICT); and two tables that reference each other applied
statement by statement, in the written order, on real engines.
"""

from __future__ import annotations

import pytest

from archkit.schema.ddl import write_catalog
from archkit.schema.engines import sandbox
from archkit.schema.parse import parse_schema


def written(sql: str, dialect: str) -> str:
    return write_catalog(parse_schema(sql, dialect).catalog, dialect)


def test_postgres_comments_are_comment_on_statements_after_the_objects():
    sql = """
    CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
    COMMENT ON TABLE users IS 'people who log in';
    COMMENT ON COLUMN users.email IS 'unique per user, it''s the login';
    CREATE VIEW active AS SELECT id FROM users;
    COMMENT ON VIEW active IS 'users that can log in';
    """
    assert written(sql, "postgres") == (
        "CREATE TABLE users (\n"
        "  id bigint NOT NULL,\n"
        "  email text NOT NULL,\n"
        "  PRIMARY KEY (id)\n"
        ");\n"
        "CREATE VIEW active AS SELECT id FROM users;\n"
        "COMMENT ON TABLE users IS 'people who log in';\n"
        "COMMENT ON COLUMN users.email IS 'unique per user, it''s the login';\n"
        "COMMENT ON VIEW active IS 'users that can log in';\n"
    )


def test_mysql_comments_and_options_are_written_inline():
    sql = """
    CREATE TABLE users (
      id bigint NOT NULL AUTO_INCREMENT,
      email varchar(255) NOT NULL COMMENT 'the login',
      PRIMARY KEY (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='people who log in';
    """
    assert written(sql, "mysql") == (
        "CREATE TABLE users (\n"
        "  id bigint NOT NULL AUTO_INCREMENT,\n"
        "  email varchar(255) NOT NULL COMMENT 'the login',\n"
        "  PRIMARY KEY (id)\n"
        ") ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4 COMMENT='people who log in';\n"
    )


def test_mysql_primary_key_name_is_not_kept_because_mysql_calls_it_primary():
    cat = parse_schema("CREATE TABLE t (id int, CONSTRAINT pk_t PRIMARY KEY (id));",
                       "mysql").catalog
    assert cat.tables["t"].primary_key.name is None
    assert "pk_t" not in write_catalog(cat, "mysql")


def test_postgres_partitioned_table_and_its_partitions():
    sql = """
    CREATE TABLE logs (id bigint NOT NULL, created_at timestamp NOT NULL)
      PARTITION BY RANGE (created_at);
    CREATE TABLE logs_2024 PARTITION OF logs
      FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    CREATE TABLE logs_old (id bigint NOT NULL, created_at timestamp NOT NULL);
    ALTER TABLE ONLY logs ATTACH PARTITION logs_old DEFAULT;
    """
    assert written(sql, "postgres") == (
        "CREATE TABLE logs (\n"
        "  id bigint NOT NULL,\n"
        "  created_at timestamp NOT NULL\n"
        ") PARTITION BY RANGE(created_at);\n"
        "CREATE TABLE logs_2024 PARTITION OF logs FOR VALUES FROM ('2024-01-01') TO "
        "('2025-01-01');\n"
        "CREATE TABLE logs_old PARTITION OF logs DEFAULT;\n"
    )


def test_a_column_check_stays_on_its_column_and_no_inherit_stays():
    sql = "CREATE TABLE t (n int CONSTRAINT positive CHECK (n > 0) NO INHERIT, m int);"
    assert written(sql, "postgres") == (
        "CREATE TABLE t (\n"
        "  n integer CONSTRAINT positive CHECK (n > 0) NO INHERIT,\n"
        "  m integer\n"
        ");\n"
    )


def test_sqlite_strict_table():
    sql = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;"
    assert written(sql, "sqlite").endswith(") STRICT;\n")
    with sandbox("sqlite") as box:
        assert box.execute_script(written(sql, "sqlite")).ok
        strict = box.query("SELECT strict FROM pragma_table_list WHERE name = 't'")
    assert strict == [(1,)]


def test_named_types_in_a_schema_get_their_schema_first():
    sql = "CREATE TYPE billing.state AS ENUM ('open', 'paid');"
    assert written(sql, "postgres") == (
        "CREATE SCHEMA IF NOT EXISTS billing;\n"
        "CREATE TYPE billing.state AS ENUM ('open', 'paid');\n"
    )


# -- two tables that reference each other, applied in the written order --------------------
CYCLE = """
CREATE TABLE store (
  id int PRIMARY KEY,
  manager_id int NOT NULL,
  CONSTRAINT fk_store_manager FOREIGN KEY (manager_id) REFERENCES staff (id)
);
CREATE TABLE staff (
  id int PRIMARY KEY,
  store_id int NOT NULL,
  CONSTRAINT fk_staff_store FOREIGN KEY (store_id) REFERENCES store (id)
);
"""


def test_a_foreign_key_cycle_is_closed_with_alter_table_after_both_tables():
    assert written(CYCLE, "postgres") == (
        "CREATE TABLE store (\n"
        "  id integer NOT NULL,\n"
        "  manager_id integer NOT NULL,\n"
        "  PRIMARY KEY (id)\n"
        ");\n"
        "CREATE TABLE staff (\n"
        "  id integer NOT NULL,\n"
        "  store_id integer NOT NULL,\n"
        "  PRIMARY KEY (id),\n"
        "  CONSTRAINT fk_staff_store FOREIGN KEY (store_id) REFERENCES store (id)\n"
        ");\n"
        "ALTER TABLE store ADD CONSTRAINT fk_store_manager FOREIGN KEY (manager_id) "
        "REFERENCES staff (id);\n"
    )


@pytest.mark.parametrize("engine", ["pg_dsn", "mysql_dsn"])
def test_a_foreign_key_cycle_applies_in_order_on_the_engine(engine, request):
    dialect = "postgres" if engine == "pg_dsn" else "mysql"
    with sandbox(request.getfixturevalue(engine)) as box:
        result = box.execute_script(written(CYCLE, dialect))  # stops at the first error
        assert result.errors == []
        got = box.introspect()
    keys = {(key.lower(), fk.columns, fk.ref_table.lower(), fk.name)
            for key, t in got.tables.items() for fk in t.foreign_keys}
    assert keys == {("store", ("manager_id",), "staff", "fk_store_manager"),
                    ("staff", ("store_id",), "store", "fk_staff_store")}


PARTITIONED = """
CREATE TABLE logs (id bigint NOT NULL, created_at timestamp NOT NULL CHECK (id > 0))
  PARTITION BY RANGE (created_at);
CREATE TABLE logs_2024 PARTITION OF logs (PRIMARY KEY (id, created_at))
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE logs_rest PARTITION OF logs DEFAULT;
"""


def test_partitions_written_give_the_same_tables_on_postgres(pg_dsn):
    with sandbox(pg_dsn) as box:
        assert box.execute_script(PARTITIONED).errors == []
        want = box.introspect()
    with sandbox(pg_dsn) as box:
        assert box.execute_script(written(PARTITIONED, "postgres")).errors == []
        got = box.introspect()
        bounds = box.query("SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_class "
                           "c WHERE c.relispartition ORDER BY 1")
    assert want.compare(got) == []
    assert got.tables["logs_2024"].primary_key.columns == ("id", "created_at")
    assert bounds == [("logs_2024", "FOR VALUES FROM ('2024-01-01 00:00:00') TO "
                                    "('2025-01-01 00:00:00')"), ("logs_rest", "DEFAULT")]


def test_every_mysql_table_option_is_written_back():
    sql = ("CREATE TABLE t (a int NOT NULL, PRIMARY KEY (a)) ENGINE=InnoDB ROW_FORMAT=COMPRESSED "
           "KEY_BLOCK_SIZE=8 AUTO_INCREMENT=10 COLLATE=utf8mb4_bin;")
    assert written(sql, "mysql").endswith(
        ") ENGINE=InnoDB ROW_FORMAT=COMPRESSED KEY_BLOCK_SIZE=8 AUTO_INCREMENT=10 "
        "COLLATE=utf8mb4_bin;\n")


def test_options_sqlglot_cannot_read_are_kept_as_written():
    mysql = "CREATE TABLE t (a int NOT NULL, PRIMARY KEY (a)) PARTITION BY HASH (a) PARTITIONS 4;"
    assert written(mysql, "mysql").endswith(") PARTITION BY HASH (a) PARTITIONS 4;\n")
    sqlite = "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT) WITHOUT ROWID, STRICT;"
    assert written(sqlite, "sqlite").endswith(") WITHOUT ROWID, STRICT;\n")
    with sandbox("sqlite") as box:
        assert box.execute_script(written(sqlite, "sqlite")).ok
        flags = box.query("SELECT wr, strict FROM pragma_table_list WHERE name = 't'")
    assert flags == [(1, 1)]


def test_options_are_left_out_with_a_note_to_another_dialect():
    from archkit.schema.transpile import transpile_schema

    out = transpile_schema("CREATE TABLE t (a int PRIMARY KEY) ENGINE=InnoDB "
                           "DEFAULT CHARSET=utf8mb4;", "mysql", "postgres")
    assert "ENGINE" not in out.sql and "CHARACTER SET" not in out.sql
    assert sorted(n.message for n in out.notes if n.code == "SC402") == [
        "table t: CHARACTERSET (DEFAULT CHARACTER SET=utf8mb4) dropped",
        "table t: ENGINE (ENGINE=InnoDB) dropped"]


ROUTINES = """
CREATE FUNCTION open_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM ticket $$;
CREATE FUNCTION next_code() RETURNS text LANGUAGE sql AS $$ SELECT 'T-' || 1 $$;
CREATE TABLE ticket (id int PRIMARY KEY, code text DEFAULT next_code());
CREATE VIEW ticket_summary AS SELECT open_count() AS open_tickets;
"""


def test_a_routine_that_reads_a_table_comes_after_it_and_one_a_table_calls_before(pg_dsn):
    """PostgreSQL checks a LANGUAGE sql body when the function is created: the one that
    reads ``ticket`` must follow the table, the one its default calls must precede it."""
    from archkit.migrations.source import parse_source

    source, _ = parse_source(ROUTINES, "postgres")
    sql = write_catalog(source.catalog, "postgres", source=source)
    assert sql.index("FUNCTION next_code") < sql.index("CREATE TABLE ticket") \
        < sql.index("FUNCTION open_count") < sql.index("CREATE VIEW ticket_summary")
    with sandbox(pg_dsn) as box:
        assert box.execute_script(sql).errors == []  # in the written order, no retry
        assert box.query("SELECT open_tickets FROM ticket_summary") == [(0,)]
