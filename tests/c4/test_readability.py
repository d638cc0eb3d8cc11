"""Views a reader can read: notebook width, text size, people on top, layout, contrast, legend."""

from __future__ import annotations

import re

import pytest

from archkit.c4 import new_workspace
from archkit.c4.layout import Layout
from archkit.c4.render import run_dot
from archkit.colors import AA, contrast
from archkit.svgmetrics import measure, text_contrasts

SHOPFRONT_VIEWS = ["Landscape", "Context", "Containers", "AppComponents",
                   "OrderPipeline", "LiveDeployment"]


def _shown(view) -> tuple[float, float]:
    html = view._repr_mimebundle_()["text/html"]
    assert html.count("<svg") == 1  # one picture; the full-size toggle reuses it
    return measure(html).shown(1000)


@pytest.mark.parametrize("key", SHOPFRONT_VIEWS)
def test_example_views_fit_the_notebook_and_read_at_8px(shopfront, key):
    diagram = shopfront.view(key).render()
    width, smallest = _shown(shopfront.view(key))
    assert width <= 1000
    assert smallest >= 8, f"{key}: smallest text {smallest:.1f} px"
    assert "C4601" not in diagram.findings.codes()


def test_every_big_bank_view_reads_or_says_how_to_split(big_bank):
    for view in big_bank.views:
        width, smallest = _shown(view)
        assert width <= 1000
        assert smallest >= 8 or "C4601" in view.render().findings.codes(), view.key


@pytest.mark.parametrize("key", SHOPFRONT_VIEWS)
def test_example_text_meets_wcag_aa_on_what_it_sits_on(shopfront, key):
    runs = text_contrasts(shopfront.view(key).render().svg())
    assert len(runs) > 10
    low = [r for r in runs if r.ratio < AA]
    assert low == [], low[:3]


def test_contrast_is_read_from_the_rendered_svg_not_assumed():
    b = new_workspace("W")
    s = b.system("Pale", "x", id="pale", tags="Pale")
    b.person("U", "u").uses(s, "Uses")
    b.context(s, "C").includes("*")
    b.style("Pale", background="#dddddd", color="#ffffff")
    ws = b.build()
    diagram = ws.view("C").render()
    runs = [r for r in text_contrasts(diagram.svg()) if r.group == "pale"]
    assert runs and all(r.background == "#dddddd" and r.color == "#ffffff" for r in runs)
    assert min(r.ratio for r in runs) == pytest.approx(contrast("#ffffff", "#dddddd"), abs=0.01)


def test_user_colours_under_aa_get_a_finding_and_are_kept(big_bank):
    diagram = big_bank.view("SystemContext").render()
    low = [f for f in diagram.findings if f.code == "C4502"]
    assert {f.object for f in low} >= {"mainframe", "email"}
    mainframe = next(f for f in low if f.object == "mainframe")
    assert "2.85:1" in mainframe.message and "Mainframe Banking System" in mainframe.message
    suggested = re.search(r"use color (#[0-9a-f]{6}) or background (#[0-9a-f]{6})", mainframe.fix)
    assert suggested
    assert contrast(suggested.group(1), "#999999") >= AA
    assert contrast("#ffffff", suggested.group(2)) >= AA
    # the user's own colours are drawn as given
    runs = [r for r in text_contrasts(diagram.svg()) if r.group == "mainframe"]
    assert all(r.background == "#999999" and r.color == "#ffffff" for r in runs)


def test_default_theme_passes_for_faded_failover_and_external_elements():
    b = new_workspace("W")
    s = b.system("Main", "The system", id="main")
    db = s.container("Primary", "Data", "PostgreSQL", tags="Database", id="primary")
    spare = s.container("Failover", "Standby copy", "PostgreSQL", tags="Failover", id="spare")
    ext = b.system("Bank", "Someone else's", external=True, id="bank")
    user = b.person("U", "u", id="u")
    outsider = b.person("Visitor", "from outside", external=True, id="visitor")
    user.uses(db, "Reads")
    db.uses(spare, "Replicates to")
    spare.uses(ext, "Reports to")
    outsider.uses(db, "Peeks")
    b.containers(s, "C").includes("*")
    b.style("Failover", opacity="25")
    diagram = b.build().view("C").render()
    runs = text_contrasts(diagram.svg())
    assert {r.group for r in runs} >= {"spare", "bank", "visitor", "primary"}
    assert [r for r in runs if r.ratio < AA] == []
    assert "C4502" not in diagram.findings.codes()
    assert re.search(r"\tspare \[.*style=\"filled,dashed\"", diagram.dot)  # still looks faded


def test_legend_gives_every_kind_its_own_colour():
    b = new_workspace("W")
    s = b.system("S", "x", id="s")
    c = s.container("C", "x", "Python", id="c")
    k = c.component("K", "x", "Python", id="k")
    d = s.container("D", "x", "Python", id="d")
    user = b.person("U", "u", id="u")
    guest = b.person("G", "g", external=True, id="g")
    other = b.system("O", "o", id="o")
    ext = b.system("E", "e", external=True, id="e")
    for a, z in ((user, k), (guest, k), (k, d), (k, other), (k, ext)):
        a.uses(z, "Uses")
    b.components(c, "K").includes("*")
    dot = b.build().view("K").render().dot
    entries = re.findall(r'<td bgcolor="(#[0-9a-fA-F]{6})"[^>]*>.*?</td><td align="left">'
                         r'<font point-size="\d+">([^<]+)</font>', dot)
    kinds = dict((name, fill) for fill, name in entries)
    assert set(kinds) == {"Person", "External Person", "Software System",
                          "External Software System", "Container", "Component"}
    assert len(set(kinds.values())) == len(kinds), kinds


@pytest.mark.parametrize(("ws_name", "key"), [("shopfront", "Context"),
                                              ("shopfront", "Containers"),
                                              ("big_bank", "SystemLandscape"),
                                              ("big_bank", "SystemContext"),
                                              ("big_bank", "Containers")])
def test_people_are_on_the_top_rank(request, ws_name, key):
    ws = request.getfixturevalue(ws_name)
    view = ws.view(key)
    diagram = view.render()
    layout = Layout.parse(run_dot(diagram.dot, "json"))
    people = [e.id for e in view.contents().elements if e.kind == "person"]
    assert people
    assert layout.people_below(people) == 0
    if layout.rankdir == "TB":
        assert layout.people_lower(people) == 0


def test_edge_labels_never_sit_on_nodes(shopfront, big_bank):
    for ws in (shopfront, big_bank):
        for view in ws.views:
            layout = Layout.parse(run_dot(view.render().dot, "json"))
            assert layout.labels_over_nodes() == [], view.key


def test_crossings_are_counted_from_graphviz_splines():
    # K3,3 cannot be drawn without a crossing; a chain can.
    k33 = "digraph{" + "".join(f"a{i}->b{j};" for i in range(3) for j in range(3)) + "}"
    assert Layout.parse(run_dot(k33, "json")).crossings() >= 1
    chain = "digraph{a->b; b->c; c->d; a->c}"
    assert Layout.parse(run_dot(chain, "json")).crossings() == 0


def test_example_context_view_has_no_crossings(shopfront):
    assert Layout.parse(run_dot(shopfront.view("Context").render().dot, "json")).crossings() == 0


def test_auto_layout_direction_and_separation_are_honoured():
    b = new_workspace("W")
    s = b.system("S", "x", id="s")
    b.person("U", "u").uses(s, "Uses")
    view = b.context(s, "C").includes("*").layout("lr")
    view.rank_separation, view.node_separation = 150, 120
    ws = b.build()
    for direction in ("tb", "bt", "lr", "rl"):
        ws.view("C").auto_layout = direction
        graph = ws.view("C").render().dot.splitlines()[1]  # the root graph's attributes
        assert f"rankdir={direction.upper()}" in graph
        assert "ranksep=1.5" in graph and "nodesep=1.2" in graph


def test_a_view_that_cannot_fit_says_how_to_split_it():
    b = new_workspace("W")
    s = b.system("Wide" * 120, "x", id="s")  # one unbreakable word: no layout narrows it
    b.person("U", "u").uses(s, "Uses")
    b.context(s, "C").includes("*")
    diagram = b.build().view("C").render()
    finding = next(f for f in diagram.findings if f.code == "C4601")
    assert "smallest text" in finding.message and "split it into" in finding.fix


def test_a_view_too_wide_in_its_direction_is_turned_and_says_so():
    from archkit.c4 import new_workspace

    b = new_workspace("Chain")
    system = b.system("Pipeline", "Steps in a row.")
    steps = [system.container(f"Step {i}", f"Stage number {i} of the pipeline.", "Python")
             for i in range(12)]
    for a, c in zip(steps, steps[1:], strict=False):
        a.uses(c, "hands over to", "HTTPS")
    b.containers(system, key="Chain").includes("*").layout("lr")  # 12 containers in one row
    diagram = b.build().view("Chain").render()
    assert "rankdir=TB" in diagram.dot.splitlines()[1]
    assert "C4602" in diagram.findings.codes()


def test_a_label_drawn_over_a_node_is_caught():
    layout = Layout.parse(run_dot('digraph{ranksep=1; a->b [label="fine"]}', "json"))
    assert len(layout.labels) == 1 and layout.labels_over_nodes() == []
    x0, y0, x1, y1 = layout.nodes["b"]
    layout.labels.append(("a->b", (x0 + 2, y0 + 2, x1 - 2, y1 - 2)))  # a label right on b
    assert layout.labels_over_nodes() == [("a->b", "b")]
