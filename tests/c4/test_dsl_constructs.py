"""Structurizr DSL constructs beyond the basics: each parses into the model or is a finding."""

from __future__ import annotations

import pytest

from archkit.c4.dsl_reader import parse_dsl
from archkit.c4.dsl_writer import write_dsl
from archkit.errors import ArchkitError

DEPLOYMENT = '''workspace {
    !identifiers hierarchical
    model {
        properties {
            "structurizr.groupSeparator" "::"
        }
        s = softwareSystem "S" {
            api = container "API" {
                url https://example.com/api
                perspectives {
                    "Security" "TLS everywhere"
                }
            }
        }
        live = deploymentEnvironment "Live" {
            group "Region" {
                group "Zone A" {
                    dc = deploymentNode "DC" "" "Linux" "" 4 {
                        lb = infrastructureNode "LB"
                        app = containerInstance s.api {
                            healthCheck "API" "https://api/health" 60 1000
                            lb -> this "Routes"
                        }
                    }
                }
            }
            web = deploymentNode "Web" {
                instances 3
                group "Edge"
                instanceOf s.api
            }
        }
    }
    views {
        deployment s live "Live" {
            include *
            autoLayout lr 150 200
        }
        filtered "Live" include "Element" "LiveFiltered"
        image * "diagram" {
            image diagram.png
        }
    }
}
'''


def test_groups_in_deployment_environments_and_instance_properties():
    ws, findings = parse_dsl(DEPLOYMENT, file="w.dsl")
    dc = ws.model["dc"]
    assert dc.group == "Region::Zone A" and dc.instances == "4"
    assert ws.model["dc.lb"].group is None  # an element's group is not inherited
    web = ws.model["web"]
    assert web.instances == "3" and web.group == "Edge"
    assert ws.model["s.api"].url == "https://example.com/api"
    assert ws.model["s.api"].perspectives == {"Security": "TLS everywhere"}
    assert ws.model.properties == {"structurizr.groupSeparator": "::"}
    rel = next(r for r in ws.model.relationships if r.description == "Routes")
    assert (rel.source, rel.destination) == ("dc.lb", "dc.app")
    view = ws.view("Live")
    assert (view.auto_layout, view.rank_separation, view.node_separation) == ("lr", 150, 200)
    assert view.environment == "Live"
    codes = sorted((f.code, f.line) for f in findings)
    assert codes == [("C4304", 39), ("C4304", 40), ("C4311", 21)]  # filtered, image, healthCheck


def test_deployment_groups_and_properties_round_trip_through_the_writer():
    ws, _ = parse_dsl(DEPLOYMENT, file="w.dsl")
    again, _ = parse_dsl(write_dsl(ws), file="again.dsl")
    assert again.model.to_dict() == ws.model.to_dict()
    assert again.view("Live").to_dict() == ws.view("Live").to_dict()


@pytest.mark.parametrize("layout, message", [("autoLayout sideways", "direction"),
                                             ("autoLayout lr wide", "whole number")])
def test_bad_auto_layout_is_a_located_error(layout, message):
    text = ('workspace {\n model {\n  s = softwareSystem "S"\n }\n views {\n'
            f'  systemContext s {{\n   {layout}\n  }}\n }}\n}}\n')
    with pytest.raises(ArchkitError) as err:
        parse_dsl(text, file="w.dsl")
    assert message in err.value.message and err.value.where.line == 7


def test_this_selectors_and_custom_elements():
    ws, findings = parse_dsl('''workspace {
    model {
        custom = element "Custom"
        u = person "U"
        g = group "Team" {
            a = softwareSystem "A"
            b = softwareSystem "B"
        }
        !elements g {
            u -> this "Uses"
        }
        !element a {
            tags "Core"
            custom -> this
        }
        !relationship rel1 {
            technology "HTTPS"
        }
    }
    views {
        systemLandscape "L" {
            include * custom
        }
    }
}''', file="w.dsl")
    rels = [(r.source, r.destination, r.technology) for r in ws.model.relationships]
    assert rels == [("u", "a", "HTTPS"), ("u", "b", "")]
    assert ws.model["a"].tags == ["Core"]
    assert ws.view("L").include == ["*"]
    assert {f.code for f in findings} == {"C4310"} and len(findings) == 3


def test_scripts_plugins_and_remote_includes_are_findings_anywhere():
    ws, findings = parse_dsl('''workspace {
    !plugin com.example.Plugin
    model {
        s = softwareSystem "S" {
            !script groovy {
                element.addTags("x")
            }
        }
        s -> s "Calls itself" {
            !script kotlin {
                println("hi")
            }
        }
    }
    views {
        systemContext s {
            !script groovy {
                view.description = "x"
            }
            include *
        }
    }
}''', file="w.dsl")
    assert [(f.code, f.line) for f in findings] == [("C4301", 2), ("C4301", 5), ("C4301", 10),
                                                    ("C4301", 17)]
    assert ws.views[0].include == ["*"]


@pytest.mark.parametrize("ident", ['"quoted id"', "a.b", "{x}", "é!"])
def test_identifiers_are_checked_as_structurizr_does(ident):
    text = f'workspace {{\n model {{\n  {ident} = person "P"\n }}\n}}\n'
    with pytest.raises(ArchkitError) as err:
        parse_dsl(text, file="w.dsl")
    assert err.value.where.line == 3
