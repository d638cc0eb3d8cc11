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


def test_bad_entry_error_names_its_line(tmp_path):
    bad = tmp_path / "r.yaml"
    bad.write_text("name: x\nentities:\n  - {name: A}\n  - {name: B, colour: red}\n")
    with pytest.raises(ArchkitError, match="bad entry under 'entities'") as info:
        load_requirements(bad)
    assert info.value.where.line == 4


def test_example_requirements_validate_clean(example):
    reqs = load_requirements(example / "requirements.yaml")
    assert reqs.validate() == []
    assert reqs.entities[0].line == 11 and reqs.source.endswith("requirements.yaml")


def test_validation_findings_have_codes_lines_and_fixes(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(
        "name: x\n"
        "entities:\n  - {name: Order}\n  - {name: Order}\n"
        "relationships:\n  - {source: Order, target: Invoice}\n"
        "endpoints:\n  - {method: FETCH, path: orders}\n"
        "non_functional:\n  latency_ms: {p50: 300, p95: 200}\n  availability: 120\n"
        "  read_write_ratio: -2\n"
    )
    found = load_requirements(path).validate()
    by_code = {f.code: f for f in found}
    assert set(by_code) == {"BR201", "BR202", "BR203", "BR204", "BR205", "BR206", "BR207",
                            "BR208"}
    assert by_code["BR202"].line == 4 and by_code["BR202"].severity == "error"
    assert by_code["BR201"].line == 6 and "'Invoice'" in by_code["BR201"].message
    assert by_code["BR206"].line == 8 and by_code["BR207"].fix == "write it as /orders"
    assert "p50 (300 ms) is above p95 (200 ms)" in by_code["BR205"].message
    assert by_code["BR204"].object == "read_write_ratio"
    assert all(f.file == str(path) and f.fix for f in found)
