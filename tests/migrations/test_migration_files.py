"""Migration files: golang-migrate and Flyway layouts, numbering, determinism, no overwrite."""

from __future__ import annotations

import pytest

from archkit.errors import ArchkitError
from archkit.migrations.diff import diff_sql
from archkit.migrations.files import MigrationText, existing_numbers, write_migration

V1 = "CREATE TABLE orders (id integer PRIMARY KEY, total numeric(12,2) NOT NULL);"
V2 = ("CREATE TABLE orders (id integer PRIMARY KEY, total numeric(12,2) NOT NULL, "
      "note text);\nCREATE INDEX orders_note_idx ON orders (note);")


def test_golang_migrate_layout_and_next_number(tmp_path):
    (tmp_path / "0001_init.up.sql").write_text("CREATE TABLE x (id int);\n")
    (tmp_path / "0001_init.down.sql").write_text("DROP TABLE x;\n")
    migration = diff_sql(V1, V2, "postgres")
    up, down = write_migration(migration, tmp_path, "Add order note!")
    assert (up.name, down.name) == ("0002_add_order_note.up.sql", "0002_add_order_note.down.sql")
    text = up.read_text()
    assert "ALTER TABLE orders ADD COLUMN note text;" in text
    assert "CREATE INDEX orders_note_idx ON orders (note);" in text
    assert down.read_text().splitlines()[-2:] == ["DROP INDEX orders_note_idx;",
                                                   "ALTER TABLE orders DROP COLUMN note;"]
    assert "lossy: add_column orders.note" in down.read_text()


def test_rerun_is_byte_identical_and_writes_nothing_new(tmp_path):
    migration = diff_sql(V1, V2, "postgres")
    first = write_migration(migration, tmp_path, "add note")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    again = write_migration(diff_sql(V1, V2, "postgres"), tmp_path, "add note")
    assert again == first
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_never_overwrites_an_edited_migration(tmp_path):
    up, _down = write_migration(MigrationText(["SELECT 1"], ["SELECT 2"]), tmp_path, "one",
                                number=3)
    up.write_text("-- edited by hand\nSELECT 42;\n")
    with pytest.raises(ArchkitError, match="refusing to overwrite"):
        write_migration(MigrationText(["SELECT 1"], ["SELECT 2"]), tmp_path, "one", number=3)
    assert up.read_text().startswith("-- edited by hand")
    # without a number the edited one is left alone and the next number is used
    paths = write_migration(MigrationText(["SELECT 1"], ["SELECT 2"]), tmp_path, "one")
    assert paths[0].name == "0004_one.up.sql"


def test_flyway_layout(tmp_path):
    (tmp_path / "V7__baseline.sql").write_text("SELECT 1;\n")
    paths = write_migration(MigrationText(["CREATE TABLE t (id int)"], ["DROP TABLE t"]),
                            tmp_path, "create t", layout="flyway")
    assert [p.name for p in paths] == ["V8__create_t.sql", "U8__create_t.sql"]
    assert existing_numbers(tmp_path, "flyway") == {7: "baseline", 8: "create_t"}


def test_bad_names_and_layouts_are_errors(tmp_path):
    with pytest.raises(ArchkitError, match="no letters"):
        write_migration(MigrationText([], []), tmp_path, "!!!")
    with pytest.raises(ArchkitError, match="layout"):
        write_migration(MigrationText([], []), tmp_path, "x", layout="liquibase")


def test_notes_from_hostile_names_stay_inside_sql_comments(tmp_path):
    a = "CREATE TABLE t (id integer PRIMARY KEY);"
    b = 'CREATE TABLE t (id integer PRIMARY KEY, "x\nDROP TABLE t; --" text);'
    _up, down = write_migration(diff_sql(a, b, "sqlite"), tmp_path, "hostile")
    lines = down.read_text().splitlines()
    statements = [ln for ln in lines if ln and not ln.startswith("--")]
    # the only executable text is the quoted DROP COLUMN, spread over its two lines
    assert [s.lower() for s in statements] == ['alter table t drop column "x', 'drop table t; --";']
