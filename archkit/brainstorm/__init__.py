"""Brainstorming: requirements, decisions against weighted criteria, the option catalogue.

Usage::

    from archkit.brainstorm import load_decisions, load_requirements
    reqs = load_requirements("examples/order_platform/requirements.yaml")
    reqs.capacity()                          # back-of-envelope estimate, formulas shown
    found = load_decisions("examples/order_platform/decisions.yaml")
    found["datastore"].evaluate().winner     # -> "PostgreSQL"
    load_decisions_text(text, source="x.yaml")   # the same from text or bytes (no file)
    record_decisions(found, Path("docs/decisions"))   # ADR drafts

The Claude assist lives in :mod:`archkit.llm`; the widget in
:mod:`archkit.widgets.decision_matrix`. pyyaml and the ADR writers load on use.
"""

from archkit.brainstorm.capacity import Assumptions, CapacityEstimate, estimate_capacity
from archkit.brainstorm.catalogue import Catalogue, CatalogueEntry, load_catalogue
from archkit.brainstorm.chart import SensitivityChart, sensitivity_chart
from archkit.brainstorm.decision import Criterion, Decision, Option
from archkit.brainstorm.load import (
    DecisionSet,
    decisions_from_data,
    load_decisions,
    load_decisions_text,
)
from archkit.brainstorm.matrix import FlipPoint, Matrix, Sensitivity, evaluate, sensitivity
from archkit.brainstorm.requirements import (
    Endpoint,
    Entity,
    NonFunctional,
    Relationship,
    Requirements,
    load_requirements,
    load_requirements_text,
)
from archkit.brainstorm.to_adr import decision_from_record, decision_to_record, record_decisions
from archkit.brainstorm.validate import validate_requirements

__all__ = [
    "Assumptions",
    "CapacityEstimate",
    "Catalogue",
    "CatalogueEntry",
    "Criterion",
    "Decision",
    "DecisionSet",
    "Endpoint",
    "Entity",
    "FlipPoint",
    "Matrix",
    "NonFunctional",
    "Option",
    "Relationship",
    "Requirements",
    "Sensitivity",
    "SensitivityChart",
    "decision_from_record",
    "decision_to_record",
    "decisions_from_data",
    "estimate_capacity",
    "evaluate",
    "load_catalogue",
    "load_decisions",
    "load_decisions_text",
    "load_requirements",
    "load_requirements_text",
    "record_decisions",
    "sensitivity",
    "sensitivity_chart",
    "validate_requirements",
]
