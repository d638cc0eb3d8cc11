"""The splitter: statements and their first lines, whatever the quoting."""

from archkit.schema.split import split_statements


def texts(sql, dialect="postgres"):
    return [(s.line, s.text) for s in split_statements(sql, dialect)]


def test_semicolons_inside_strings_comments_and_identifiers_do_not_split():
    sql = (
        "-- a comment; with a semicolon\n"
        "CREATE TABLE \"a;b\" (x text DEFAULT 'semi;colon', y text DEFAULT 'it''s');\n"
        "/* block; comment */\n"
        "CREATE INDEX i ON t (x);\n"
    )
    assert texts(sql) == [
        (2, "CREATE TABLE \"a;b\" (x text DEFAULT 'semi;colon', y text DEFAULT 'it''s')"),
        (4, "CREATE INDEX i ON t (x)"),
    ]


def test_dollar_quoted_function_body_is_one_statement():
    sql = (
        "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;\n"
        "CREATE FUNCTION g() RETURNS int AS $body$\nSELECT 1; SELECT $$x$$;\n$body$ LANGUAGE sql;\n"
        "CREATE TABLE t (id int);\n"
    )
    got = texts(sql)
    assert [line for line, _ in got] == [1, 2, 5]
    assert got[1][1].endswith("$body$ LANGUAGE sql")


def test_mysql_delimiter_blocks_and_backticks():
    sql = (
        "CREATE TABLE `t;x` (id INT); # hash comment;\n"
        "DELIMITER ;;\n"
        "CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW BEGIN\n"
        "  INSERT INTO u VALUES (1);\n"
        "END;;\n"
        "DELIMITER ;\n"
        "CREATE TABLE u (id INT);\n"
    )
    got = texts(sql, "mysql")
    assert [line for line, _ in got] == [1, 3, 7]
    assert got[1][1].startswith("CREATE TRIGGER tr") and got[1][1].endswith("END")


def test_sqlite_trigger_body_with_case_stays_whole():
    sql = (
        "CREATE TRIGGER tr AFTER UPDATE ON t BEGIN\n"
        "  UPDATE t SET x = CASE WHEN 1 THEN 2 ELSE 3 END WHERE id = 1;\n"
        "  DELETE FROM u;\n"
        "END;\n"
        "CREATE TABLE v (id INTEGER);\n"
    )
    got = texts(sql, "sqlite")
    assert [line for line, _ in got] == [1, 5]
    assert got[0][1].endswith("END")


def test_empty_and_comment_only_input_has_no_statements():
    assert split_statements("  \n-- nothing\n/* here */\n;;", "postgres") == []


def test_leading_comments_are_kept_for_silencing():
    st = split_statements("-- archkit: ignore SC201\nCREATE TABLE log (x int);", "postgres")[0]
    assert st.line == 2 and st.comments == ["-- archkit: ignore SC201"]


def test_postgres_escape_strings_and_mysql_backslash_escapes():
    pg = "INSERT INTO t VALUES (E'it\\'s; fine');\nCREATE TABLE u (id int);"
    assert [line for line, _ in texts(pg)] == [1, 2]
    my = "INSERT INTO t VALUES ('a\\'; b', \"c\\\"; d\");\nCREATE TABLE u (id INT);"
    got = texts(my, "mysql")
    assert [line for line, _ in got] == [1, 2] and got[0][1].endswith('d")')


def test_mysql_routine_without_delimiter_keeps_end_if_inside():
    sql = (
        "CREATE PROCEDURE p()\nBEGIN\n  IF 1 THEN SELECT 1; END IF;\n"
        "  WHILE 0 DO SELECT 2; END WHILE;\nEND;\n"
        "CREATE TABLE t (id INT);\n"
    )
    got = texts(sql, "mysql")
    assert [line for line, _ in got] == [1, 6] and got[0][1].endswith("END")


PSQL_DUMP = """\\restrict 4jHbbLQUCXuMjbz0Q3U7

SET statement_timeout = 0;
CREATE TABLE public.a (id integer NOT NULL, note text);
COPY public.a (id, note) FROM stdin;
1\tsemi; colon
2\t'quote "and" \\\\ backslash
\\.

CREATE TABLE public.b (id integer);
SELECT 1;
\\unrestrict 4jHbbLQUCXuMjbz0Q3U7
"""


def test_a_psql_script_keeps_meta_commands_apart_and_copy_rows_out():
    """pg_dump 17.6+ brackets a dump in \\restrict lines; a data dump has rows after COPY."""
    statements = split_statements(PSQL_DUMP, "postgres")
    assert [(s.line, s.text) for s in statements] == [
        (1, "\\restrict 4jHbbLQUCXuMjbz0Q3U7"),
        (3, "SET statement_timeout = 0"),
        (4, "CREATE TABLE public.a (id integer NOT NULL, note text)"),
        (5, "COPY public.a (id, note) FROM stdin"),
        (10, "CREATE TABLE public.b (id integer)"),
        (11, "SELECT 1"),
        (12, "\\unrestrict 4jHbbLQUCXuMjbz0Q3U7"),
    ]
    assert [s.is_meta_command for s in statements] == [True] + [False] * 5 + [True]
    assert [s.copies_from_stdin for s in statements] == [False] * 3 + [True] + [False] * 3


def test_a_backslash_inside_a_statement_or_another_dialect_is_no_meta_command():
    assert texts("SELECT 'a\n\\b';\nSELECT $$\n\\x\n$$;") == [
        (1, "SELECT 'a\n\\b'"), (3, "SELECT $$\n\\x\n$$")]
    assert texts("SELECT 1\n\\x\n;") == [(1, "SELECT 1\n\\x")]  # mid-statement: left to it
    assert texts("\\x\nSELECT 1;", "mysql") == [(1, "\\x\nSELECT 1")]


def test_mysql_executable_comments_are_read_as_the_server_runs_them():
    """mysqldump writes view, trigger, partition and table options inside /*!NNNNN ... */:
    every server runs those (before 5.7); later or MariaDB-only ones stay comments."""
    sql = ("CREATE TABLE a (s varchar(5) DEFAULT '/*!40101 x */') /*!40101 CHARSET utf8 */;\n"
           "/*!50001 CREATE ALGORITHM=UNDEFINED */\n/*!50001 VIEW `v` AS select 1 AS `x` */;\n"
           "/*M!999999\\- enable the sandbox mode */\n"
           "CREATE TABLE b (c int /*!80023 INVISIBLE */);\n")
    assert texts(sql, "mysql") == [
        (1, "CREATE TABLE a (s varchar(5) DEFAULT '/*!40101 x */')          CHARSET utf8"),
        (2, "CREATE ALGORITHM=UNDEFINED   \n         VIEW `v` AS select 1 AS `x`"),
        (5, "CREATE TABLE b (c int /*!80023 INVISIBLE */)"),
    ]
    assert texts("SELECT 1 /*!40101 + 1 */;") == [(1, "SELECT 1 /*!40101 + 1 */")]  # postgres


def test_a_clause_only_some_servers_run_is_said_not_dropped():
    from archkit.schema.parse import parse_schema

    result = parse_schema("CREATE TABLE b (c int /*!80023 INVISIBLE */, d int);\n"
                          "CREATE TABLE a (x int) /*!40101 COMMENT 'kept' */;\n", "mysql")
    [said] = [f for f in result.findings if f.code == "SC002"]
    assert said.line == 1 and "/*!80023 INVISIBLE */" in said.message
    assert result.catalog.tables["a"].comment == "kept"
