"""What each view shows: Structurizr's include rules, implied relationships, boundaries."""

from __future__ import annotations

from archkit.c4 import new_workspace


def _edges(contents):
    return {(r.source, r.destination): r for r in contents.relationships}


def test_context_view_shows_the_system_and_its_neighbours(big_bank):
    contents = big_bank.view("SystemContext").contents()
    assert contents.element_ids() == ["customer", "mainframe", "email", "internetBankingSystem"]
    assert set(_edges(contents)) == {("customer", "internetBankingSystem"),
                                     ("internetBankingSystem", "mainframe"),
                                     ("internetBankingSystem", "email"), ("email", "customer")}


def test_container_view_implies_relationships_from_components(big_bank):
    contents = big_bank.view("Containers").contents()
    assert set(contents.element_ids()) == {"customer", "mainframe", "email",
                                           "singlePageApplication", "mobileApp",
                                           "webApplication", "apiApplication", "database"}
    edges = _edges(contents)
    implied = edges[("apiApplication", "database")]
    assert implied.implied and implied.technology == "JDBC"
    assert not edges[("customer", "webApplication")].implied
    # the containers sit inside their system's boundary
    assert {contents.placement[c] for c in ("webApplication", "database")} == {
        "boundary_internetBankingSystem"}


def test_implied_relationships_can_be_turned_off(big_bank):
    view = big_bank.view("Containers").without_implied()
    assert not any(r.implied for r in view.contents().relationships)
    assert ("apiApplication", "database") not in _edges(view.contents())


def test_component_view(big_bank):
    contents = big_bank.view("Components").contents()
    ids = contents.element_ids()
    components = {"signinController", "accountsSummaryController", "resetPasswordController",
                  "securityComponent", "mainframeBankingSystemFacade", "emailComponent"}
    neighbours = {"database", "singlePageApplication", "mobileApp", "mainframe", "email"}
    assert set(ids) == components | neighbours
    assert "apiApplication" not in ids  # it is the boundary
    assert len(contents.relationships) == 13


def test_dynamic_view_numbers_its_steps(big_bank):
    contents = big_bank.view("SignIn").contents()
    labels = [r.description for r in contents.relationships]
    assert labels[0] == "1. Submits credentials to"
    assert labels[-1] == "6. Sends back an authentication token to"


def test_deployment_view_replicates_relationships_to_instances(big_bank):
    contents = big_bank.view("LiveDeployment").contents()
    edges = _edges(contents)
    assert ("liveApiApplicationInstance", "livePrimaryDatabaseInstance") in edges
    assert ("liveApiApplicationInstance", "liveSecondaryDatabaseInstance") in edges
    # a relationship between two deployment nodes is an edge between two boundaries
    node_edge = edges[("node_primaryDatabaseServer", "node_secondaryDatabaseServer")]
    assert node_edge.description == "Replicates data to"
    assert contents.cluster("node_bigbankWeb").element.instances == "4"


def test_include_exclude_and_tags():
    b = new_workspace("W")
    user = b.person("User", "Uses it")
    s = b.system("S", "Does it")
    other = b.system("Other", "Helps", tags="Legacy")
    user.uses(s, "Uses")
    s.uses(other, "Calls")
    view = b.landscape("L").includes("*").excludes("element.tag==Legacy")
    assert view.contents().element_ids() == ["user", "s"]
    only = b.landscape("L2").includes("user", "other")
    assert only.contents().element_ids() == ["user", "other"]
    assert only.contents().relationships == []


def test_element_not_allowed_in_view_is_a_finding():
    b = new_workspace("W")
    s = b.system("S", "Does it")
    api = s.container("API", "Serves", "Go")
    view = b.context(s, "Ctx").includes("*", api.id)
    codes = [f.code for f in view.contents().findings]
    assert codes == ["C4104"]
