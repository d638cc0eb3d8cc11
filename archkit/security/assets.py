"""Data assets from the schema: which tables and columns hold PII, credentials or payment data.

Usage::

    from archkit.security.assets import classify, place_assets
    classify(catalog)              # -> [Asset("users.email", "pii", "named"), ...]

A column is classified, in this order, by ``data_classification`` in requirements.yaml
(``users.email: pii`` or a whole table ``payments: payment``), by a ``classification: X``
note in its SQL comment, then by its name. Assets are placed on the data stores that
hold the schema and on every container that reads or writes them: when a relationship's
description names tables ("Writes shipments to"), only those tables.
"""

from __future__ import annotations

import re
from typing import Any

from archkit.security.model import Asset, ThreatModel

__all__ = ["classify", "place_assets", "NAME_RULES"]

NAME_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("credentials", re.compile(r"password|passwd|pwd_hash|secret|api_?key|access_?token|"
                               r"refresh_?token|private_?key|otp|totp|credential", re.I)),
    ("payment", re.compile(r"card_?(number|no)|\bpan\b|cvv|cvc|iban|\bbic\b|account_?number|"
                           r"sort_?code|routing_?number|provider_ref|payment_?method", re.I)),
    ("pii", re.compile(r"e_?mail|phone|mobile|full_?name|first_?name|last_?name|surname|"
                       r"address|street|postcode|zip_?code|birth|\bdob\b|ssn|passport|"
                       r"national_?id|tax_?id|ip_?address|tracking_?code", re.I)),
)
_COMMENT = re.compile(r"classification:\s*(pii|credentials|payment|public)", re.I)
_PAYMENT_TABLE = re.compile(r"payment|card|billing|invoice|transaction", re.I)


def classify(catalog: Any, classifications: dict[str, str] | None = None) -> list[Asset]:
    """Every classified column of ``catalog`` (public data is left out), sorted."""
    given = classifications or {}
    out: list[Asset] = []
    for _key, table in sorted(catalog.tables.items()):
        for col in table.columns:
            name = f"{table.name}.{col.name}"
            cls, why = None, ""
            if name.lower() in given or table.name.lower() in given:
                cls = given.get(name.lower(), given.get(table.name.lower()))
                why = "classified in requirements.yaml"
            elif col.comment and _COMMENT.search(col.comment):
                cls, why = _COMMENT.search(col.comment).group(1).lower(), "SQL comment"
            else:
                for c, pattern in NAME_RULES:
                    if pattern.search(col.name):
                        cls, why = c, f"column name matches {c}"
                        break
                if cls is None and re.match(r"(inet|cidr|macaddr)\b", col.type, re.I):
                    cls, why = "pii", f"column type {col.type} (a network address)"
                if cls is None and _PAYMENT_TABLE.search(table.name) and \
                        re.search(r"amount|status|ref", col.name, re.I):
                    cls, why = "payment", "payment record"
            if cls and cls != "public":
                out.append(Asset(name, cls, why))
    return out


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ies", "s"):
        if word.endswith(suffix) and len(word) > 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def place_assets(tm: ThreatModel, catalog: Any, classifications: dict[str, str]) -> None:
    """Put the schema's assets on its data stores and on the containers that use them."""
    assets = classify(catalog, classifications)
    if not assets:
        return
    stores = [n for n in tm.nodes.values() if n.role == "database"]
    if not stores:
        return
    every_table = {_stem(t.name) for t in catalog.tables.values()}
    for store in stores:
        store.assets = list(assets)
        for flow in tm.flows:
            other = flow.source if flow.destination == store.id else \
                flow.destination if flow.source == store.id else None
            if other is None or tm.nodes[other].kind == "external":
                continue
            named = {_stem(w) for w in re.findall(r"[a-z_]+", flow.description.lower())}
            # No table named: assume the container touches them all.
            wanted = (named & every_table) or every_table
            node = tm.nodes[other]
            for a in assets:
                if _stem(a.name.split(".")[0]) in wanted and a not in node.assets:
                    node.assets.append(a)


_DESCRIBED = (
    ("credentials", re.compile(r"credential|password|secret|api key|token", re.I)),
    ("payment", re.compile(r"payment|card|bank account|account number|iban|transaction", re.I)),
    ("pii", re.compile(r"user|customer|personal|e-?mail|address|phone|profile|registration",
                       re.I)),
)


def assets_from_descriptions(tm: ThreatModel) -> None:
    """With no schema, read a data store's description ("hashed credentials, users...")."""
    for store in (n for n in tm.nodes.values() if n.role in ("database", "cache")):
        for cls, pattern in _DESCRIBED:
            if pattern.search(store.description):
                asset = Asset(f"{store.name} ({cls}, from its description)", cls,
                              "store description")
                store.assets.append(asset)
                for flow in tm.flows:
                    other = flow.source if flow.destination == store.id else \
                        flow.destination if flow.source == store.id else None
                    if other is not None and tm.nodes[other].kind != "external":
                        tm.nodes[other].assets.append(asset)
