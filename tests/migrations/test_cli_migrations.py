"""``archkit schema diff`` and ``archkit schema lint-migration``: shapes, files, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

from archkit.cli import main

SAFE_V1 = "CREATE TABLE orders (id integer PRIMARY KEY, total integer NOT NULL);\n"
SAFE_V2 = "CREATE TABLE orders (id integer PRIMARY KEY, total integer NOT NULL, note text);\n"


def _run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_diff_json_shape_and_exit_1_on_unsafe_steps(example, capsys):
    schema = example / "schema"
    code, out, _ = _run(["schema", "diff", str(schema / "v1.sql"), str(schema / "v2.sql"),
                         "--dialect", "postgres", "--json"], capsys)
    doc = json.loads(out)
    assert code == 1  # NOT NULL columns without defaults and FKs without NOT VALID are errors
    assert {"up", "down", "findings"} <= set(doc)
    assert doc["up"][0] == "DROP VIEW order_summaries"
    assert "ALTER TABLE shipments RENAME COLUMN carrier TO carrier_code" in doc["up"]
    assert any(s.startswith("CREATE TABLE tenants") for s in doc["up"])
    assert "DROP TABLE tenants" in doc["down"]
    codes = {f["code"] for f in doc["findings"]}
    assert {"ZD005", "ZD105"} <= codes
    assert all({"code", "severity", "message", "object", "line"} <= set(f)
               for f in doc["findings"])


def test_diff_writes_migration_files_once(tmp_path, capsys):
    a, b = tmp_path / "v1.sql", tmp_path / "v2.sql"
    a.write_text(SAFE_V1)
    b.write_text(SAFE_V2)
    out_dir = tmp_path / "migrations"
    args = ["schema", "diff", str(a), str(b), "--dialect", "sqlite", "--out", str(out_dir),
            "--name", "add note", "--json"]
    code, out, _ = _run(args, capsys)
    assert code == 0
    files = json.loads(out)["files"]
    assert [p.rsplit("/", 1)[-1] for p in files] == ["0001_add_note.up.sql",
                                                    "0001_add_note.down.sql"]
    assert "ALTER TABLE orders ADD COLUMN note text;" in (out_dir / "0001_add_note.up.sql"
                                                          ).read_text()
    code, out, _ = _run(args, capsys)  # rerun: same files, nothing new
    assert json.loads(out)["files"] == files
    assert sorted(p.name for p in out_dir.iterdir()) == ["0001_add_note.down.sql",
                                                        "0001_add_note.up.sql"]


def test_diff_destructive_step_needs_allow(tmp_path, capsys):
    a, b = tmp_path / "a.sql", tmp_path / "b.sql"
    a.write_text(SAFE_V2)
    b.write_text(SAFE_V1)
    code, out, _ = _run(["schema", "diff", str(a), str(b), "--dialect", "postgres", "--json"],
                        capsys)
    doc = json.loads(out)
    assert code == 1
    assert [f["severity"] for f in doc["findings"] if f["code"] == "MG001"] == ["error"]
    code, out, _ = _run(["schema", "diff", str(a), str(b), "--dialect", "postgres", "--json",
                         "--allow-destructive"], capsys)
    doc = json.loads(out)
    assert [f["severity"] for f in doc["findings"] if f["code"] == "MG001"] == ["warning"]


def test_diff_rename_argument(tmp_path, capsys):
    a, b = tmp_path / "a.sql", tmp_path / "b.sql"
    a.write_text("CREATE TABLE users (id integer PRIMARY KEY, mail text);\n")
    b.write_text("CREATE TABLE users (id integer PRIMARY KEY, email text);\n")
    code, out, _ = _run(["schema", "diff", str(a), str(b), "--dialect", "postgres", "--json"],
                        capsys)
    doc = json.loads(out)
    assert "MG002" in {f["code"] for f in doc["findings"]}  # suggested, not applied
    assert "ALTER TABLE users DROP COLUMN mail" in doc["up"]
    code, out, _ = _run(["schema", "diff", str(a), str(b), "--dialect", "postgres", "--json",
                         "--rename", "users.mail=email"], capsys)
    assert json.loads(out)["up"] == ["ALTER TABLE users RENAME COLUMN mail TO email"]


def test_lint_migration_text_and_json(tmp_path, capsys):
    f = tmp_path / "0002.up.sql"
    f.write_text("SET lock_timeout = '2s';\nSET statement_timeout = '30s';\n"
                 "CREATE INDEX orders_tenant_idx ON orders (tenant_id);\n"
                 "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (tenant_id) "
                 "REFERENCES tenants (id);\n")
    code, out, _ = _run(["schema", "lint-migration", str(f), "--dialect", "postgres"], capsys)
    assert code == 1
    assert "ZD107" in out and "ZD105" in out and "CONCURRENTLY" in out
    code, out, _ = _run(["schema", "lint-migration", str(f), "--dialect", "postgres", "--json"],
                        capsys)
    doc = json.loads(out)
    assert [(x["code"], x["line"]) for x in doc["findings"]] == [("ZD107", 3), ("ZD105", 4)]


def test_lint_clean_file_exits_0(tmp_path, capsys):
    f = tmp_path / "ok.sql"
    f.write_text("ALTER TABLE orders ADD COLUMN note text;\n")
    code, out, _ = _run(["schema", "lint-migration", str(f), "--dialect", "sqlite"], capsys)
    assert (code, out.strip()) == (0, "no findings")


def test_missing_file_is_exit_2_without_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "archkit.cli", "schema", "diff", str(tmp_path / "nope.sql"),
         str(tmp_path / "nope2.sql"), "--dialect", "postgres"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "nope.sql" in proc.stderr


def test_diff_plan_writes_one_migration_per_phase(example, tmp_path, capsys):
    schema = example / "schema"
    code, out, _ = _run(["schema", "diff", str(schema / "v1.sql"), str(schema / "v2.sql"),
                         "--dialect", "postgres", "--plan", "--backfill", "*.tenant_id=1",
                         "--out", str(tmp_path), "--name", "tenants", "--json"], capsys)
    doc = json.loads(out)
    keys = [p["key"] for p in doc["plan"]["phases"]]
    assert keys[0] == "expand" and keys[-1] == "contract"
    assert not [f for f in doc["findings"] if f["code"] == "PL001"]
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names[0] == "0001_tenants_expand.down.sql"
    assert "0002_tenants_index.up.sql" in names
    assert "CREATE INDEX CONCURRENTLY carts_tenant_user_idx" in (
        tmp_path / "0002_tenants_index.up.sql").read_text()


def test_diff_plan_without_backfill_reports_pl001(example, capsys):
    schema = example / "schema"
    code, out, _ = _run(["schema", "diff", str(schema / "v1.sql"), str(schema / "v2.sql"),
                         "--dialect", "postgres", "--plan", "--json"], capsys)
    assert code == 1
    assert "PL001" in {f["code"] for f in json.loads(out)["findings"]}


def test_blocked_plan_is_reported_not_written(example, tmp_path, capsys):
    schema = example / "schema"
    code, out, _ = _run(["schema", "diff", str(schema / "v1.sql"), str(schema / "v2.sql"),
                         "--dialect", "postgres", "--plan", "--out", str(tmp_path)], capsys)
    assert code == 1 and list(tmp_path.iterdir()) == []
    assert "the plan is blocked (PL001 users.tenant_id" in out
    assert "SET tenant_id = NULL" not in out
