"""`schema check --engine` on forms real dump files use: archkit and the engine agree, and
nothing valid is reported as an error or as not understood (each case seen in a real file)."""

from __future__ import annotations

import pytest

from archkit.schema.validate import check_schema

NOISE = ("SC001", "SC002", "SC107", "SC301", "SC302")


def _noise(sql: str, dialect: str, dsn: str) -> list[str]:
    report = check_schema(sql, dialect, engine=dsn)
    return [f"{f.code} {f.message}" for f in report.findings if f.code in NOISE]


PG_CASES = {
    # pg_dump writes every index predicate in parentheses; the engine reads them back bare
    "partial index": "CREATE TABLE t (a int, b int);\n"
                     "CREATE INDEX t_a_partial ON t USING btree (a) WHERE (b IS NULL);\n"
                     "CREATE INDEX t_b ON t (b) WHERE ((a > 0) AND (b < 5));\n",
    "default privileges": "CREATE TABLE t (id int PRIMARY KEY);\n"
                          "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public "
                          "GRANT ALL ON TABLES TO postgres;\n",
}

MYSQL_CASES = {
    # MySQL takes column attributes in any order: COLLATE after DEFAULT is the column's
    "default then collate": "CREATE TABLE t (id int NOT NULL, title varchar(255) NULL "
                            "DEFAULT NULL COLLATE utf8mb4_unicode_ci, PRIMARY KEY (id)) "
                            "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;",
    # BOOLEAN is tinyint(1): DEFAULT '0' reads back as false
    "boolean numbers": "CREATE TABLE t (id int PRIMARY KEY, done tinyint(1) NOT NULL "
                       "DEFAULT '0', b boolean DEFAULT 1);",
    "names with spaces": "CREATE TABLE `product order` (`Order ID` int NOT NULL, "
                         "`Product ID` varchar(10) NOT NULL, PRIMARY KEY (`Order ID`), "
                         "KEY `Product ID_idx` (`Product ID`)) ENGINE=InnoDB;",
    # an index named as the foreign key it serves is the one InnoDB would make
    "index named as its foreign key": "CREATE TABLE p (id int PRIMARY KEY);\n"
                                      "CREATE TABLE c (id int PRIMARY KEY, p_id int NOT NULL, "
                                      "KEY `c_fk` (`p_id`), CONSTRAINT `c_fk` FOREIGN KEY "
                                      "(`p_id`) REFERENCES `p` (`id`));",
    "mysqldump keys": "CREATE TABLE `t` (id int PRIMARY KEY);\n"
                      "/*!40000 ALTER TABLE `t` DISABLE KEYS */;\nALTER TABLE `t` ENABLE KEYS;\n",
}


@pytest.mark.parametrize("case", sorted(PG_CASES))
def test_postgres_forms_agree_with_the_engine(case, pg_dsn):
    assert _noise(PG_CASES[case], "postgres", pg_dsn) == []


@pytest.mark.parametrize("case", sorted(MYSQL_CASES))
def test_mysql_forms_agree_with_the_engine(case, mysql_dsn):
    assert _noise(MYSQL_CASES[case], "mysql", mysql_dsn) == []


def test_mysql_default_then_collate_is_a_default_and_a_collation():
    from archkit.schema.parse import parse_schema

    column = parse_schema(MYSQL_CASES["default then collate"], "mysql").catalog \
        .tables["t"].column("title")
    assert (column.default, column.collation) == (None, "utf8mb4_unicode_ci")


def test_capitals_in_a_case_blind_dialect_are_only_the_convention():
    sql = "CREATE TABLE `Orders` (`OrderId` int PRIMARY KEY);"
    said = [f.message for f in check_schema(sql, "mysql").findings if f.code == "SC206"]
    assert said and not [m for m in said if "quote" in m]
    pg = [f.message for f in check_schema(sql.replace("`", '"'), "postgres").findings
          if f.code == "SC206"]
    assert any("every query must quote it" in m for m in pg)


def test_an_anonymous_block_is_worth_knowing_not_a_warning():
    from archkit.schema.parse import parse_schema

    result = parse_schema("CREATE TABLE t (id int PRIMARY KEY);\n"
                          "DO $$ BEGIN RAISE NOTICE 'x'; END $$;\n", "postgres")
    assert [(f.code, str(f.severity)) for f in result.findings] == [("SC002", "info")]


def test_a_unique_repeating_the_primary_key_is_not_made_as_postgresql_does(pg_dsn):
    sql = ("CREATE TABLE x1 (id int PRIMARY KEY, CONSTRAINT x_u UNIQUE (id));\n"
           "CREATE TABLE x2 (id int PRIMARY KEY, UNIQUE (id), v int);\n")
    report = check_schema(sql, "postgres", engine=pg_dsn)
    assert report.catalog.tables["x1"].primary_key.name == "x_u"  # the key takes its name
    assert not report.catalog.tables["x2"].uniques
    assert report.catalog.compare(report.engine_catalog, names=True) == []


def test_a_sqlite_trigger_with_quoted_names_is_no_sign_of_another_dialect():
    sql = "CREATE TABLE b (id INTEGER PRIMARY KEY);\n" \
          "CREATE TRIGGER `d` BEFORE DELETE ON `b`\nBEGIN\n    SELECT 1;\nEND;\n"
    report = check_schema(sql, "sqlite", engine="sqlite")
    assert list(report.catalog.tables) == ["b"]
    assert [(f.code, str(f.severity)) for f in report.findings] == [("SC002", "info")]
