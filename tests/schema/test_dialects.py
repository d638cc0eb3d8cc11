"""The SQL dialect layer: one frozen Dialect per dialect, and no other module comparing names.

Modules ask ``archkit.schema.dialects.dialect(name)`` what a dialect does instead of writing
``dialect == "mysql"``. ``REMAINING`` lists the comparisons still left per module (a ceiling:
the test fails when a module gains one, and asks for the ceiling to be lowered when it loses
some), so the count only goes down.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from archkit.errors import ArchkitError
from archkit.schema.dialects import DIALECTS, MYSQL, POSTGRES, SQLITE, Dialect, dialect, names

ROOT = Path(__file__).resolve().parents[2] / "archkit"
NAMES = {"postgres", "postgresql", "mysql", "mariadb", "sqlite", "sqlite3"}
LAYER = {"schema/dialects.py"}
# Comparisons that stay (module → how many).
REMAINING = {
    "schema/engines.py": 1,  # reads the server's VERSION() string ("10.11.9-MariaDB"), no dialect
    "migrations/diff.py": 1,  # being reworked in another branch (functions and triggers)
}


def _is_name(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value in NAMES
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_is_name(e) for e in node.elts)
    return False


def _comparisons(path: Path) -> int:
    tree = ast.parse(path.read_text(), str(path))
    return sum(1 for node in ast.walk(tree) if isinstance(node, ast.Compare)
               and any(_is_name(x) for x in [node.left, *node.comparators]))


def test_no_module_outside_the_dialect_layer_compares_dialect_names():
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel not in LAYER and (n := _comparisons(path)):
            found[rel] = n
    grown = {m: (n, REMAINING.get(m, 0)) for m, n in found.items() if n > REMAINING.get(m, 0)}
    assert not grown, f"compare through archkit.schema.dialects instead (found, allowed): {grown}"
    shrunk = {m: (found.get(m, 0), n) for m, n in REMAINING.items() if found.get(m, 0) < n}
    assert not shrunk, f"fewer comparisons left; lower REMAINING to match: {shrunk}"


def test_the_scan_sees_a_comparison():
    tree = ast.parse('x = d == "mysql" or d in ("sqlite", "postgres")')
    assert sum(isinstance(n, ast.Compare) and any(_is_name(c) for c in [n.left, *n.comparators])
               for n in ast.walk(tree)) == 2


def test_registry_and_aliases():
    assert names() == ("postgres", "mysql", "sqlite")
    assert dialect("PostgreSQL") is POSTGRES and dialect("mariadb") is MYSQL
    assert dialect("sqlite3") is SQLITE and dialect(SQLITE) is SQLITE
    with pytest.raises(ArchkitError, match="unknown dialect"):
        dialect("oracle")
    with pytest.raises(dataclasses.FrozenInstanceError):
        POSTGRES.quote_char = "`"  # type: ignore[misc]
    assert set(DIALECTS) == {"postgres", "mysql", "sqlite"}


def test_a_dialect_is_built_from_known_fields_only():
    fields = dict(name="x", aliases=(), sqlglot="postgres", quote_char='"',
                  default_schema=None, folds_unquoted=True, case_insensitive=False)
    built = Dialect(**fields)
    assert built.type_writer == "postgres" and built.index_methods == frozenset()
    with pytest.raises(TypeError, match=r"missing \['quote_char'\]"):
        Dialect(**{k: v for k, v in fields.items() if k != "quote_char"})
    with pytest.raises(TypeError, match=r"unknown \['quote_chars'\]"):
        Dialect(**fields, quote_chars="`")
    with pytest.raises(dataclasses.FrozenInstanceError):
        del built.name


@pytest.mark.parametrize("name, postgres, mysql", [
    ("users", "users", "users"),
    ("Users", '"Users"', "`Users`"),
    ("order", '"order"', "`order`"),
    ('a"b', '"a""b"', '`a"b`'),
    ("a`b", '"a`b"', "`a``b`"),
    ("x)); DROP TABLE users; --", '"x)); DROP TABLE users; --"', "`x)); DROP TABLE users; --`"),
])
def test_identifiers_are_quoted_when_they_need_it(name, postgres, mysql):
    assert POSTGRES.ident(name) == postgres and SQLITE.ident(name) == postgres
    assert MYSQL.ident(name) == mysql


def test_what_each_dialect_can_do():
    assert not SQLITE.alter_type_in_place and POSTGRES.alter_type_in_place
    assert "gin" in POSTGRES.index_methods and "fulltext" in MYSQL.index_kinds
    assert POSTGRES.serial_types["bigint"] == "bigserial" and not MYSQL.serial_types
    assert not MYSQL.index_names_per_schema and SQLITE.type_writer == "mysql"
    assert POSTGRES.fold("Users", quoted=False) == "users"
    assert POSTGRES.fold("Users", quoted=True) == "Users"
    assert MYSQL.same_name("Users", "users") and not POSTGRES.same_name("Users", "users")


def test_online_ddl_and_default_names_live_on_the_dialect():
    assert POSTGRES.concurrent_indexes and not MYSQL.concurrent_indexes
    assert MYSQL.online_alter == ("ALGORITHM=INPLACE", "LOCK=NONE") and not POSTGRES.online_alter
    assert SQLITE.table_rebuilds and not SQLITE.lock_timeout_sql
    assert POSTGRES.batched_update_sql.format(table="t", assignment="c = 1", where="c IS NULL",
                                              batch=10) == (
        "UPDATE t SET c = 1 WHERE ctid IN (SELECT ctid FROM t WHERE c IS NULL LIMIT 10)")
    assert MYSQL.fk_name("orders", ["user_id"], 2) == "orders_ibfk_2"
    assert POSTGRES.fk_name("orders", ["user_id"], 2) == "orders_user_id_fkey"
    assert MYSQL.unique_name("users", ["email", "org"]) == "email"
    assert SQLITE.unique_name("users", ["email"]) == "users_email_key"
    assert MYSQL.check_name("t", ["a", "b"], "a", 3) == "CONSTRAINT_3"
    assert POSTGRES.check_name("t", ["a", "b"], "b", 3) == "t_b_check"
