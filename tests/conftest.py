"""Shared fixtures: the corpora folder, the example folder, and database DSNs.

Engine tests skip when their DSN is not set; CI sets ARCHKIT_REQUIRE_ENGINES=1 so
a missing DSN fails there instead of skipping silently.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("ARCHKIT_CORPORA") or ROOT.parent / "shared" / "corpora")
EXAMPLE = ROOT / "examples" / "order_platform"

# Tests neither read nor fill the user's own result cache (archkit/result_cache.py); the
# subprocesses they start inherit this.
os.environ["ARCHKIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="archkit-test-cache-")
atexit.register(shutil.rmtree, os.environ["ARCHKIT_CACHE_DIR"], True)


@pytest.fixture(scope="session")
def corpora() -> Path:
    if not CORPORA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"corpora not found at {CORPORA}: CI must test against them")
        pytest.skip(f"corpora not found at {CORPORA} (set ARCHKIT_CORPORA)")
    return CORPORA


@pytest.fixture(scope="session")
def example() -> Path:
    return EXAMPLE


def _dsn(var: str) -> str:
    value = os.environ.get(var)
    if value:
        return value
    if os.environ.get("ARCHKIT_REQUIRE_ENGINES") == "1":
        pytest.fail(f"{var} is not set but ARCHKIT_REQUIRE_ENGINES=1 (CI must test this engine)")
    pytest.skip(f"{var} not set")


@pytest.fixture(scope="session")
def pg_dsn() -> str:
    """PostgreSQL DSN, e.g. postgresql://postgres@127.0.0.1:5432/test."""
    return _dsn("ARCHKIT_PG_DSN")


@pytest.fixture(scope="session")
def mysql_dsn() -> str:
    """MySQL/MariaDB DSN, e.g. mysql://root@127.0.0.1:3306/test."""
    return _dsn("ARCHKIT_MYSQL_DSN")
