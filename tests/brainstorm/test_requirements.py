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


def test_unknown_field_is_a_finding_and_the_entry_without_its_method_is_dropped(tmp_path):
    bad = tmp_path / "r.yaml"
    bad.write_text("name: x\nendpoints:\n  - {verb: GET, path: /}\n  - {method: GET, path: /a}\n")
    reqs = load_requirements(bad)
    assert [(e.method, e.path) for e in reqs.endpoints] == [("GET", "/a")]
    found = {f.code: f for f in reqs.validate()}
    assert found["BR301"].line == 3 and "'verb'" in found["BR301"].message
    assert found["BR302"].object == "endpoints[1]" and "no method" in found["BR302"].message
    assert found["BR302"].severity == "error" and found["BR302"].line == 3


def test_unknown_key_in_an_entity_keeps_the_entity_and_names_the_line(tmp_path):
    bad = tmp_path / "r.yaml"
    bad.write_text("name: x\nentities:\n  - {name: A}\n  - {name: B, colour: red}\n")
    reqs = load_requirements(bad)
    assert [e.name for e in reqs.entities] == ["A", "B"]
    (f,) = reqs.problems
    assert (f.code, f.line, f.col, f.object) == ("BR301", 4, 15, "B")  # the key itself
    assert f.severity == "warning" and "'colour'" in f.message and f.fix.startswith("known keys")


HALF_GOOD = """\
name: Shop
owner: bob
summary: [not, text]
entities:
  - {name: Order, attributes: [id, {x: 1}]}
  - {name: [a]}
  - just text
  - {name: Payment}
relationships: {source: Order}
endpoints:
  - {method: GET, path: /orders}
non_functional:
  peak_rps: lots
  read_write_ratio: .nan
  availability: 99.9
  rpo_minutes: 1.0e+400
  rto_minutes: 1000000000000000000000
  latency_ms: {p95: 200, p99: [1]}
  data_growth: lots
  colour: red
constraints: [One, {two: 2}]
name: Shop again
"""


def test_half_good_requirements_keep_every_good_part_and_report_the_rest(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(HALF_GOOD)
    reqs = load_requirements(path)
    assert reqs.name == "Shop again"  # a duplicate key: the later value, and a finding
    assert [(e.name, e.attributes) for e in reqs.entities] == [("Order", ["id"]), ("Payment", [])]
    assert [(e.method, e.path) for e in reqs.endpoints] == [("GET", "/orders")]
    assert reqs.relationships == [] and reqs.constraints == ["One"] and reqs.summary == ""
    nfr = reqs.non_functional
    assert (nfr.availability, nfr.latency_ms, nfr.data_growth) == (99.9, {"p95": 200}, {})
    assert nfr.peak_rps is nfr.read_write_ratio is nfr.rpo_minutes is nfr.rto_minutes is None
    got = sorted((f.line, f.code, f.severity.value) for f in reqs.problems)
    assert got == [
        (2, "BR301", "warning"),   # owner
        (3, "BR303", "error"),     # summary is a list
        (5, "BR303", "error"),     # attribute {x: 1}
        (6, "BR303", "error"),     # name: [a]
        (7, "BR302", "error"),     # just text
        (9, "BR303", "error"),     # relationships is a mapping
        (13, "BR303", "error"),    # peak_rps: lots
        (14, "BR303", "error"),    # NaN
        (16, "BR303", "error"),    # inf
        (17, "BR303", "error"),    # too large
        (18, "BR303", "error"),    # p99: [1]
        (19, "BR303", "error"),    # data_growth: lots
        (20, "BR301", "warning"),  # colour
        (21, "BR303", "error"),    # {two: 2}
        (22, "BR305", "error"),    # name twice
    ]
    assert all(f.file == str(path) and f.col and f.fix for f in reqs.problems)
    assert set(reqs.problems) <= set(reqs.validate())
    by_line = {f.line: f for f in reqs.problems}
    assert "'data_growth' must be a mapping, not str 'lots'" in by_line[19].message
    assert "'name' must be text, not a list; entry dropped" in by_line[6].message
    reqs.capacity()  # estimates from what was understood


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
