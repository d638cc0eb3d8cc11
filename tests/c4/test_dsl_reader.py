"""Reading Structurizr DSL: Big Bank plc in full, the rest of the language, and bad input."""

from __future__ import annotations

import pytest

from archkit.c4.dsl_reader import parse_dsl, read_dsl
from archkit.errors import ArchkitError


def test_big_bank_counts_match_the_file(big_bank_path):
    ws, findings = read_dsl(big_bank_path)
    counts = ws.counts()
    assert (counts["person"], counts["softwareSystem"], counts["container"],
            counts["component"]) == (3, 4, 5, 6)
    assert counts["relationships"] == 26
    assert counts["views"] == 7
    assert [e.name for e in ws.model.environments] == ["Development", "Live"]
    assert counts["deploymentRelationships"] == 1  # primary -> secondary database server
    assert list(findings) == []


def test_big_bank_elements_carry_their_fields(big_bank):
    model = big_bank.model
    spa = model["singlePageApplication"]
    assert spa.kind == "container"
    assert spa.technology == "JavaScript and Angular"
    assert spa.tags == ["Web Browser"]
    assert spa.parent is model["internetBankingSystem"]
    assert model["signinController"].parent is model["apiApplication"]
    assert model["mainframe"].group == "Big Bank plc"
    assert model["customer"].group is None
    rel = next(r for r in model.relationships if r.source == "customer"
               and r.destination == "supportStaff")
    assert (rel.description, rel.technology) == ("Asks questions to", "Telephone")


def test_big_bank_deployment(big_bank):
    model = big_bank.model
    live = model.environment("Live")
    big_bank_dc = live.nodes[-1]
    web, api = big_bank_dc.children[0], big_bank_dc.children[1]
    assert (web.name, web.instances) == ("bigbank-web***", "4")
    assert (api.name, api.instances) == ("bigbank-api***", "8")
    secondary = model["liveSecondaryDatabaseInstance"]
    assert secondary.of == "database" and secondary.tags == ["Failover"]
    assert model["primaryDatabaseServer"].parent.name == "bigbank-db01"
    instances = [e for e in model.walk_all() if e.kind == "softwareSystemInstance"]
    assert [i.of for i in instances] == ["mainframe", "mainframe"]


def test_big_bank_views_and_styles(big_bank):
    views = {v.key: v for v in big_bank.views}
    assert [(v.key, v.kind) for v in big_bank.views] == [
        ("SystemLandscape", "systemLandscape"), ("SystemContext", "systemContext"),
        ("Containers", "container"), ("Components", "component"), ("SignIn", "dynamic"),
        ("DevelopmentDeployment", "deployment"), ("LiveDeployment", "deployment")]
    assert views["Components"].scope == "apiApplication"
    assert views["LiveDeployment"].environment == "Live"
    assert views["SignIn"].description.startswith("Summarises how the sign in feature")
    assert [s.description for s in views["SignIn"].steps][2] == (
        "select * from users where username = ?")
    assert [s.order for s in views["SignIn"].steps] == [1, 2, 3, 4, 5, 6]
    assert views["Containers"].animation[0] == ["customer", "mainframe", "email"]
    assert all(v.auto_layout == "tb" for v in big_bank.views)
    styles = big_bank.styles
    assert styles.for_tags("element", ["Element", "Container", "Database"]) == {
        "background": "#438dd5", "color": "#ffffff", "shape": "Cylinder"}
    assert styles.for_tags("element", ["Failover"]) == {"opacity": "25"}


def test_rest_of_the_language():
    ws, findings = parse_dsl('''
workspace "W" {
    !identifiers hierarchical
    !const TECH "Python"
    model {
        s = softwareSystem "S" {
            db = container "DB" """
                Keeps
                everything
            """ "PostgreSQL" "Database"
            api = container "API" "" "${TECH}" {
                this -> db "Reads" "SQL" {
                    tags "Sync"
                }
            }
        }
        u = person "User" {
            description "A user"
            tags "Customer,VIP" "Staff"
            url https://example.com/u
            properties {
                "owner" "team-a"
            }
            -> s "Uses"
        }
        r1 = u -> s.api "Calls" "HTTPS"
        deploymentEnvironment "Live" {
            dg = deploymentGroup "blue"
            n = deploymentNode "Server" "" "Ubuntu" "" "1..N" {
                infrastructureNode "LB" "" "nginx"
                containerInstance s.api "blue"
            }
        }
    }
    views {
        container s "C" "All containers" {
            include *
            exclude u
            autoLayout lr 150 120
            title "Containers of S"
        }
        theme default
    }
}
''')
    model = ws.model
    assert ws.identifiers == "hierarchical"
    assert model["s.api"].technology == "Python"
    assert model["s.db"].description == "Keeps\neverything"
    user = model["u"]
    assert user.tags == ["Customer", "VIP", "Staff"]
    assert user.url == "https://example.com/u" and user.properties == {"owner": "team-a"}
    rels = {(r.source, r.destination): r for r in model.relationships}
    assert rels[("u", "s")].description == "Uses"
    assert rels[("s.api", "s.db")].tags == ["Sync"]
    assert rels[("u", "s.api")].id == "r1"
    server = model["n"]
    assert server.instances == "1..N"
    assert [c.kind for c in server.children] == ["infrastructureNode", "containerInstance"]
    assert server.children[1].deployment_groups == ["blue"]
    view = ws.view("C")
    assert (view.exclude, view.auto_layout, view.rank_separation, view.node_separation) == (
        ["u"], "lr", 150, 120)
    assert view.title == "Containers of S"
    assert ws.themes == ["default"]
    assert [f.code for f in findings] == ["C4303"]


def test_unsupported_directives_become_findings_with_lines():
    ws, findings = parse_dsl('''workspace {
    !plugin com.example.Plugin
    model {
        a = softwareSystem "A"
        !script groovy {
            workspace.model.addPerson("x")
        }
        !include https://example.com/more.dsl
    }
    views {
        filtered "f" include "tag" "F"
    }
}''')
    assert [(f.code, f.line) for f in findings] == [
        ("C4301", 2), ("C4301", 5), ("C4301", 8), ("C4304", 11)]
    assert ws.model["a"].name == "A"


@pytest.mark.parametrize(("text", "line", "col", "words"), [
    ('workspace {\n    model {\n        a = person "A"\n    \n}', 1, 11, "never closed"),
    ('workspace {\n    model {\n    }\n}\n}', 5, 1, "never opened"),
    ('workspace {\n    model {\n        a = person "A"\n        a -> b "Uses"\n    }\n}',
     4, 14, "unknown identifier 'b'"),
    ('workspace {\n    model {\n        a = persn "A"\n    }\n}', 3, 13, "unknown keyword 'persn'"),
    ("", 1, 1, "empty"),
    ("  \n\n", 1, 1, "empty"),
])
def test_malformed_dsl_names_line_and_column(text, line, col, words):
    with pytest.raises(ArchkitError) as info:
        parse_dsl(text, file="bad.dsl")
    err = info.value
    assert words in err.message
    assert (err.where.file, err.where.line, err.where.col) == ("bad.dsl", line, col)
    assert err.hint


def test_binary_file_is_refused_with_a_place(tmp_path):
    path = tmp_path / "logo.dsl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ArchkitError) as info:
        read_dsl(path)
    assert "binary" in info.value.message
    assert (info.value.where.line, info.value.where.col) == (3, 1)  # the first NUL byte


def test_element_in_the_wrong_parent_is_an_error():
    with pytest.raises(ArchkitError) as info:
        parse_dsl('workspace {\n model {\n  s = softwareSystem "S" {\n'
                  '   c = component "C"\n  }\n }\n}')
    assert "cannot be defined inside" in info.value.message
    assert info.value.where.line == 4


def test_include_implied_off_groups_and_deployment_groups(tmp_path):
    (tmp_path / "people.dsl").write_text('shopper = person "Shopper" "Buys"\n')
    main = tmp_path / "w.dsl"
    main.write_text('''workspace {
    model {
        !impliedRelationships false
        !include people.dsl
        group "Shopfront Ltd" {
            shop = softwareSystem "Shop" "Sells" {
                api = container "API" "Serves" "Go"
            }
        }
        shopper -> api "Uses"
        deploymentEnvironment "Live" {
            blue = deploymentGroup "Blue"
            deploymentNode "Server" {
                containerInstance api blue
            }
        }
    }
    views {
        systemContext shop "Ctx" {
            include *
        }
    }
}
''')
    ws, findings = read_dsl(main)
    assert ws.model["shopper"].name == "Shopper"
    assert ws.model["shop"].group == "Shopfront Ltd"
    assert ws.model.implied_relationships is False
    instance = next(e for e in ws.model.walk_all() if e.kind == "containerInstance")
    assert instance.deployment_groups == ["Blue"] and instance.tags == []
    # implied relationships are off: shopper -> api does not lift to shopper -> shop
    assert ws.view("Ctx").contents().relationships == []
    assert list(findings) == []


def test_dynamic_step_by_relationship_identifier():
    ws, _ = parse_dsl('''workspace {
    model {
        a = softwareSystem "A" "x"
        b = softwareSystem "B" "y"
        calls = a -> b "Calls" "HTTPS"
    }
    views {
        dynamic * "D" {
            calls "Asks for the price"
            b -> a "Answers"
        }
    }
}''')
    steps = ws.view("D").steps
    assert [(s.order, s.source, s.destination, s.description, s.technology) for s in steps] == [
        (1, "a", "b", "Asks for the price", "HTTPS"), (2, "b", "a", "Answers", "")]


def test_parallel_sequences_are_read_with_shared_step_numbers():
    ws, findings = parse_dsl('''workspace {
    model {
        a = softwareSystem "A" "x"
        b = softwareSystem "B" "y"
    }
    views {
        dynamic * "D" {
            a -> b "First"
            {
                b -> a "In parallel"
            }
        }
    }
}''')
    assert [(s.description, s.order) for s in ws.view("D").steps] == [("First", 1),
                                                                        ("In parallel", 2)]
    assert list(findings) == []


def test_damaged_big_bank_files_fail_cleanly_or_round_trip(big_bank_path):
    """Delete or insert lines and words at random: an ArchkitError with a line, or a model
    that validates and survives a DSL round trip — never a bare exception."""
    import random

    from archkit.c4.dsl_writer import write_dsl

    lines = big_bank_path.read_text().splitlines()
    junk = ["{", "}", "->", '"', "x = ", "include", "autoLayout zz", "a -> ", "= person",
            "tags", "containerInstance", "animation {", "this -> customer", 'group "g" {']
    rng = random.Random(3)
    outcomes = {"error": 0, "parsed": 0}
    for _ in range(200):
        damaged = list(lines)
        k = rng.randrange(len(damaged))
        op = rng.randrange(3)
        if op == 0:
            del damaged[k]
        elif op == 1:
            damaged.insert(k, rng.choice(junk))
        else:
            words = damaged[k].split(" ")
            del words[rng.randrange(len(words))]
            damaged[k] = " ".join(words)
        try:
            ws, _ = parse_dsl("\n".join(damaged), file="damaged.dsl")
        except ArchkitError as err:
            assert err.where.line is not None and err.where.col is not None
            outcomes["error"] += 1
            continue
        ws.validate()
        again, _ = parse_dsl(write_dsl(ws))
        assert again.to_dict() == ws.to_dict()
        outcomes["parsed"] += 1
    assert outcomes["error"] > 25 and outcomes["parsed"] > 25
