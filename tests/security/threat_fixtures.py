"""A small design whose threat model is clean, and a way to plant one defect in it.

(A plain module, not conftest.py: ``from conftest import`` could pick another folder's.)
"""

from __future__ import annotations

from pathlib import Path

from archkit.c4 import new_workspace
from archkit.security.inputs import Decided, Design
from archkit.security.model import build_threat_model
from archkit.security.rules import find_threats

CLEAN_DECISIONS = [
    Decided("ADR 0001", "Sign-in", "shoppers sign in with openid connect; the api checks jwt"),
    Decided("ADR 0002", "Secrets", "secrets live in aws secrets manager and rotate"),
    Decided("ADR 0003", "Encryption", "rds storage is encrypted at rest with kms keys"),
    Decided("ADR 0004", "Rate limits", "an api gateway applies rate limits per tenant"),
    Decided("ADR 0005", "Isolation", "row-level security enforces tenant isolation"),
    Decided("ADR 0006", "Audit", "an append-only audit log records changes"),
]

CLEAN_DDL = """
CREATE TABLE tenants (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE users (
    id bigint PRIMARY KEY,
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    email text NOT NULL,
    password_hash text NOT NULL,
    CONSTRAINT users_tenant_email_key UNIQUE (tenant_id, email)
);
"""


def build(*, api_tech="JSON/HTTPS", db_tech="SQL/TLS", api_instances=2, extra=None,
          db_desc="Stores users and their sign-in credentials"):
    """The clean workspace; ``extra(ws, parts)`` plants a defect."""
    ws = new_workspace("Clinic", "A small system")
    person = ws.person("Patient", "Books visits", id="patient")
    system = ws.system("Clinic", "Bookings", id="clinic")
    web = system.container("Web", "The booking pages", "TypeScript and React", id="web")
    api = system.container("API", "Bookings API", "Python", id="api")
    accounts = system.container("Accounts", "Owns users", "Python", id="accounts")
    db = system.container("DB", db_desc, "PostgreSQL", tags="Database", id="db")
    person.uses(web, "Books using", "HTTPS")
    web.uses(api, "Calls", api_tech)
    api.uses(accounts, "Looks up users with", "gRPC/TLS")
    accounts.uses(db, "Reads and writes users in", db_tech)
    parts = {"ws": ws, "person": person, "system": system, "web": web, "api": api, "db": db,
             "accounts": accounts}
    live = ws.environment("Live")
    region = live.node("Region", "", "Cloud", id="region")
    region.node("api task", "", "Docker", instances=api_instances, id="apiTask").instance(api)
    region.node("accounts task", "", "Docker", instances=2, id="accountsTask").instance(
        accounts)
    region.node("RDS", "", "PostgreSQL, Multi-AZ", id="rds").instance(db)
    if extra:
        extra(ws, parts)
    return ws.build()


def design_for(workspace, *, ddl=CLEAN_DDL, decisions=None, multi_tenant=True,
               openapi: Path | None = None, endpoints=()):
    from archkit.brainstorm.requirements import requirements_from_dict
    from archkit.schema import check_schema

    report = check_schema(ddl, "postgres") if ddl else None
    reqs = requirements_from_dict({
        "name": "Clinic",
        "constraints": ["Tenants never see each other's rows."] if multi_tenant else [],
        "endpoints": [{"method": m, "path": p} for m, p in endpoints]})
    return Design(path=Path("."), workspace=workspace,
                  catalog=report.catalog if report else None,
                  schema_findings=report.findings if report else None or [],
                  requirements=reqs,
                  decisions=list(CLEAN_DECISIONS if decisions is None else decisions),
                  openapi=openapi)


def threats(workspace=None, **design_kwargs):
    ws = workspace or build()
    design = design_for(ws, **design_kwargs)
    tm = build_threat_model(ws, design.catalog, design.classifications)
    return find_threats(tm, design)


def rules(found) -> list[str]:
    return [t.rule for t in found]
