"""Sandboxes on real engines: apply, map errors to lines, read the catalog back."""

from __future__ import annotations

import pytest

from archkit.errors import ArchkitError
from archkit.schema.engines import engine_dialect, sandbox
from archkit.schema.parse import parse_schema
from archkit.schema.transpile import transpile_schema
from archkit.schema.validate import check_schema


def test_sqlite_error_is_mapped_to_the_statement_line():
    sql = "CREATE TABLE a (id INTEGER PRIMARY KEY);\n\nCREATE TABLE a (id INTEGER);\n"
    with sandbox("sqlite") as box:
        result = box.execute_script(sql)
    assert not result.ok and result.executed == 1
    assert result.errors[0].line == 3 and "already exists" in result.errors[0].engine_message
    assert result.findings[0].code == "SC301"


def test_sqlite_introspection_equals_the_parsed_catalog(corpora):
    text = (corpora / "schema" / "sakila-schema.sqlite.sql").read_text()
    parsed = parse_schema(text, "sqlite").catalog
    with sandbox("sqlite") as box:
        assert box.execute_script(text).ok
        engine = box.introspect()
        plan = box.explain("SELECT * FROM actor WHERE last_name = 'x'")
    assert set(engine.tables) == set(parsed.tables)
    assert set(engine.indexes) == set(parsed.indexes)
    assert parsed.compare(engine) == []
    assert "idx_actor_last_name" in plan


def test_unknown_engine_is_a_clear_error():
    with pytest.raises(ArchkitError, match="unknown engine"):
        engine_dialect("oracle://x")


def test_example_applies_on_postgres_and_matches(pg_dsn, example):
    text = (example / "schema" / "v1.sql").read_text()
    report = check_schema(text, "postgres", engine=pg_dsn)
    assert report.engine == "PostgreSQL"
    assert list(report.findings) == [] and report.differences == []
    assert set(report.engine_catalog.tables) == {
        "users", "products", "inventory", "carts", "cart_items", "orders", "order_items",
        "payments", "shipments"}
    assert report.engine_catalog.tables["orders"].comment.startswith("A placed order")


def test_postgres_error_line_points_inside_the_statement(pg_dsn):
    sql = "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (\n  id int,\n  x nosuchtype\n);"
    with sandbox(pg_dsn) as box:
        result = box.execute_script(sql)
        name = box.dbname
    assert result.errors[0].line == 4 and "nosuchtype" in result.errors[0].engine_message
    with sandbox(pg_dsn) as box:  # the first sandbox database is gone
        assert not box.query("SELECT 1 FROM pg_database WHERE datname = %s", (name,))


def test_example_transpiled_applies_on_mariadb_and_matches(mysql_dsn, example):
    text = (example / "schema" / "v1.sql").read_text()
    mysql_sql = transpile_schema(text, "postgres", "mysql").sql
    report = check_schema(mysql_sql, "mysql", engine=mysql_dsn)
    assert report.engine in ("MariaDB", "MySQL")
    assert report.findings.errors == [] and report.differences == []
    assert report.engine_catalog.tables["order_items"].primary_key.columns == (
        "order_id", "product_id")


def test_sakila_applies_on_mysql_and_keeps_outside_databases_alone(mysql_dsn, corpora):
    text = (corpora / "schema" / "sakila-schema.mysql.sql").read_text()
    with sandbox(mysql_dsn) as box:
        result = box.execute_script(text, stop_on_error=False)
        engine = box.introspect()
    # USE sakila / CREATE SCHEMA were skipped, so everything landed in the sandbox;
    # actor_info names `sakila`.`actor` explicitly and fails there, at its own line
    assert [line for line, _ in result.skipped] == [21, 22, 23]
    assert [e.line for e in result.errors] == [413]
    parsed = parse_schema(text, "mysql").catalog
    assert parsed.compare(engine, views=False) == []


def test_mysql_statements_naming_another_database_are_skipped_and_said(mysql_dsn):
    sql = "CREATE TABLE test.evil (id int);\nCREATE TABLE ok (id int);\n"
    with sandbox(mysql_dsn) as box:
        result = box.execute_script(sql)
        assert [r[0].lower() for r in box.query("SHOW TABLES")] == ["ok"]
    assert result.executed == 1 and result.skipped == [(1, "CREATE TABLE test.evil (id int)")]
    assert [(f.code, f.line) for f in result.findings] == [("SC303", 1)]


def test_sakila_postgres_applies_and_postgres_agrees_with_archkit(pg_dsn, corpora):
    text = (corpora / "schema" / "sakila-schema.postgres.sql").read_text()
    report = check_schema(text, "postgres", engine=pg_dsn)
    assert report.findings.errors == []
    assert report.differences == []  # tables, columns, types, defaults, keys, indexes
    assert len(report.engine_catalog.tables) == 21
    assert report.engine_catalog.enums["mpaa_rating"].values == ("G", "PG", "PG-13", "R",
                                                                 "NC-17")


PSQL_DUMP = """\\restrict k1AbC

CREATE TABLE public.a (id integer NOT NULL, note text);
COPY public.a (id, note) FROM stdin;
1\tsemi; colon
\\.

CREATE TABLE public.b (id integer);
\\unrestrict k1AbC
"""


def test_a_psql_dump_with_restrict_lines_and_rows_checks_and_applies(pg_dsn):
    """What pg_dump 17.6+ writes: every table read, nothing reported, all of it applied."""
    report = check_schema(PSQL_DUMP, "postgres", engine=pg_dsn)
    assert sorted(report.catalog.tables) == ["a", "b"]
    assert not [f for f in report.findings if f.code in ("SC001", "SC002", "SC301", "SC302")]
    assert report.engine_catalog is not None and sorted(report.engine_catalog.tables) == \
        ["a", "b"]
    connect = parse_schema("\\connect shop\n" + PSQL_DUMP, "postgres")
    [said] = [f for f in connect.findings if f.code == "SC002"]
    assert said.line == 1 and "\\connect shop" in said.message


MYSQLDUMP = """/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
DROP TABLE IF EXISTS `t`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
CREATE TABLE `t` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(20) DEFAULT NULL,
  PRIMARY KEY (`id`)
) /*!40000 ENGINE=INNODB */ /*!40101 CHARACTER SET latin1 */
/*!50100 PARTITION BY HASH (`id`)
PARTITIONS 2 */;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!50001 DROP VIEW IF EXISTS `v`*/;
/*!50001 CREATE VIEW `v` AS SELECT
 1 AS `id`,
  1 AS `name` */;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `t_bi`
BEFORE INSERT ON `t` FOR EACH ROW BEGIN
  SET NEW.name = UPPER(NEW.name);
END */;;
DELIMITER ;
/*!50001 DROP VIEW IF EXISTS `v`*/;
/*!50001 CREATE ALGORITHM=UNDEFINED */
/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */
/*!50001 VIEW `v` AS select `t`.`id` AS `id`,`t`.`name` AS `name` from `t` */;
"""


def test_a_mysqldump_file_is_read_as_the_server_runs_it(mysql_dsn):
    """Views, the trigger, the partitioning and the character set live in executable
    comments: archkit reads each (they were silently comments) and agrees with MariaDB."""
    report = check_schema(MYSQLDUMP, "mysql", engine=mysql_dsn)
    cat = report.catalog
    assert list(cat.views) == ["v"] and "from" in cat.views["v"].sql.lower()
    assert "latin1" in " ".join(cat.tables["t"].options.values()).lower()
    assert any("PARTITION BY HASH" in v for v in cat.tables["t"].options.values())
    assert [line for line, text in report.parse.unparsed] == [19]  # the trigger, carried
    assert not [f for f in report.findings if f.severity == "error" or f.code == "SC302"]
