"""The public API of archkit.security is exactly what __all__ says, and loads lazily."""

from __future__ import annotations

import json
import subprocess
import sys

import archkit.security

PUBLIC = {
    "RULES", "Design", "Threat", "ThreatModel", "ThreatReport", "accepted_to_adr", "analyse",
    "build_threat_model", "consistency_findings", "dfd_diagram", "dfd_dot", "dfd_svg",
    "load_design", "load_triage", "set_status", "to_pytm", "to_threagile", "write_pack_section",
}


def test_exported_names_are_the_intended_api_and_all_resolve():
    assert set(archkit.security.__all__) == PUBLIC
    for name in PUBLIC - {"RULES"}:
        assert getattr(archkit.security, name).__doc__, name


def test_importing_the_package_and_its_cli_loads_no_heavy_library():
    code = ("import sys, json, archkit.security, archkit.security.cli; "
            "print(json.dumps([m for m in ('sqlglot', 'yaml', 'pytm') if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert json.loads(out.stdout) == []
