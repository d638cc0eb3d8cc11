"""What the catalog reads, the migration writes back: typed literals, index details, order."""

from __future__ import annotations

from archkit.migrations.diff import diff_sql
from archkit.schema.engines import sandbox
from archkit.schema.transpile import transpile_schema

TYPED = ("a interval DEFAULT interval '2 days', b money DEFAULT money '1.00', "
         "c timestamp DEFAULT (current_timestamp AT TIME ZONE 'utc'), "
         "d int[] DEFAULT array[1, 2], e int[][] DEFAULT array[array[1, 2]], "
         "f numeric DEFAULT '1.5'::numeric")
PLAIN = "a interval, b money, c timestamp, d int[], e int[][], f numeric"


def _defaults(box, table: str) -> dict[str, str]:
    return dict(box.query(
        "SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
        "JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "WHERE a.attrelid = %s::regclass", (table,)))


def test_typed_literal_defaults_are_written_as_expressions():
    mig = diff_sql(f"CREATE TABLE t (id int PRIMARY KEY, {PLAIN});",
                   f"CREATE TABLE t (id int PRIMARY KEY, {TYPED});", "postgres")
    up = "\n".join(mig.up)
    assert "SET DEFAULT INTERVAL '2 DAYS'" in up  # an interval, not the string 'interval ...'
    assert "SET DEFAULT CAST('1.00' AS MONEY)" in up
    assert "SET DEFAULT (CURRENT_TIMESTAMP AT TIME ZONE 'utc')" in up
    assert "SET DEFAULT ARRAY[ARRAY[1, 2]]" in up
    assert "'interval" not in up and "'array" not in up


def test_typed_literal_defaults_apply_like_the_schema_itself(pg_dsn):
    old = f"CREATE TABLE t (id int PRIMARY KEY, {PLAIN});"
    new = f"CREATE TABLE t (id int PRIMARY KEY, {TYPED});"
    mig = diff_sql(old, new, "postgres")
    with sandbox(pg_dsn) as box:
        box.execute_script(old).raise_for_errors()
        box.execute_script(";\n".join(mig.up) + ";").raise_for_errors()
        migrated = _defaults(box, "t")
        box.execute_script(";\n".join(mig.down) + ";").raise_for_errors()
        assert _defaults(box, "t") == {}
    with sandbox(pg_dsn) as box:
        box.execute_script(new).raise_for_errors()
        wanted = _defaults(box, "t")
    assert migrated == wanted and len(wanted) == 6


def test_transpile_renders_typed_defaults_for_the_target():
    pg = transpile_schema(f"CREATE TABLE t (id int PRIMARY KEY, {TYPED});", "postgres",
                          "postgres").sql
    assert "DEFAULT interval '2 days'" in pg.lower() or "DEFAULT INTERVAL '2 DAYS'" in pg
    mysql = transpile_schema("CREATE TABLE t (id int PRIMARY KEY, "
                             "a datetime DEFAULT current_timestamp);", "postgres", "mysql")
    assert "DEFAULT CURRENT_TIMESTAMP" in mysql.sql


def test_collation_and_comment_survive_a_migration(pg_dsn, mysql_dsn):
    cases = {
        "postgres": (pg_dsn, 'b text COLLATE "C"',
                     "SELECT collation_name FROM information_schema.columns "
                     "WHERE table_name = 't' AND column_name = 'b'"),
        "mysql": (mysql_dsn, "b varchar(20) COLLATE utf8mb4_bin COMMENT 'the b'",
                  "SELECT collation_name, column_comment FROM information_schema.columns "
                  "WHERE table_schema = DATABASE() AND table_name = 't' AND column_name = 'b'"),
    }
    for dialect, (dsn, column, query) in cases.items():
        old = "CREATE TABLE t (id int PRIMARY KEY);"
        new = f"CREATE TABLE t (id int PRIMARY KEY, {column});"
        with sandbox(dsn) as box:
            box.execute_script(new).raise_for_errors()
            wanted = box.query(query)
        for sql in (";\n".join(diff_sql(old, new, dialect).up),
                    transpile_schema(new, dialect, dialect).sql):
            with sandbox(dsn) as box:
                if "ALTER" in sql:  # the migration runs on the old schema
                    box.execute_script(old).raise_for_errors()
                box.execute_script(sql).raise_for_errors()
                assert box.query(query) == wanted, (dialect, sql)
        assert wanted[0][0] in ("C", "utf8mb4_bin")


def test_comments_are_migrated_both_ways(pg_dsn, mysql_dsn):
    cases = {
        "postgres": (pg_dsn, "CREATE TABLE t (id int PRIMARY KEY, a int);\n"
                     "COMMENT ON TABLE t IS 'the t';\nCOMMENT ON COLUMN t.a IS 'it''s a';\n",
                     "SELECT obj_description('t'::regclass, 'pg_class'), "
                     "col_description('t'::regclass, 2)"),
        "mysql": (mysql_dsn, "CREATE TABLE t (id int PRIMARY KEY, a int COMMENT 'it''s a') "
                  "COMMENT='the t';",
                  "SELECT t.table_comment, c.column_comment FROM information_schema.tables t "
                  "JOIN information_schema.columns c ON c.table_schema = t.table_schema AND "
                  "c.table_name = t.table_name WHERE t.table_schema = DATABASE() AND "
                  "t.table_name = 't' AND c.column_name = 'a'"),
    }
    old = "CREATE TABLE t (id int PRIMARY KEY, a int);"
    for dialect, (dsn, new, query) in cases.items():
        mig = diff_sql(old, new, dialect)
        with sandbox(dsn) as box:
            box.execute_script(old).raise_for_errors()
            empty = box.query(query)
            for statement in mig.up:
                box.execute(statement)
            assert box.query(query) == [("the t", "it's a")], dialect
            for statement in mig.down:
                box.execute(statement)
            assert box.query(query) == empty, dialect


def test_mysql_reads_its_own_numeric_type_names(mysql_dsn):
    # MySQL's FLOAT is single precision, REAL double, MEDIUMINT 3 bytes: a change between
    # them is a change, written with the engine's meaning, and the engine agrees
    from archkit.migrations.diff import Migration
    from archkit.migrations.verify import verify

    for old, new, written in [("int", "float", "float"), ("int", "mediumint", "mediumint"),
                              ("float", "real", "double"), ("double", "float(10)", "float"),
                              ("float(6,2)", "float(8,2)", "float(8,2)")]:
        cur, des = f"CREATE TABLE r (v {old});", f"CREATE TABLE r (v {new});"
        mig = diff_sql(cur, des, "mysql", allow_destructive=True)
        assert mig.up == [f"ALTER TABLE r MODIFY COLUMN v {written}"], (old, new, mig.up)
        assert verify(cur, des, mig, engine=mysql_dsn).passed, (old, new)
    # the check on the engine tells them apart too: doing nothing is not enough
    cur, des = "CREATE TABLE r (v int);", "CREATE TABLE r (v mediumint);"
    assert not verify(cur, des, Migration("mysql"), engine=mysql_dsn).passed
    cur, des = "CREATE TABLE r (v float);", "CREATE TABLE r (v double);"
    assert not verify(cur, des, Migration("mysql"), engine=mysql_dsn).passed


def test_mysql_unsigned_is_part_of_the_type(mysql_dsn):
    # a column becoming UNSIGNED (or signed again) is a change, on the engine too
    from archkit.migrations.diff import Migration
    from archkit.migrations.verify import verify

    for old, new, written in [("int", "int unsigned", "integer unsigned"),
                              ("bigint unsigned", "bigint", "bigint"),
                              ("decimal(6,2)", "decimal(6,2) unsigned", "numeric(6,2) unsigned"),
                              ("smallint", "smallint(5) unsigned zerofill",
                               "smallint unsigned zerofill")]:
        cur, des = f"CREATE TABLE u (n {old});", f"CREATE TABLE u (n {new});"
        mig = diff_sql(cur, des, "mysql", allow_destructive=True)
        assert mig.up == [f"ALTER TABLE u MODIFY COLUMN n {written}"], (old, new, mig.up)
        assert verify(cur, des, mig, engine=mysql_dsn).passed, (old, new)
    assert not verify("CREATE TABLE u (n int);", "CREATE TABLE u (n int unsigned);",
                      Migration("mysql"), engine=mysql_dsn).passed
    # other dialects have no unsigned types: a transpiled column is signed there
    from archkit.schema.transpile import transpile_schema

    out = transpile_schema("CREATE TABLE u (n int unsigned NOT NULL);", "mysql", "postgres")
    assert "unsigned" not in out.sql.lower().split("--")[0]


def test_mysql_spatial_columns_are_understood(mysql_dsn):
    # POINT, POLYGON...: sqlglot's MySQL parser knows GEOMETRY only; the table is read whole
    from archkit.migrations.verify import verify
    from archkit.schema.parse import parse_schema

    cur = "CREATE TABLE site (id int NOT NULL, area polygon);"
    des = ("CREATE TABLE site (id int NOT NULL, area polygon NOT NULL, spot point NOT NULL, "
           "SPATIAL INDEX site_spot (spot));")
    parsed = parse_schema(des, "mysql")
    assert not [f for f in parsed.findings if f.code.startswith("SC0")], parsed.findings
    assert [c.type for c in parsed.catalog.tables["site"].columns] == ["integer", "polygon",
                                                                      "point"]
    mig = diff_sql(cur, des, "mysql", allow_destructive=True)
    assert "ALTER TABLE site ADD COLUMN spot point NOT NULL" in mig.up
    assert not [f for f in mig.findings if f.code in ("MG007", "MG008")]
    assert verify(cur, des, mig, engine=mysql_dsn).passed


def test_mysql_fractional_seconds_are_part_of_the_type(mysql_dsn):
    # MySQL's datetime keeps whole seconds; datetime(6) is a change (PostgreSQL's (6) is not)
    from archkit.migrations.diff import Migration
    from archkit.migrations.verify import verify

    for old, new, written in [("datetime", "datetime(6)", "datetime(6)"),
                              ("datetime(3)", "datetime(6)", "datetime(6)"),
                              ("time(6)", "time", "time")]:
        cur, des = f"CREATE TABLE e (at {old});", f"CREATE TABLE e (at {new});"
        mig = diff_sql(cur, des, "mysql", allow_destructive=True)
        assert mig.up == [f"ALTER TABLE e MODIFY COLUMN at {written}"], (old, new, mig.up)
        assert verify(cur, des, mig, engine=mysql_dsn).passed, (old, new)
    assert diff_sql("CREATE TABLE e (at datetime(0));", "CREATE TABLE e (at datetime);",
                    "mysql").up == []
    assert diff_sql("CREATE TABLE e (at timestamp(6));", "CREATE TABLE e (at timestamp);",
                    "postgres").up == []
    assert not verify("CREATE TABLE e (at datetime);", "CREATE TABLE e (at datetime(6));",
                      Migration("mysql"), engine=mysql_dsn).passed


def test_a_columns_collation_or_character_set_alone_is_migrated(pg_dsn, mysql_dsn):
    # a change of COLLATE (or MySQL's CHARACTER SET / BINARY) with nothing else changing
    from archkit.migrations.diff import Migration
    from archkit.migrations.verify import verify

    cases = {
        "postgres": (pg_dsn, [("title text", 'title text COLLATE "C"',
                               'ALTER TABLE p ALTER COLUMN title TYPE text COLLATE "C"'),
                              ('title text COLLATE "C"', "title text",
                               'ALTER TABLE p ALTER COLUMN title TYPE text COLLATE "default"')]),
        "mysql": (mysql_dsn, [("title varchar(9)", "title varchar(9) CHARACTER SET latin1",
                               "ALTER TABLE p MODIFY COLUMN title varchar(9) CHARACTER SET "
                               "latin1"),
                              ("title varchar(9)", "title varchar(9) BINARY",
                               "ALTER TABLE p MODIFY COLUMN title varchar(9) BINARY"),
                              ("title varchar(9) COLLATE utf8mb4_bin", "title varchar(9)",
                               "ALTER TABLE p MODIFY COLUMN title varchar(9)")]),
    }
    for dialect, (dsn, steps) in cases.items():
        for old, new, written in steps:
            cur, des = f"CREATE TABLE p ({old});", f"CREATE TABLE p ({new});"
            mig = diff_sql(cur, des, dialect, allow_destructive=True)
            assert mig.up == [written], (dialect, old, new, mig.up)
            assert verify(cur, des, mig, engine=dsn).passed, (dialect, old, new)
            # the engine's collations are compared: doing nothing is a difference
            assert not verify(cur, des, Migration(dialect), engine=dsn).passed


def test_postgres_float_with_a_precision_is_real_or_double(pg_dsn):
    # FLOAT(p) is real up to 24 bits, double precision above (was written double precision(p))
    from archkit.migrations.verify import verify

    cur, des = "CREATE TABLE m (v float(24));", "CREATE TABLE m (v float(53));"
    mig = diff_sql(cur, des, "postgres", allow_destructive=True)
    assert mig.up == ["ALTER TABLE m ALTER COLUMN v TYPE double precision "
                      "USING v::double precision"]
    assert verify(cur, des, mig, engine=pg_dsn).passed
    assert diff_sql("CREATE TABLE m (v real);", "CREATE TABLE m (v float(10));",
                    "postgres").up == []


def test_down_puts_back_the_comments_of_what_up_dropped(pg_dsn):
    # a dropped table or column comes back with its comments; a renamed one keeps its own
    from archkit.migrations.verify import verify

    shelf = ("CREATE TABLE shelf (id int,\n label text,\n spare text);\n"
             "COMMENT ON TABLE shelf IS 'where books stand';\n"
             "COMMENT ON COLUMN shelf.label IS 'as painted';\n"
             "COMMENT ON COLUMN shelf.spare IS 'unused';\n")
    for cur, des in [(shelf, ""),
                     (shelf, shelf.replace(",\n spare text", "").replace(
                         "COMMENT ON COLUMN shelf.spare IS 'unused';\n", "")),
                     (shelf, shelf.replace("label text,",
                                           "tag text, -- archkit: renamed from label")
                      .replace("shelf.label IS 'as painted'", "shelf.tag IS 'as written'"))]:
        mig = diff_sql(cur, des, "postgres", allow_destructive=True)
        assert verify(cur, des, mig, engine=pg_dsn).passed, (des, mig.down)


def test_unique_nulls_not_distinct_and_exclusion_constraints_are_migrated(pg_dsn):
    # NULLS NOT DISTINCT on a unique key, and EXCLUDE constraints, changed alone
    from archkit.migrations.diff import Migration
    from archkit.migrations.verify import verify

    room = "CREATE TABLE room (n int, m int, span tsrange{});"
    steps = [(room.format(", CONSTRAINT room_nm UNIQUE (n, m)"),
              room.format(", CONSTRAINT room_nm UNIQUE NULLS NOT DISTINCT (n, m)")),
             (room.format(""), room.format(", CONSTRAINT no_overlap EXCLUDE USING gist "
                                           "(span WITH &&)")),
             (room.format(", CONSTRAINT no_twin EXCLUDE (n WITH =)"),
              room.format(", CONSTRAINT no_twin EXCLUDE USING gist (span WITH &&)"))]
    for cur, des in steps:
        mig = diff_sql(cur, des, "postgres", allow_destructive=True)
        assert mig.up, (cur, des)
        assert verify(cur, des, mig, engine=pg_dsn).passed, (cur, des, mig.up)
        # the engine's indexes are compared by what they are: doing nothing shows
        assert not verify(cur, des, Migration("postgres"), engine=pg_dsn).passed
    # an unnamed one cannot be dropped by name: said, not guessed
    mig = diff_sql(room.format(""), room.format(", EXCLUDE USING gist (span WITH &&)"),
                   "postgres")
    assert mig.up == [] and [f for f in mig.findings if f.code == "MG008"]


def test_mysql_table_options_are_migrated_or_reported(mysql_dsn):
    # ENGINE= / ROW_FORMAT= are altered; a default character set converts the text columns
    from archkit.migrations.diff import Migration
    from archkit.migrations.verify import verify

    cur, des = "CREATE TABLE log (n int) ENGINE=InnoDB;", "CREATE TABLE log (n int) ENGINE=MyISAM;"
    mig = diff_sql(cur, des, "mysql", allow_destructive=True)
    assert mig.up == ["ALTER TABLE log ENGINE=MyISAM"]
    assert verify(cur, des, mig, engine=mysql_dsn).passed
    assert not verify(cur, des, Migration("mysql"), engine=mysql_dsn).passed
    cur = ("CREATE TABLE log (s varchar(9), b varchar(9) BINARY, "
           "o varchar(9) CHARACTER SET ascii) DEFAULT CHARSET=utf8mb4;")
    des = cur.replace("DEFAULT CHARSET=utf8mb4", "DEFAULT CHARSET=latin1").replace(
        "o varchar(9)", "n text, o varchar(9)")
    mig = diff_sql(cur, des, "mysql", allow_destructive=True)
    # the table's set and, with it, each text column that has none of its own
    assert mig.up[0] == ("ALTER TABLE log DEFAULT CHARACTER SET=latin1, "
                         "MODIFY COLUMN s varchar(9), "
                         "MODIFY COLUMN b varchar(9) BINARY")
    assert not [f for f in mig.findings if f.code == "MG008"]
    assert verify(cur, des, mig, engine=mysql_dsn).passed
    with sandbox(mysql_dsn) as box:
        box.execute_script(cur).raise_for_errors()
        box.execute_script(";\n".join(mig.up) + ";").raise_for_errors()
        sets = "SELECT column_name, collation_name FROM information_schema.columns WHERE " \
               "table_schema = DATABASE() AND table_name = 'log' ORDER BY column_name"
        assert box.query(sets) == [("b", "latin1_bin"), ("n", "latin1_swedish_ci"),
                                   ("o", "ascii_general_ci"), ("s", "latin1_swedish_ci")]
        box.execute_script(";\n".join(mig.down) + ";").raise_for_errors()
        assert box.query(sets) == [("b", "utf8mb4_bin"), ("o", "ascii_general_ci"),
                                   ("s", "utf8mb4_general_ci")]


def test_mysql_on_update_current_timestamp_is_kept_and_migrated(mysql_dsn):
    from archkit.migrations.verify import verify
    from archkit.schema.validate import check_schema

    cur = "CREATE TABLE t (id int PRIMARY KEY, m timestamp(3) NULL DEFAULT NULL);"
    des = cur.replace("NULL DEFAULT NULL", "NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP(3)")
    mig = diff_sql(cur, des, "mysql")
    assert mig.up == ["ALTER TABLE t MODIFY COLUMN m timestamp(3) ON UPDATE CURRENT_TIMESTAMP(3)"]
    assert mig.down == ["ALTER TABLE t MODIFY COLUMN m timestamp(3)"]
    assert verify(cur, des, mig, engine=mysql_dsn).passed
    # the engine's catalog says it too: a migration that forgets it does not pass
    assert not verify(des, cur, diff_sql(des, des, "mysql"), engine=mysql_dsn).passed
    report = check_schema(des, "mysql", engine=mysql_dsn)
    assert report.catalog.tables["t"].column("m").on_update == "current_timestamp(3)"
    assert not [f for f in report.findings if f.code == "SC302"]
    now = diff_sql(des, des.replace("CURRENT_TIMESTAMP(3)", "now(3)"), "mysql")
    assert now.up == []  # NOW(3) is CURRENT_TIMESTAMP(3)


def test_a_key_a_foreign_key_stands_on_is_replaced_in_one_alter(mysql_dsn):
    """InnoDB refuses to drop the only index a foreign key stands on, even when a wider key
    comes two statements later: the drop and its replacement go in one ALTER TABLE."""
    from archkit.migrations.verify import verify

    users = "CREATE TABLE users (id int NOT NULL PRIMARY KEY);\n"
    cur = users + ("CREATE TABLE files (id int NOT NULL PRIMARY KEY, user_id int NOT NULL, "
                   "name varchar(99) NOT NULL, CONSTRAINT fk_user FOREIGN KEY (user_id) "
                   "REFERENCES users (id), UNIQUE uniq (user_id, name));")
    des = cur.replace("name varchar(99) NOT NULL,", "name varchar(99) NOT NULL, "
                      "ctx varchar(9) NOT NULL,").replace("(user_id, name)", "(user_id, ctx, name)")
    mig = diff_sql(cur, des, "mysql", allow_destructive=True)
    assert mig.up == ["ALTER TABLE files DROP INDEX uniq, ADD COLUMN ctx varchar(9) NOT NULL, "
                      "ADD CONSTRAINT uniq UNIQUE (user_id, ctx, name)"]
    assert verify(cur, des, mig, engine=mysql_dsn).passed
    cache = users + ("CREATE TABLE cache (user_id int NOT NULL, k varchar(99) NOT NULL, "
                     "CONSTRAINT fk_cache FOREIGN KEY (user_id) REFERENCES users (id), "
                     "INDEX by_user (user_id, k));")
    keyed = cache.replace("INDEX by_user (user_id, k)", "PRIMARY KEY (user_id, k)")
    mig = diff_sql(cache, keyed, "mysql", allow_destructive=True)
    assert mig.up == ["ALTER TABLE cache DROP INDEX by_user, ADD PRIMARY KEY (user_id, k)"]
    assert verify(cache, keyed, mig, engine=mysql_dsn).passed


def test_postgres_table_and_key_settings_are_migrated(pg_dsn):
    # storage parameters, UNLOGGED, identity ALWAYS / BY DEFAULT, a deferrable foreign key
    from archkit.migrations.diff import Migration
    from archkit.migrations.verify import verify

    head = "CREATE TABLE bin (id int PRIMARY KEY);\n"
    steps = [("CREATE TABLE box (n int);", "CREATE TABLE box (n int) WITH (fillfactor=60);"),
             ("CREATE TABLE box (n int);", "CREATE UNLOGGED TABLE box (n int);"),
             ("CREATE TABLE box (n int GENERATED BY DEFAULT AS IDENTITY);",
              "CREATE TABLE box (n int GENERATED ALWAYS AS IDENTITY);"),
             (head + "CREATE TABLE box (b int REFERENCES bin);",
              head + "CREATE TABLE box (b int REFERENCES bin DEFERRABLE INITIALLY DEFERRED);")]
    for cur, des in steps:
        mig = diff_sql(cur, des, "postgres", allow_destructive=True)
        assert mig.up, (cur, des)
        assert verify(cur, des, mig, engine=pg_dsn).passed, (cur, des, mig.up)
        if "IDENTITY" not in des:  # (verify does not read identity kinds yet)
            assert not verify(cur, des, Migration("postgres"), engine=pg_dsn).passed, des
    # an identity's sequence options: the current value may not fit them; said, not written
    mig = diff_sql("CREATE TABLE box (n int GENERATED BY DEFAULT AS IDENTITY);",
                   "CREATE TABLE box (n int GENERATED BY DEFAULT AS IDENTITY "
                   "(START WITH 5 INCREMENT BY 5));", "postgres")
    assert mig.up == [] and [f.code for f in mig.findings] == ["MG008"]


ONE_LINE = ("CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (x int REFERENCES p (id), "
            "CONSTRAINT c CHECK (x > 0) NOT VALID); CREATE INDEX t_x ON t (x); "
            "CREATE INDEX p_id_desc ON p (id DESC);")


def test_statements_sharing_a_line_are_each_written_once(pg_dsn):
    """Two CREATE TABLEs on one line: each table is made from its own statement (the second
    table's text was written for both, and the first never made)."""
    from archkit.migrations.verify import verify

    mig = diff_sql("", ONE_LINE, "postgres")
    made = [s.split("(")[0].split()[-1] for s in mig.up if s.startswith("CREATE TABLE")]
    assert made == ["p", "t"]
    assert verify("", ONE_LINE, mig, engine=pg_dsn).passed
    with sandbox(pg_dsn) as box:  # the check PostgreSQL keeps is valid: so is the written one
        for statement in mig.up:
            box.execute(statement)
        assert box.query("SELECT conname, convalidated FROM pg_constraint "
                         "WHERE conrelid = 't'::regclass AND contype = 'c'") == [("c", True)]


def test_not_valid_in_create_table_is_read_as_postgresql_reads_it():
    """PostgreSQL accepts NOT VALID in CREATE TABLE and makes the constraint valid (the table
    is empty): the table is understood, not left out of the diff (MG007)."""
    mig = diff_sql("CREATE TABLE t (x int);",
                   "CREATE TABLE t (x int, CONSTRAINT c CHECK (x > 0) NOT VALID);", "postgres")
    assert mig.up == ["ALTER TABLE t ADD CONSTRAINT c CHECK (x > 0)"]
    assert not [f for f in mig.findings if f.code in ("MG007", "MG008")]


def test_mysql_partitions_are_migrated_and_verified(mysql_dsn):
    """A partition added, a table partitioned or no longer: ALTER TABLE ... PARTITION BY /
    REMOVE PARTITIONING; verify reads each partition from the engine, so doing nothing fails."""
    from archkit.migrations.diff import Migration
    from archkit.migrations.verify import verify

    plain = "CREATE TABLE m (id int NOT NULL, PRIMARY KEY (id));"
    one = plain[:-1] + " PARTITION BY RANGE (id) (PARTITION p0 VALUES LESS THAN (10));"
    two = one.replace("(10))", "(10), PARTITION p1 VALUES LESS THAN (20))")
    by_list = plain[:-1] + " PARTITION BY LIST (id) (PARTITION a VALUES IN (1, 2));"
    for cur, des in [(one, two), (plain, one), (two, plain), (one, by_list)]:
        mig = diff_sql(cur, des, "mysql")
        assert not [f for f in mig.findings if f.code == "MG008"], (cur, des)
        assert verify(cur, des, mig, engine=mysql_dsn).passed, (cur, des, mig.up)
        assert not verify(cur, des, Migration("mysql"), engine=mysql_dsn).passed, des
    assert diff_sql(two, plain, "mysql").up == ["ALTER TABLE m REMOVE PARTITIONING"]


EVENTS = """CREATE TABLE ev (id int, at date) PARTITION BY RANGE (at);
CREATE INDEX ev_at ON ev (at);
CREATE TABLE ev_1 PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"""
EVENTS_PLAIN = EVENTS.replace("PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO "
                              "('2025-01-01')", "(id int, at date)")


def test_a_partition_that_moves_or_stops_being_one_is_migrated(pg_dsn):
    """A new bound, a table attached as a partition or detached (its index copies go with
    it), a table that inherits or stops: each was silently nothing; verify now reads a
    table's partition key, parents and bound, so doing nothing fails."""
    from archkit.migrations.diff import Migration
    from archkit.migrations.verify import verify

    wider = EVENTS.replace("TO ('2025-01-01')", "TO ('2025-06-01')")
    base = "CREATE TABLE base (id int); CREATE TABLE kid (id int, x int);"
    kid = base.replace("x int)", "x int) INHERITS (base)")
    steps = [(EVENTS, wider), (EVENTS_PLAIN, EVENTS), (EVENTS, EVENTS_PLAIN), (base, kid),
             (kid, base)]
    for cur, des in steps:
        mig = diff_sql(cur, des, "postgres")
        assert mig.up, (cur, des)
        result = verify(cur, des, mig, engine=pg_dsn)
        assert result.passed, (cur, des, result)
        assert not verify(cur, des, Migration("postgres"), engine=pg_dsn).passed, des
    assert diff_sql(EVENTS, wider, "postgres").up == [
        "ALTER TABLE ev DETACH PARTITION ev_1",
        "ALTER TABLE ev ATTACH PARTITION ev_1 FOR VALUES FROM ('2024-01-01') TO ('2025-06-01')"]


GENERATION = ("SELECT column_name, extra FROM information_schema.columns WHERE table_schema = "
              "DATABASE() AND table_name = 't' AND column_name = 'g'")


def test_a_virtual_column_made_stored_is_added_again_stored(mysql_dsn):
    """VIRTUAL to STORED is no change of expression, but the engine keeps the values then:
    MariaDB cannot MODIFY it, so the column goes and comes back, in its place."""
    old = "CREATE TABLE t (id int PRIMARY KEY, a int, g int AS (a * 2) VIRTUAL, z int);"
    new = old.replace("VIRTUAL", "STORED")
    mig = diff_sql(old, new, "mysql")
    assert mig.up == ["ALTER TABLE t DROP COLUMN g", "ALTER TABLE t ADD COLUMN g integer "
                      "GENERATED ALWAYS AS (a * 2) STORED AFTER a"]
    with sandbox(mysql_dsn) as box:
        box.execute_script(old).raise_for_errors()
        box.execute_script(";\n".join(mig.up) + ";").raise_for_errors()
        assert "STORED" in box.query(GENERATION)[0][1].upper()
        assert [r[0] for r in box.query(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "DATABASE() AND table_name = 't' ORDER BY ordinal_position")] == ["id", "a", "g", "z"]
        box.execute_script(";\n".join(mig.down) + ";").raise_for_errors()
        assert "VIRTUAL" in box.query(GENERATION)[0][1].upper()


def test_mariadb_persistent_is_read_as_stored():
    old = "CREATE TABLE t (id int PRIMARY KEY, a int, g int AS (a * 2) PERSISTENT);"
    assert diff_sql(old, old.replace("PERSISTENT", "STORED"), "mysql").changes == []
    assert diff_sql(old, old.replace("PERSISTENT", "VIRTUAL"), "mysql").changes


def test_sqlite_rebuilds_a_table_whose_generated_column_becomes_stored():
    import sqlite3

    old = "CREATE TABLE t (id integer PRIMARY KEY, a int, g int AS (a * 2));"
    mig = diff_sql(old, old.replace("(a * 2)", "(a * 2) STORED"), "sqlite")
    assert [c.kind for c in mig.changes] == ["rebuild_table"]
    db = sqlite3.connect(":memory:")
    db.executescript(old + "INSERT INTO t (id, a) VALUES (1, 21);")
    db.executescript(";\n".join(mig.up) + ";")
    assert db.execute("SELECT g FROM t").fetchall() == [(42,)]
    assert "STORED" in db.execute("SELECT sql FROM sqlite_master WHERE name = 't'").fetchone()[0]


def test_sqlite_rebuild_of_a_table_with_a_generated_column_copies_the_others():
    """The copy step cannot write a generated column: the engine computes it again."""
    import sqlite3

    old = "CREATE TABLE t (id integer PRIMARY KEY, a int, g int AS (a * 2));"
    new = old.replace("a int,", "a int NOT NULL,")
    mig = diff_sql(old, new, "sqlite")
    copy = next(s for s in mig.up if s.startswith("INSERT"))
    assert "g" not in copy.split("SELECT")[1].replace(" FROM t", "").split(", ")
    db = sqlite3.connect(":memory:")
    db.executescript(old + "INSERT INTO t (id, a) VALUES (1, 21);")
    db.executescript(";\n".join(mig.up) + ";")
    assert db.execute("SELECT id, a, g FROM t").fetchall() == [(1, 21, 42)]
    db.executescript(";\n".join(mig.down) + ";")
    assert db.execute("SELECT id, a, g FROM t").fetchall() == [(1, 21, 42)]


def test_a_generated_column_added_again_keeps_its_index_and_key(mysql_dsn):
    """MariaDB drops a column's indexes with it: the migration makes them again. A unique
    key on it would go unseen: that change is not written, and is said."""
    from archkit.migrations.verify import reset

    old = ("CREATE TABLE t (id int PRIMARY KEY, a int, g int AS (a * 2) VIRTUAL, "
           "KEY t_g (g, a));")
    new = old.replace("VIRTUAL", "STORED")
    mig = diff_sql(old, new, "mysql")
    with sandbox(mysql_dsn) as box:
        box.execute_script(new).raise_for_errors()
        wanted = box.introspect()
        reset(box)
        box.execute_script(old).raise_for_errors()
        box.execute_script(";\n".join(mig.up) + ";").raise_for_errors()
        assert box.introspect() == wanted
        assert box.query("SELECT count(*) FROM information_schema.statistics WHERE "
                         "table_schema = DATABASE() AND index_name = 't_g'")[0][0] == 2
    keyed = old.replace("KEY t_g (g, a)", "UNIQUE KEY t_g (g)")
    said = diff_sql(keyed, keyed.replace("VIRTUAL", "STORED"), "mysql")
    assert said.up == [] and [f.code for f in said.findings] == ["MG005"]


def test_a_unique_keys_prefix_lengths_are_kept_and_migrated(mysql_dsn):
    """UNIQUE KEY u (a(10)) is not UNIQUE (a): written so, and another length is a change."""
    from archkit.migrations.verify import verify
    from archkit.schema.parse import parse_schema

    plain = "CREATE TABLE t (id int PRIMARY KEY, a varchar(200), b int);"
    keyed = plain.replace("b int)", "b int, UNIQUE KEY u_a (a(10), b))")
    longer = keyed.replace("a(10)", "a(20)")
    assert parse_schema(keyed, "mysql").catalog.tables["t"].uniques[0].lengths == (10, None)
    up = diff_sql(plain, keyed, "mysql").up
    assert up == ["ALTER TABLE t ADD CONSTRAINT u_a UNIQUE (a(10), b)"]
    whole = diff_sql(plain, keyed.replace("a(10)", "a"), "mysql")  # the length forgotten
    assert not verify(plain, keyed, whole, engine=mysql_dsn).passed
    for old, new in ((plain, keyed), (keyed, longer), (longer, plain)):
        mig = diff_sql(old, new, "mysql", allow_destructive=True)
        assert mig.up, (old, new)
        assert verify(old, new, mig, engine=mysql_dsn).passed, (old, new)
