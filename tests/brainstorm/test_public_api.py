"""The brainstorm package exports exactly its public API, and stays light to import."""

import json
import subprocess
import sys

import archkit.brainstorm

HEAVY = ["sqlglot", "diagrams", "anthropic", "ipywidgets", "graphviz", "yaml", "httpx", "httpx2"]


def test_exported_names_are_the_intended_api():
    assert sorted(archkit.brainstorm.__all__) == [
        "Assumptions", "CapacityEstimate", "Catalogue", "CatalogueEntry", "Criterion",
        "Decision", "DecisionSet", "Endpoint", "Entity", "FlipPoint", "Matrix",
        "NonFunctional", "Option", "Relationship", "Requirements", "Sensitivity",
        "SensitivityChart",
        "decision_from_record", "decision_to_record", "decisions_from_data",
        "estimate_capacity", "evaluate",
        "load_catalogue", "load_decisions", "load_decisions_text", "load_requirements",
        "load_requirements_text", "record_decisions",
        "sensitivity", "sensitivity_chart", "validate_requirements",
    ]
    for name in archkit.brainstorm.__all__:
        assert getattr(archkit.brainstorm, name).__doc__


def test_importing_brainstorm_llm_and_the_cli_group_loads_no_heavy_library():
    code = ("import sys, json; import archkit.brainstorm, archkit.llm, archkit.brainstorm.cli, "
            "archkit.check.brainstorm, archkit.widgets.decision_matrix; "
            "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert not set(json.loads(out.stdout)) & set(HEAVY)
