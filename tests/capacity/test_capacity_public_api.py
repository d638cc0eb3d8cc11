"""The public API of archkit.capacity is exactly what __all__ says, and loads lazily."""

from __future__ import annotations

import json
import subprocess
import sys

import archkit.capacity

PUBLIC = {
    "CapacityPlan", "ContainerPlan", "PlanAssumptions", "consistency_findings", "erlang_c",
    "latency_chart", "mmc", "plan_capacity", "servers_for", "simulate_wait", "write_pack_section",
}


def test_exported_names_are_the_intended_api_and_all_resolve():
    assert set(archkit.capacity.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(archkit.capacity, name).__doc__, name


def test_importing_the_package_and_its_cli_loads_no_heavy_library():
    code = ("import sys, json, archkit.capacity, archkit.capacity.cli; "
            "print(json.dumps([m for m in ('ciw', 'sqlglot', 'yaml') if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert json.loads(out.stdout) == []
