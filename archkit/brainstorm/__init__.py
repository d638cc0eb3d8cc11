"""Brainstorming: requirements, decisions against weighted criteria, the option catalogue.

Usage::

    from archkit.brainstorm import load_requirements
    reqs = load_requirements("examples/order_platform/requirements.yaml")
"""

from archkit.brainstorm.requirements import (
    Endpoint,
    Entity,
    NonFunctional,
    Relationship,
    Requirements,
    load_requirements,
)

__all__ = [
    "Endpoint",
    "Entity",
    "NonFunctional",
    "Relationship",
    "Requirements",
    "load_requirements",
]
