"""Findings point at the token at fault: file line AND column, counted by hand below.

Columns are 1-based. Each SQL text is laid out so the numbers can be checked by eye: the
statement of interest spans lines, does not start at column 1, or has the same name in a
comment (or a string) before the real token — which must never be taken for it.
"""

from __future__ import annotations

import json

from archkit.cli import main
from archkit.schema.parse import parse_schema
from archkit.schema.split import Places, split_statements
from archkit.schema.validate import check_schema


def errors(sql, dialect="postgres"):
    return [(f.code, f.line, f.col) for f in check_schema(sql, dialect).findings.errors]


def place(sql, code, dialect="postgres"):
    return [(f.line, f.col) for f in check_schema(sql, dialect).findings if f.code == code]


# -- the seeded mistakes --------------------------------------------------------------------
def test_fk_to_a_missing_column_points_at_the_referenced_column():
    sql = ("-- the old draft said: REFERENCES users (uid)\n"          # 1
           "CREATE TABLE users (id bigint PRIMARY KEY);\n"             # 2
           "SET search_path = public; CREATE TABLE orders (\n"         # 3
           "    id bigint PRIMARY KEY,\n"                              # 4
           "    user_id bigint NOT NULL -- uid, below\n"               # 5
           "        REFERENCES users (uid)\n"                          # 6
           ");\n")
    # line 6: 8 spaces, REFERENCES 9-18, users 20-24, ( 26, uid 27
    assert errors(sql) == [("SC105", 6, 27)]


def test_fk_to_a_missing_table_points_at_the_table_name():
    sql = ("CREATE TABLE orders (id bigint PRIMARY KEY,\n"
           "  customer_id bigint REFERENCES customers (id));\n")
    # line 2: customer_id 3-13, bigint 15-20, REFERENCES 22-31, customers 33
    assert errors(sql) == [("SC104", 2, 33)]


def test_index_on_a_missing_column_points_at_that_column():
    sql = ("CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n"      # 1
           "/* customer_id: later */ CREATE INDEX orders_customer_id_idx\n"      # 2
           "    ON orders (user_id, customer_id);\n"                             # 3
           "SET x = 1; CREATE INDEX i2 ON orders (nope);\n")                     # 4
    # line 3: ON 5-6, orders 8-13, ( 15, user_id 16-22, ", " 23-24, customer_id 25
    # line 4: "SET x = 1; " is 11 characters, so CREATE starts at 12 and nope (the 28th
    # character of "CREATE INDEX i2 ON orders (nope") at 39
    assert errors(sql) == [("SC107", 3, 25), ("SC107", 4, 39)]


def test_duplicate_column_points_at_the_second_declaration():
    sql = ("  CREATE TABLE t (\n"                                   # 1
           "    id bigint PRIMARY KEY, -- name text,\n"             # 2
           "    name text DEFAULT 'name', note text, name varchar(20)\n"  # 3
           ");\n"
           "CREATE TABLE u (a int, a int);\n")                      # 5
    # line 3: name 5-8, text 10-13, DEFAULT 15-21, 'name' 23-28, ", " 29-30, note 31-34,
    # text 36-39, ", " 40-41, name 42;  line 5: "CREATE TABLE u (" is 16, "a int, " 17-23
    assert errors(sql) == [("SC102", 3, 42), ("SC102", 5, 24)]


def test_fk_type_mismatch_points_at_the_local_columns_type():
    sql = ("CREATE TABLE users (id bigint PRIMARY KEY);\n"          # 1
           "CREATE TABLE orders (id bigint PRIMARY KEY,\n"          # 2
           "  -- user_id bigint was the plan\n"                     # 3
           "  user_id\n"                                            # 4
           "    varchar(20) REFERENCES users (id));\n")             # 5
    got = check_schema(sql, "postgres").findings.errors
    assert [(f.code, f.line, f.col, f.object) for f in got] == [
        ("SC106", 5, 5, "orders.user_id")]


def test_syntax_error_points_at_the_token_sqlglot_stops_at():
    sql = ("CREATE TABLE a (id bigint PRIMARY KEY);\n"              # 1
           "CREATE VIEW v AS\n"                                     # 2
           "  SELECT id -- a = = b\n"                               # 3
           "  FROM a WHERE id = = 1;\n"                             # 4
           "SET x = 1; CREATE INDEX i ON a (id) WITH FOO;\n")       # 5
    # line 4: FROM 3-6, a 8, WHERE 10-14, id 16-17, = 19, = 21
    # line 5: CREATE starts at 12; FOO is the 31st character of the statement -> 42
    assert errors(sql) == [("SC001", 4, 21), ("SC001", 5, 42)]


def test_doubled_comma_points_at_the_second_comma():
    sql = "CREATE TABLE t (\n  id bigint PRIMARY KEY,,\n  name text\n);"
    # line 2: id 3-4, bigint 6-11, PRIMARY 13-19, KEY 21-23, "," 24, "," 25
    assert errors(sql) == [("SC001", 2, 25)]


def test_view_selecting_a_missing_column_points_at_it_in_the_select():
    sql = ("CREATE TABLE users (id bigint PRIMARY KEY, email text);\n"  # 1
           "CREATE VIEW contacts AS SELECT u.id, -- u.phone is gone\n"  # 2
           "       u.email, u.phone FROM users u;\n")                    # 3
    # line 3: u 8, . 9, email 10-14, ", " 15-16, u 17, . 18, phone 19
    assert errors(sql) == [("SC109", 3, 19)]
    cte = ("CREATE TABLE users (id bigint PRIMARY KEY, email text);\n"
           "CREATE VIEW c AS WITH x AS (SELECT id FROM users)\n"
           "SELECT x.id, x.phone FROM x;\n")
    # resolved by sqlglot's qualify; line 3: x 8, . 9, id 10-11, ", " 12-13, x 14, . 15
    assert errors(cte) == [("SC109", 3, 16)]
    table = ("CREATE TABLE users (id bigint PRIMARY KEY);\n"
             "  CREATE VIEW w AS SELECT * FROM people;\n")
    # line 2 starts with two spaces: CREATE at 3; people is its 32nd character -> 3 + 31
    assert errors(table) == [("SC109", 2, 34)]


# -- the other validation errors -------------------------------------------------------------
def test_duplicate_table_view_constraint_and_index_point_at_the_duplicate_name():
    sql = ("CREATE TABLE a (id bigint PRIMARY KEY, code text,\n"          # 1
           "  CONSTRAINT a_code UNIQUE (code));\n"                         # 2
           "CREATE INDEX i ON a (code); CREATE TABLE a (id bigint);\n"     # 3
           "CREATE TABLE b (id bigint PRIMARY KEY,\n"                      # 4
           "  k bigint PRIMARY KEY, CONSTRAINT a_code UNIQUE (id));\n"     # 5
           "CREATE INDEX i ON b (id);\n"                                   # 6
           "CREATE VIEW v AS SELECT 1 AS one;\n"                           # 7
           "CREATE VIEW v AS SELECT 2 AS two;\n")                          # 8
    assert errors(sql) == [
        ("SC101", 3, 42),  # "CREATE INDEX i ON a (code); " is 28: CREATE at 29, a at 29 + 13
        ("SC103", 5, 12),  # the second PRIMARY KEY: k 3, bigint 5-10, PRIMARY 12
        ("SC103", 5, 36),  # KEY 20-22, ", " 23-24, CONSTRAINT 25-34, a_code 36
        ("SC103", 6, 14),  # CREATE INDEX i: i at 14
        ("SC101", 8, 13),  # CREATE VIEW v: v at 13
    ]


def test_primary_key_unique_and_length_errors_point_at_the_name():
    sql = ("CREATE TABLE a (id bigint PRIMARY KEY);\n"                         # 1
           "ALTER TABLE nope ADD x int; ALTER TABLE a ADD CONSTRAINT u2 UNIQUE (phone);\n"
           "CREATE TABLE c (id bigint PRIMARY KEY,\n"                          # 3
           "  " + "c" * 64 + " int);\n")                                       # 4
    # line 2: nope 13; "ALTER TABLE nope ADD x int; " is 28, then
    # "ALTER TABLE a ADD CONSTRAINT u2 UNIQUE (" is 40: phone at 69;  line 4: the name at 3
    assert errors(sql) == [("SC104", 2, 13), ("SC108", 2, 69), ("SC110", 4, 3)]


def test_a_place_that_cannot_be_known_keeps_the_statement_line_and_no_column():
    sql = ("CREATE TABLE a (id bigint PRIMARY KEY);\n"
           "CREATE INDEX j ONN a (id);\n"            # sqlglot falls back to a Command
           "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql STRANGE;\n")
    report = check_schema(sql, "postgres")
    assert [(f.code, f.line, f.col) for f in report.findings] == [
        ("SC001", 2, None), ("SC002", 3, None)]


# -- lint warnings ---------------------------------------------------------------------------
def test_lint_warnings_point_at_the_objects_name():
    sql = ("CREATE TABLE log (at timestamptz);\n"                                     # 1
           "CREATE TABLE orders (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"  # 2
           "  -- placed_at timestamptz would be better\n"                             # 3
           "  note text DEFAULT 'placed_at', placed_at timestamp);\n"                 # 4
           'CREATE TABLE "OrderLines" (id bigint PRIMARY KEY);\n')                    # 5
    got = sorted((f.code, f.line, f.col) for f in check_schema(sql, "postgres").findings)
    assert got == [
        ("SC201", 1, 14),   # log
        ("SC203", 2, 22),   # id: "CREATE TABLE orders (" is 21
        ("SC204", 4, 34),   # note 3-6, text 8-11, DEFAULT 13-19, 'placed_at' 21-31, ", " 32-33
        ("SC206", 5, 14),   # the quoted name, from its opening quote
    ]


def test_lint_foreign_key_without_index_points_at_its_column():
    sql = ("CREATE TABLE a (id bigint PRIMARY KEY);\n"
           "CREATE TABLE b (id bigint PRIMARY KEY, x bigint,\n"
           "  CONSTRAINT fk_x FOREIGN KEY (x) REFERENCES a (id));\n")
    # line 3: CONSTRAINT 3-12, fk_x 14-17, FOREIGN 19-25, KEY 27-29, ( 31, x 32
    assert place(sql, "SC202") == [(3, 32)]


# -- dialects, salvage, the CLI --------------------------------------------------------------
def test_mysql_backticks_and_a_definer_view():
    sql = ("CREATE TABLE `users` (`id` INT PRIMARY KEY, `email` TEXT);\n"
           "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER "
           "VIEW `v` AS select `u`.`phone` AS `p` from `users` `u`;\n"
           "CREATE INDEX i ON users (`id`, `mail`);\n")
    # line 2: "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER "
    # is 75 characters; "VIEW `v` AS select `u`." is 23 more: `phone` opens at 99 (the
    # clauses sqlglot cannot read are blanked out for it, so no offset moves)
    # line 3: "CREATE INDEX i ON users (`id`, " is 31: `mail` opens at 32
    assert errors(sql, "mysql") == [("SC109", 2, 99), ("SC107", 3, 32)]


def test_salvaged_table_keeps_true_lines_and_columns():
    sql = ("CREATE TABLE t (\n"                                       # 1
           "  id int,\n"                                              # 2
           "  x text FOO pglz,\n"                                     # 3
           "  y int,\n"                                               # 4
           "  y int\n"                                                # 5
           ");\n")
    result = parse_schema(sql, "postgres")
    assert [(f.code, f.line, f.col) for f in result.findings] == [
        ("SC002", 3, 3), ("SC102", 5, 3)]
    assert [(c.name, c.line) for c in result.catalog.tables["t"].columns] == [
        ("id", 2), ("x", 3), ("y", 4)]


def test_places_skip_comments_strings_and_dollar_quotes():
    sql = ("CREATE TABLE t (a text DEFAULT 'uid', /* uid */ b text DEFAULT $$uid$$,\n"
           "  -- uid\n"
           "  uid int);")
    places = Places(split_statements(sql, "postgres"), "postgres")
    assert places.find(1, "uid") == (3, 3)
    assert places.find(1, "b", then=1) == (1, 51)  # b 49, text 51
    assert places.find(1, "nothing") is None


def test_cli_prints_file_line_col_and_json_carries_col(tmp_path, capsys):
    bad = tmp_path / "bad.sql"
    bad.write_text("CREATE TABLE a (id bigint PRIMARY KEY);\n"
                   "CREATE TABLE b (id bigint PRIMARY KEY, a_id bigint REFERENCES a (nope));\n")
    assert main(["schema", "check", str(bad), "--dialect", "postgres"]) == 1
    text = capsys.readouterr().out
    # "CREATE TABLE b (id bigint PRIMARY KEY, a_id bigint REFERENCES a (" is 65
    assert f"{bad}:2:66: SC105 error" in text
    assert main(["schema", "check", str(bad), "--dialect", "postgres", "--json"]) == 1
    found = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["code"], f["line"], f["col"]) for f in found if f["severity"] == "error"] == [
        ("SC105", 2, 66)]
