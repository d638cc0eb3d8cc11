import pytest

from archkit.brainstorm import load_requirements
from archkit.errors import ArchkitError


def test_example_requirements_load(example):
    reqs = load_requirements(example / "requirements.yaml")
    names = [e.name for e in reqs.entities]
    assert names[:3] == ["Tenant", "User", "Product"]
    assert {"Order", "Payment", "Shipment"} <= set(names)
    assert ("POST", "/v1/orders") in {(e.method, e.path) for e in reqs.endpoints}
    assert reqs.non_functional.latency_ms["p95"] == 200
    assert reqs.non_functional.peak_rps == 1500


def test_bad_yaml_names_line(tmp_path):
    bad = tmp_path / "r.yaml"
    bad.write_text("name: x\nentities: [\n")
    with pytest.raises(ArchkitError) as info:
        load_requirements(bad)
    assert info.value.where.file == str(bad) and info.value.where.line


def test_unknown_field_is_named(tmp_path):
    bad = tmp_path / "r.yaml"
    bad.write_text("name: x\nendpoints:\n  - {verb: GET, path: /}\n")
    with pytest.raises(ArchkitError, match="endpoints"):
        load_requirements(bad)
