"""The codes of the api stage: validity (API0xx), lint (API1xx) and consistency (API3xx).

Usage::

    RULES["API160"].why        # why an unbounded string matters
    RULES["API160"].spectral   # the Spectral/OWASP rule it corresponds to, if any

Each rule has a stable code, a default severity, a one-line why and a one-line fix;
``spectral`` names the rule of Spectral's ``spectral:oas`` or OWASP ruleset that checks
the same thing (``tests/api/test_spectral_agreement.py`` holds us to it).
"""

from __future__ import annotations

from dataclasses import dataclass

from archkit.findings import Severity

__all__ = ["RULES", "Rule", "kind_of"]

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True, slots=True)
class Rule:
    """One check: code, severity, title, why it matters, how to fix it, Spectral's name."""

    code: str
    severity: Severity
    title: str
    why: str
    fix: str
    spectral: str | None = None


_ALL = [
    # -- validity: the document is not a well-formed OpenAPI / AsyncAPI description -----------
    Rule("API001", E, "key given twice", "YAML keeps only the last value of a repeated key, "
         "so part of the contract is silently lost", "remove or rename the repeated key"),
    Rule("API002", E, "structure does not match the specification", "tools (generators, "
         "gateways, docs) reject or misread a document that breaks the OpenAPI/AsyncAPI "
         "schema", "follow the specification's shape at this place", "oas3-schema"),
    Rule("API003", E, "unresolved $ref", "a reference that points nowhere leaves the "
         "operation or schema undefined", "point the $ref at an existing component"),
    Rule("API004", E, "operationId not unique", "client generators name methods after "
         "operationIds; duplicates collide", "give every operation its own operationId",
         "operation-operationId-unique"),
    Rule("API005", E, "path parameter not declared or not used", "a {name} in the path "
         "without a parameter (or the reverse) cannot be called as described",
         "declare every {name} of the path as an 'in: path' parameter, and no others",
         "path-params"),
    Rule("API006", E, "parameter repeated", "two parameters with the same name and location "
         "are ambiguous", "keep one parameter per name and location", "operation-parameters"),
    Rule("API007", E, "required property not defined", "a schema that requires a property "
         "it never defines cannot be satisfied as documented", "define the property or drop "
         "it from 'required'"),
    Rule("API008", E, "default does not match its schema", "a default the schema rejects "
         "is applied by clients and servers anyway", "make the default a valid value"),
    Rule("API009", E, "not a valid JSON Schema", "a schema that is not valid JSON Schema "
         "validates nothing reliably", "fix the schema keywords"),
    Rule("API010", E, "tag repeated", "tags group operations in docs; duplicates split a "
         "group", "keep one entry per tag name"),
    Rule("API011", W, "external $ref not checked", "references to URLs cannot be followed "
         "offline", "bundle the referenced document into the file"),
    # -- lint: well-formed, but weak --------------------------------------------------------
    Rule("API101", W, "operation has no operationId", "generated clients and docs need a "
         "stable name for each operation", "add an operationId such as listOrders",
         "operation-operationId"),
    Rule("API102", W, "operationId not URL-safe", "operationIds are used in URLs and file "
         "names by tools", "use letters, digits and - . _ ~ only",
         "operation-operationId-valid-in-url"),
    Rule("API103", W, "operation has no success response", "clients cannot know what a "
         "successful call returns", "add a 2xx (or 3xx) response",
         "operation-success-response"),
    Rule("API104", W, "path ends with a slash", "/orders and /orders/ are different paths "
         "to many servers and gateways", "drop the trailing slash",
         "path-keys-no-trailing-slash"),
    Rule("API110", W, "unused component", "dead components mislead readers and bloat "
         "generated code", "reference it from an operation or remove it",
         "oas3-unused-component"),
    Rule("API120", W, "no servers", "clients and docs cannot tell where the API lives",
         "add a servers list with the production URL", "oas3-api-servers"),
    Rule("API121", E, "server without TLS", "plain HTTP (or a broker protocol without TLS) "
         "exposes tokens and personal data on the wire (OWASP API8)",
         "use https:// (or wss://, kafka-secure, amqps ...)",
         "owasp:api8:2023-no-server-http"),
    Rule("API122", W, "server URL ends with a slash", "paths start with /, so a trailing "
         "slash doubles it", "drop the trailing slash", "oas3-server-trailing-slash"),
    Rule("API130", E, "example does not match its schema", "docs and mocks built from a wrong "
         "example teach clients the wrong contract", "fix the example or the schema",
         "oas3-valid-media-example"),
    Rule("API131", E, "schema example or default does not match the schema", "a wrong "
         "example in a schema misleads every reader of that component",
         "fix the example or the schema", "oas3-valid-schema-example"),
    Rule("API140", E, "security scheme not defined", "an operation that names an undefined "
         "scheme has no working authentication", "define the scheme under "
         "components.securitySchemes", "oas3-operation-security-defined"),
    Rule("API141", E, "write operation without security", "anyone can change data through "
         "an unauthenticated POST/PUT/PATCH/DELETE (OWASP API2)", "apply a security "
         "requirement (top-level 'security' or the operation's)",
         "owasp:api2:2023-write-restricted"),
    Rule("API142", W, "read operation without security", "unauthenticated reads may leak "
         "tenant data (OWASP API2)", "apply a security requirement, or mark the operation "
         "public on purpose with x-archkit-ignore", "owasp:api2:2023-read-restricted"),
    Rule("API143", E, "write operation accepts anonymous calls", "an empty requirement ({}) "
         "among the alternatives makes authentication optional, so anyone can change data "
         "(OWASP API2; Spectral's write-restricted does not look at this)",
         "remove the empty {} alternative from the operation's security"),
    Rule("API150", W, "no 429 response", "clients cannot back off politely without a "
         "documented rate-limit response (OWASP API4)", "add a 429 response with content "
         "and a Retry-After header", "owasp:api4:2023-rate-limit-responses-429"),
    Rule("API151", E, "no rate-limit headers", "clients cannot see their remaining quota "
         "(OWASP API4)", "declare RateLimit (or RateLimit-Limit and RateLimit-Reset) headers "
         "on 2xx and 4xx responses", "owasp:api4:2023-rate-limit"),
    Rule("API152", E, "429 without Retry-After", "clients retry at once and make the "
         "overload worse", "add a Retry-After header to the 429 response",
         "owasp:api4:2023-rate-limit-retry-after"),
    Rule("API153", W, "no client-error response", "validation failures need a documented "
         "error shape (OWASP API8)", "add a 400, 422 or 4XX response",
         "owasp:api8:2023-define-error-validation"),
    Rule("API154", W, "no 401 response", "clients need to know how an unauthenticated call "
         "fails (OWASP API8)", "add a 401 response with content",
         "owasp:api8:2023-define-error-responses-401"),
    Rule("API160", E, "unbounded string", "strings without a maximum let one request "
         "exhaust memory or storage (OWASP API4)", "add maxLength (or enum/const)",
         "owasp:api4:2023-string-limit"),
    Rule("API161", E, "unbounded array", "arrays without maxItems let one request exhaust "
         "the server (OWASP API4)", "add maxItems", "owasp:api4:2023-array-limit"),
    Rule("API170", E, "admin path shares security with non-admin paths", "admin operations "
         "guarded like ordinary ones are one stolen token away (OWASP API5)", "give /admin "
         "operations their own security scheme or scopes",
         "owasp:api5:2023-admin-security-unique"),
    # -- consistency with the rest of the design folder -------------------------------------
    Rule("API300", E, "contract cannot be read or drafted", "a contract that cannot be read "
         "is checked against nothing", "fix the file at the place named (or the folder part "
         "the draft needs)"),
    Rule("API301", E, "resource has no table", "an API resource no table stores is either "
         "missing from the schema or misnamed", "add the table or map the schema with "
         "x-archkit-table"),
    Rule("API302", E, "field has no column", "a field no column stores cannot be persisted",
         "add the column, rename the field, or mark it x-archkit-computed: true"),
    Rule("API303", E, "field type does not match its column", "the API promises values the "
         "database cannot hold (or the reverse)", "align the field's type with the column's"),
    Rule("API304", W, "field nullability differs from its column", "a NULL column behind a "
         "required non-null field breaks responses", "make the field nullable or the "
         "column NOT NULL"),
    Rule("API305", W, "field length exceeds its column", "values the API accepts are "
         "rejected by the database", "lower maxLength to the column's length"),
    Rule("API306", E, "operation served by no container", "no container of the C4 model "
         "serves this operation's API", "name the serving container (or its component, for a "
         "module of a monolith) with x-archkit-container, or describe the API in the C4 model"),
    Rule("API307", E, "event without producer or consumer", "an event nobody publishes or "
         "nobody consumes is dead in the pipeline", "make the contract's send/receive operations "
         "and the C4 dynamic view's steps name the same producers and consumers"),
    Rule("API308", E, "tenant-scoped table reached without tenant scope", "a path to "
         "tenant-owned rows without tenant scoping can leak another tenant's data",
         "add a tenant claim (x-archkit-tenant: claim) or a {tenant} path parameter"),
    Rule("API309", W, "event not in the contract", "the dynamic view shows an event the "
         "AsyncAPI document does not describe", "add the message to asyncapi.yaml"),
]

RULES: dict[str, Rule] = {r.code: r for r in _ALL}


def kind_of(code: str) -> str:
    """``validity`` for API0xx, ``consistency`` for API3xx, else ``lint``."""
    if code.startswith("API0"):
        return "validity"
    if code.startswith("API3"):
        return "consistency"
    return "lint"
