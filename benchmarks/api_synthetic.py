"""A large, realistic OpenAPI 3.0 description, made deterministically (no network here).

Usage::

    from benchmarks.api_synthetic import make_spec, next_version
    v1 = make_spec(resources=240)          # ~1,400 operations, >10 MB as YAML
    v2, removed = next_version(v1)         # a later version: some operations removed

Shaped like the big public REST descriptions (GitHub's, Stripe's): resources with
list/create/get/update/delete and nested sub-resources, shared parameters and error
responses as components, rate-limit headers, long Markdown descriptions, examples on
every response, enums, formats and limits. Valid by construction.
"""

from __future__ import annotations

import copy
import random

__all__ = ["make_spec", "next_version"]

_WORDS = ("account order invoice payment customer repository branch commit release issue "
          "label milestone project team member webhook delivery event secret variable runner "
          "artifact workflow job step check status deployment environment review comment "
          "reaction package version license topic gist key token session device region").split()
_TYPES = [("string", {"maxLength": 200}), ("integer", {"format": "int64", "minimum": 0}),
          ("boolean", {}), ("number", {"minimum": 0}), ("string", {"format": "date-time",
                                                                    "maxLength": 40})]
_LOREM = ("The {x} is returned with its links and nested objects. Use the `per_page` and "
          "`page` parameters to page through results; responses carry rate-limit headers. "
          "Fine-grained tokens need the **{x}** permission (read for GET, write otherwise). "
          "See the guide on {x}s for the lifecycle, and note that archived {x}s are read-only.")


def _schema(rng: random.Random, name: str, n_props: int) -> tuple[dict, dict]:
    props: dict = {"id": {"type": "integer", "format": "int64", "example": 42},
                   "node_id": {"type": "string", "maxLength": 64, "example": "MDQ6VXNlcjE="},
                   "url": {"type": "string", "format": "uri", "maxLength": 2048}}
    example: dict = {"id": 42, "node_id": "MDQ6VXNlcjE=", "url": f"https://api.test/{name}/42"}
    for i in range(n_props):
        word = rng.choice(_WORDS)
        prop = f"{word}_{i}"
        kind, extra = rng.choice(_TYPES)
        props[prop] = {"type": kind, **extra, "description": (
            f"The {word} of this {name}. Set when the {name} is created and changed only "
            f"through the update operation; `null` is never returned for a {word}.")}
        example[prop] = {"string": "text", "integer": 7, "boolean": True, "number": 1.5}[kind]
        if extra.get("format") == "date-time":
            example[prop] = "2024-05-01T12:00:00Z"
    props["state"] = {"type": "string", "enum": ["open", "closed", "archived"]}
    example["state"] = "open"
    props["tags"] = {"type": "array", "maxItems": 50,
                     "items": {"type": "string", "maxLength": 50}}
    example["tags"] = ["a", "b"]
    return {"type": "object", "required": ["id", "node_id", "url", "state"],
            "properties": props, "description": _LOREM.format(x=name)}, example


def make_spec(resources: int = 320, seed: int = 7) -> dict:
    """An OpenAPI 3.0.3 document with about six operations per resource."""
    rng = random.Random(seed)
    rate = {"X-RateLimit-Limit": {"$ref": "#/components/headers/X-RateLimit-Limit"},
            "X-RateLimit-Remaining": {"$ref": "#/components/headers/X-RateLimit-Remaining"}}
    errors = {code: {"$ref": f"#/components/responses/{name}"} for code, name in
              (("400", "BadRequest"), ("401", "Unauthorized"), ("404", "NotFound"),
               ("429", "TooManyRequests"))}
    error_schema = {"$ref": "#/components/schemas/Error"}
    comps: dict = {
        "schemas": {"Error": {"type": "object", "required": ["message"], "properties": {
            "message": {"type": "string", "maxLength": 500},
            "documentation_url": {"type": "string", "maxLength": 500}}}},
        "parameters": {
            "per_page": {"name": "per_page", "in": "query", "description": "Results per page.",
                         "schema": {"type": "integer", "minimum": 1, "maximum": 100,
                                    "default": 30}},
            "page": {"name": "page", "in": "query", "description": "Page number.",
                     "schema": {"type": "integer", "minimum": 1, "maximum": 100000,
                                "default": 1}},
        },
        "headers": {
            "X-RateLimit-Limit": {"schema": {"type": "integer", "maximum": 100000}},
            "X-RateLimit-Remaining": {"schema": {"type": "integer", "maximum": 100000}},
            "Retry-After": {"schema": {"type": "integer", "maximum": 86400}},
        },
        "responses": {
            name: {"description": text, "headers": rate if code != "429" else {
                **rate, "Retry-After": {"$ref": "#/components/headers/Retry-After"}},
                   "content": {"application/json": {"schema": error_schema, "example": {
                       "message": text}}}}
            for code, name, text in (("400", "BadRequest", "Bad request"),
                                     ("401", "Unauthorized", "Requires authentication"),
                                     ("404", "NotFound", "Resource not found"),
                                     ("429", "TooManyRequests", "Rate limit exceeded"))
        },
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    }
    paths: dict = {}
    for r in range(resources):
        word = _WORDS[r % len(_WORDS)]
        name = f"{word}{r}"
        schema, example = _schema(rng, name, rng.randint(30, 50))
        cname = name.capitalize()
        comps["schemas"][cname] = schema
        ref = {"$ref": f"#/components/schemas/{cname}"}
        owner = {"name": "owner", "in": "path", "required": True,
                 "schema": {"type": "string", "maxLength": 100}}
        item_id = {"name": f"{word}_id", "in": "path", "required": True,
                   "schema": {"type": "integer", "minimum": 1, "maximum": 2**53}}
        base = f"/orgs/{{owner}}/{name}s"
        desc = _LOREM.format(x=name)

        def op(verb: str, summary: str, ok: str, body: dict | None = None, many=False,
               params=(), _name=name, _ref=ref, _example=example, _desc=desc) -> dict:
            content = {"application/json": {
                "schema": {"type": "array", "maxItems": 100, "items": _ref} if many else _ref,
                "example": [_example] if many else _example}}
            out = {"operationId": f"{verb}-{_name}", "summary": summary,
                   "description": _desc, "tags": [_name],
                   "parameters": list(params),
                   "responses": {ok: {"description": "Response", "headers": rate,
                                      **({"content": content} if ok != "204" else {})},
                                 **errors}}
            if body is not None:
                out["requestBody"] = {"required": True, "content": {"application/json": {
                    "schema": body}}}
            return out

        writable = {"type": "object", "properties": {
            k: v for k, v in list(schema["properties"].items())[3:12]}}
        paths[base] = {
            "parameters": [owner],
            "get": op("list", f"List {name}s", "200", many=True, params=[
                {"$ref": "#/components/parameters/per_page"},
                {"$ref": "#/components/parameters/page"},
                {"name": "state", "in": "query", "schema": {
                    "type": "string", "enum": ["open", "closed", "all"], "default": "open"}}]),
            "post": op("create", f"Create a {name}", "201", body=writable),
        }
        paths[f"{base}/{{{word}_id}}"] = {
            "parameters": [owner, item_id],
            "get": op("get", f"Get a {name}", "200"),
            "patch": op("update", f"Update a {name}", "200", body=writable),
            "delete": op("delete", f"Delete a {name}", "204"),
        }
        if r % 2 == 0:
            sub = rng.choice(_WORDS)
            paths[f"{base}/{{{word}_id}}/{sub}s"] = {
                "parameters": [owner, item_id],
                "get": op(f"list-{sub}s-for", f"List {sub}s of a {name}", "200", many=True,
                          params=[{"$ref": "#/components/parameters/per_page"}]),
            }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Synthetic REST API", "version": "1.0.0",
                 "description": "A large description shaped like public REST APIs."},
        "servers": [{"url": "https://api.test"}],
        "security": [{"bearer": []}],
        "tags": [{"name": f"{_WORDS[r % len(_WORDS)]}{r}"} for r in range(resources)],
        "paths": paths,
        "components": comps,
    }


def next_version(spec: dict, removed: int = 9, seed: int = 11) -> tuple[dict, list[str]]:
    """A later version: ``removed`` operations gone, a few added, some parameters loosened."""
    rng = random.Random(seed)
    new = copy.deepcopy(spec)
    new["info"]["version"] = "1.1.0"
    ops = [(p, m) for p, item in new["paths"].items() for m in item if m != "parameters"]
    gone = sorted(rng.sample(ops, removed))
    for path, method in gone:
        del new["paths"][path][method]
        if set(new["paths"][path]) <= {"parameters"}:
            del new["paths"][path]
    new["paths"]["/meta/zen"] = {"get": {"operationId": "get-zen", "responses": {
        "200": {"description": "ok"}}}}
    new["components"]["parameters"]["per_page"]["schema"]["maximum"] = 200  # loosened
    return new, [f"{m.upper()} {p}" for p, m in gone]
