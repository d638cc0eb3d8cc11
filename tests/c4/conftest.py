from __future__ import annotations

from pathlib import Path

import pytest

from archkit.c4.dsl_reader import read_dsl
from archkit.c4.load import load_workspace

HOSTILE = '<script>alert("x")</script> & "quotes"'


@pytest.fixture(scope="session")
def big_bank_path(corpora: Path) -> Path:
    return corpora / "c4" / "big-bank-plc.dsl"


@pytest.fixture()
def big_bank(big_bank_path):
    ws, findings = read_dsl(big_bank_path)
    return ws


@pytest.fixture()
def shopfront(example):
    ws, _ = load_workspace(example / "workspace.py")
    return ws
