"""Structurizr's validation (errors) and inspections (warnings), with stable codes."""

from __future__ import annotations

from archkit.c4 import new_workspace
from archkit.c4.model import Person, Relationship
from archkit.findings import Severity


def test_big_bank_and_shopfront_are_clean(big_bank, shopfront):
    assert big_bank.validate().errors == []
    assert list(shopfront.validate()) == []


def test_errors():
    b = new_workspace("W")
    s = b.system("S", "Does it")
    api = s.container("API", "Serves", "Go")
    b.workspace.model.add(Person("p2", "S", "same name as the system"))
    b.relate(s, api, "parent to child")
    user = b.person("User", "Uses it")
    user.uses(api, "Calls", "HTTPS").uses(api, "Calls", "HTTPS")
    b.workspace.model.relate(Relationship("user", "ghost", "to nowhere"))
    b.containers(s, "C").includes("*", "ghost2")
    findings = b.build().validate()
    errors = {f.code: f for f in findings.errors}
    assert set(errors) == {"C4101", "C4102", "C4103", "C4105", "C4106"}
    assert errors["C4101"].object == "p2"
    assert errors["C4102"].fix
    assert all(f.severity is Severity.ERROR for f in errors.values())


def test_warnings():
    b = new_workspace("W")
    s = b.system("S")
    s.container("API")
    b.system("Lonely", "Nobody talks to me")
    b.containers(s, "C").includes("*")
    b.landscape("Empty")
    findings = b.build().validate()
    codes = {(f.code, f.object) for f in findings.warnings}
    assert ("C4201", "s") in codes          # no description
    assert ("C4202", "api") in codes        # no technology
    assert ("C4203", "lonely") in codes     # disconnected
    assert ("C4204", "lonely") in codes     # in no view
    assert ("C4205", "Empty") in codes      # empty view
    assert not findings.errors
