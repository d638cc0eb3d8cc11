"""Fewer edge crossings: queues beside their clients, dot restarted from a barycentre order."""

from __future__ import annotations

from math import comb

import pytest

from archkit.c4 import new_workspace
from archkit.c4.layout import Layout
from archkit.c4.render import Fit, _build, render_view, run_dot
from archkit.c4.views import resolve

MODULES = 5


def _shared_stores():
    """Modules that each use one database and one message broker (a modular monolith)."""
    b = new_workspace("Shop")
    system = b.system("Shop", "Sells things.", id="shop")
    app = system.container("App", "The monolith.", "Python", id="app")
    db = system.container("Database", "Everything.", "PostgreSQL", tags="Database", id="db")
    broker = system.container("Broker", "Events between modules.", "Kafka",
                              tags="Message Broker", id="broker")
    for i in range(MODULES):
        module = app.component(f"Module {i}", f"Does part {i}.", "Python", id=f"m{i}")
        module.uses(db, "Reads and writes", "SQL")
        module.uses(broker, "Publishes and consumes events", "Kafka")
    b.components(app, "Modules").includes("*").layout("lr")
    b.style("Database", shape="Cylinder")
    b.style("Message Broker", shape="Pipe")
    return b.build()


def _centre(box, axis):
    return (box[axis] + box[axis + 2]) / 2


def test_modules_sharing_a_database_and_a_queue_do_not_cross():
    ws = _shared_stores()
    view = ws.view("Modules")
    contents = resolve(ws, view)
    # Both stores on the same rank: every pair of modules crosses once (C(5,2) = 10).
    same_side = Layout.parse(run_dot(_build(ws, view, contents, Fit("LR"))[0], "json"))
    assert same_side.crossings() >= comb(MODULES, 2) - 2
    layout = Layout.parse(run_dot(render_view(ws, view).dot, "json"))
    assert layout.crossings() == 0
    # ...because the broker and the database are laid out on either side of the modules.
    modules = [_centre(layout.nodes[f"m{i}"], 0) for i in range(MODULES)]
    broker, db = _centre(layout.nodes["broker"], 0), _centre(layout.nodes["db"], 0)
    assert min(broker, db) < min(modules) and max(modules) < max(broker, db)


def test_queue_edges_keep_pointing_at_the_queue():
    ws = _shared_stores()
    dot = render_view(ws, ws.view("Modules")).dot
    edges = [line for line in dot.splitlines() if "->" in line and "broker" in line]
    assert len(edges) == MODULES
    # laid out from the broker, drawn as the model says: module -> broker
    assert all(line.strip().startswith("broker -> m") and "dir=back" in line for line in edges)


def test_an_order_is_handed_to_dot_as_given():
    ws = _shared_stores()
    view = ws.view("Modules")
    order = tuple(f"m{i}" for i in reversed(range(MODULES)))
    dot = _build(ws, view, resolve(ws, view), Fit("LR", order=order))[0]
    declared = [line.split()[0] for line in dot.splitlines()
                if line.strip().startswith("m") and "label=" in line and "->" not in line]
    assert declared == list(order)


@pytest.mark.parametrize(("key", "most"), [("AppComponents", 1), ("OrderPipeline", 0)])
def test_example_module_views_barely_cross(shopfront, key, most):
    layout = Layout.parse(run_dot(shopfront.view(key).render().dot, "json"))
    assert layout.crossings() <= most
    assert layout.labels_over_nodes() == []


def test_the_search_is_deterministic(shopfront):
    assert render_view(shopfront, shopfront.view("AppComponents")).dot == \
        render_view(shopfront, shopfront.view("AppComponents")).dot
