# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: -all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 5 · API contracts
#
# The schema says what the platform *stores*; the contract says what it *promises* to the
# storefront, to merchants' scripts and to its own services. Shopfront's first decision chose
# REST with an OpenAPI description, and its order pipeline runs over a broker — so it needs
# two contracts: **OpenAPI 3.1** for the HTTP API and **AsyncAPI 3** for the pipeline's events.
#
# You will:
#
# 1. draft both contracts from the design folder — the requirements' endpoints, the latest
#    schema, the broker decision and the C4 dynamic view — and read them as a table of
#    operations and a rendered reference;
# 2. check them: validity against the specifications (with JSON pointers and line numbers)
#    and lint rules with stable codes, in the families of Spectral's `oas` and the OWASP API
#    rulesets;
# 3. catch breaking changes between two versions;
# 4. check the contracts against the schema and the C4 model;
# 5. add an operation yourself, checked by a check cell;
# 6. write the design pack's `api/` section.
#
# Everything below works on one design folder: `$ARCHKIT_DESIGN` (`archkit lab DIR`), else a
# working copy of the worked example, the Shopfront order platform.

# %%
import copy

import archkit.check
from archkit.api import (LintConfig, check_spec, consistency_findings, diff_specs,
                         draft_asyncapi, draft_openapi, load_spec, operations_table, parse_spec,
                         reference_html, rules_table, write_drafts, write_pack_section)
from archkit.api.draft import dump_yaml
from archkit.design import design_folder

DESIGN = design_folder()  # $ARCHKIT_DESIGN (`archkit lab DIR`), else a copy of the worked example
OUT = DESIGN.notebook_out("api")
DESIGN

# %% [markdown]
# ## 1 · Draft the HTTP contract
#
# Each endpoint of `requirements.yaml` becomes an operation. Its **resource** is a table of the
# latest `schema/vN.sql`: `/v1/carts/{id}/items` is `cart_items`, `/v1/payments/webhook` acts on
# `payments`. Each table used becomes a component whose properties are its columns, with types
# mapped for the schema's dialect: `varchar(64)` → a string of at most 64 characters,
# `numeric(12,2)` → a number in cents, a nullable column → `["string", "null"]`, identity and
# `DEFAULT now()` columns → `readOnly`. `tenant_id` stays out of every body: the tenant comes
# from the token's claim. The C4 model says which container serves each operation: Shopfront
# is a modular monolith (ADR 0003), so it names the module (a component of the one app
# container) — the dynamic step `POST /v1/orders`, else a component's `endpoints` property.

# %%
draft = draft_openapi(DESIGN.root)
drafted = parse_spec(dump_yaml(draft))
operations_table(drafted)

# %% [markdown]
# A draft is a starting point you edit as YAML. Checking it shows what is left to decide —
# here, one unbounded text column (`products.description`) that the API would accept at any
# length:

# %%
check_spec(drafted)

# %% [markdown]
# `archkit api draft DIR` writes the same drafts to `DIR/api/` (it never overwrites a file you
# edited unless told to with `--force`). Here they go to the output folder:

# %%
written = write_drafts(DESIGN.root, OUT / "drafts", force=True)
[p.name for p in written.files]

# %% [markdown]
# ## 2 · The edited contract
#
# The design folder's `api/openapi.yaml` is that draft after the architect's edits: a version
# and a status, the real server, limits on every string, and the payment provider's webhook
# secured by a signature instead of a shopper's token (its tenant is looked up from the
# payment's globally unique `provider_ref`). As a table, and as the static reference the pack
# publishes (no script in it; every text escaped):

# %%
spec = load_spec(DESIGN.root / "api" / "openapi.yaml")
operations_table(spec)

# %%
reference_html(spec)

# %% [markdown]
# ## 3 · Validate and lint
#
# **Validity** (`API0xx`) is checked against the official JSON Schemas of OpenAPI 3.0/3.1/3.2 and
# AsyncAPI 3.0 with `jsonschema-rs`, plus what openapi-spec-validator checks beyond the schema
# (unresolved `$ref`, duplicate operationIds, path parameters, defaults). Every finding names the
# JSON pointer and the line in the file. **Lint** (`API1xx`) finds what is valid but weak. The
# rules and why they matter:

# %%
rules_table("API1")

# %% [markdown]
# The edited contract is clean. To see findings with their places, break a copy on purpose —
# a dangling `$ref`, a duplicate operationId, a plain-HTTP server and an example that does not
# match its schema:

# %%
broken = copy.deepcopy(spec.data)
broken["servers"][0]["url"] = "http://api.shopfront.example"
broken["paths"]["/v1/orders"]["get"]["operationId"] = "getOrder"
order = broken["paths"]["/v1/orders"]["post"]["requestBody"]["content"]["application/json"]
order["schema"] = {"$ref": "#/components/schemas/Basket"}
product = broken["paths"]["/v1/products/{id}"]["get"]["responses"]["200"]["content"]
product["application/json"]["example"]["price"] = "cheap"
report = check_spec(parse_spec(dump_yaml(broken), "openapi.yaml"))
report

# %% [markdown]
# Rules can be switched off for a whole document (`LintConfig(disable=...)`, or
# `archkit api check --disable API121`), or silenced where a decision was made on purpose: put
# `x-archkit-ignore: [API142]` on the operation (a public catalogue read needs no token).

# %%
check_spec(parse_spec(dump_yaml(broken)), LintConfig(disable={"API121", "API130"})).findings

# %% [markdown]
# ## 4 · The events contract
#
# The C4 dynamic view `OrderPipeline` shows which module publishes each event to the broker (the
# outbox publisher, after each module's transaction commits) and which modules consume it;
# the broker decision ranked Kafka first. The draft has one channel per event, a `send`
# operation per producer and a `receive` per consumer, and payloads drawn from
# the table each event is named after (`OrderPlaced` → `orders`).

# %%
drafted_events = draft_asyncapi(DESIGN.root)
sorted(drafted_events["operations"])

# %% [markdown]
# The edited version adds the broker's host over TLS (`kafka-secure`: the draft's plain `kafka`
# is an `API121` finding) and an `order_id` to `InventoryReserved`; it is
# valid against the official AsyncAPI 3.0 schema:

# %%
events = load_spec(DESIGN.root / "api" / "asyncapi.yaml")
check_spec(events)

# %%
reference_html(events)

# %% [markdown]
# ## 5 · Breaking changes
#
# `diff OLD NEW` grades every change as *error* (breaks existing clients), *warning* or *info*.
# Requests break clients when they get stricter (new required parameters, narrower types,
# fewer enum values, tighter limits); responses when they lose what clients read. Removing an
# operation is an error unless it was deprecated first. Since release 0.9.0 one deprecated
# operation was removed:

# %%
diff_specs(load_spec(DESIGN.root / "api" / "releases" / "openapi-0.9.0.yaml"), spec)

# %% [markdown]
# A careless 1.1 — an operation dropped without deprecation, a new required query parameter,
# a shorter SKU and an order field removed from responses:

# %%
careless = copy.deepcopy(spec.data)
del careless["paths"]["/v1/orders/{id}"]
careless["paths"]["/v1/orders"]["get"]["parameters"].append(
    {"name": "since", "in": "query", "required": True,
     "schema": {"type": "string", "format": "date", "maxLength": 10}})
careless["components"]["schemas"]["Product"]["properties"]["sku"]["maxLength"] = 32
del careless["components"]["schemas"]["Order"]["properties"]["currency"]
diff_specs(spec, parse_spec(dump_yaml(careless)))

# %% [markdown]
# Event contracts break *consumers*: a payload is compared like a response. Since 0.9.0,
# `InventoryReserved` gained an `order_id` (safe); dropping `currency` from `OrderPlaced`
# would break the inventory service that reads it:

# %%
events_090 = load_spec(DESIGN.root / "api" / "releases" / "asyncapi-0.9.0.yaml")
diff_specs(events_090, events)

# %%
dropped = copy.deepcopy(events.data)
del dropped["components"]["schemas"]["OrderPlaced"]["properties"]["currency"]
dropped["components"]["schemas"]["OrderPlaced"]["required"].remove("currency")
diff_specs(events, parse_spec(dump_yaml(dropped)))

# %% [markdown]
# ## 6 · Consistent with the schema and the C4 model
#
# The contract, the schema and the C4 model describe one system, so they must agree: every
# operation's resource is a table and its fields are columns with compatible types,
# nullability and lengths; every operation is served by a container; every event has a
# producer and a consumer in the dynamic view; and every path to tenant-owned rows is scoped
# by a tenant claim, a tenant path parameter or a lookup by a globally unique column. The
# same checks run in `archkit check DIR` and in the pack's checks.

# %%
consistency_findings(DESIGN.root)

# %%
rules_table("API3")

# %% [markdown]
# ## Exercise: the payments of an order
#
# Shoppers want to see the payment attempts of an order. Add `GET /v1/orders/{id}/payments` to
# the contract: write a YAML fragment with `paths` (and `components` for a `Payment` schema
# tied to the `payments` table with `x-archkit-table`). The check cell merges it into the
# example's contract and says what is right and what is missing: valid OpenAPI, no lint
# findings on your operation or schema (bounded strings and arrays, errors and rate-limit
# responses — reuse `#/components/responses/...` and `#/components/headers/RateLimit`), and
# fields that match the `payments` columns, served by a container of the C4 model (or one of
# its modules, such as `orderModule`).

# %%
my_operation = """
paths:
  /v1/orders/{id}/payments:
    get:
      operationId: listOrderPayments
      responses:
        "200": {description: The payments}
"""  # ← your YAML
### BEGIN SOLUTION
my_operation = """
paths:
  /v1/orders/{id}/payments:
    get:
      operationId: listOrderPayments
      summary: List the payment attempts of an order
      x-archkit-table: payments
      x-archkit-container: orderModule
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, format: int64, minimum: 1}}
      responses:
        "200":
          description: The order's payments, oldest first.
          headers: {RateLimit: {$ref: "#/components/headers/RateLimit"}}
          content:
            application/json:
              schema:
                type: array
                maxItems: 50
                items: {$ref: "#/components/schemas/Payment"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/TooManyRequests"}
components:
  schemas:
    Payment:
      type: object
      x-archkit-table: payments
      additionalProperties: false
      required: [id, amount, currency, status]
      properties:
        id: {type: integer, format: int64, readOnly: true}
        amount: {type: number, minimum: 0, maximum: 10000000000, multipleOf: 0.01}
        currency: {type: string, minLength: 3, maxLength: 3}
        status: {type: string, enum: [pending, authorised, captured, failed, refunded]}
        created_at: {type: string, format: date-time, maxLength: 40, readOnly: true}
"""
### END SOLUTION

archkit.check.order_payments_operation(my_operation)

# %% [markdown]
# ## 7 · The pack's `api/` section
#
# `write_pack_section` writes the contracts, the two static references, the check results and
# the changes since the last release; its summary lines (contract version and status) go on the
# pack's summary page.

# %%
section = write_pack_section(DESIGN.root, OUT.parent / "pack")
print(*section.summary, sep="\n")
section.files

# %% [markdown]
# The same from a shell (exit code 1 on error findings or breaking changes, 2 on bad input):
#
# ```
# archkit api draft examples/order_platform --out /tmp/drafts
# archkit api check examples/order_platform/api/openapi.yaml --json
# archkit api diff examples/order_platform/api/releases/openapi-0.9.0.yaml \
#                  examples/order_platform/api/openapi.yaml
# ```
#
# Next: security and capacity build on the same design folder.
