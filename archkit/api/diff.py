"""Breaking changes between two versions of an OpenAPI document, graded like oasdiff.

Usage::

    changes = diff_specs(load_spec("v1.yaml"), load_spec("v2.yaml"))
    changes.errors             # the breaking ones
    changes.to_dict()          # {"changes": [{"id", "level", "operation", "message"}]}

Levels: ``error`` breaks existing clients, ``warning`` may break some, ``info`` is safe.
Families covered (oasdiff's error families): removed operations and parameters, new
required parameters / request properties, types narrowed, enums shrunk, constraints
tightened, response properties removed or made optional, success responses removed,
security added, and stability: removing an operation or parameter that was not
deprecated first is an error, after deprecation a warning (an error while its
``x-sunset`` date is still ahead, as oasdiff does); an operation at
``x-stability-level: draft`` or ``alpha`` may change freely (its errors become info);
lowering an operation's stability level is an error.

Request schemas break clients when they get *stricter*; response schemas break clients
when they get *looser* (new types, new enum values) or lose what clients read. Two
AsyncAPI versions are compared per operation (``SEND address``): operations, channels
and messages removed, and payloads compared like responses, since consumers read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from archkit.api.source import Spec
from archkit.api.walk import operations
from archkit.errors import ArchkitError, Where

__all__ = ["Change", "Changes", "diff_specs"]

_LEVELS = ("error", "warning", "info")
_STABILITY = {"draft": 0, "alpha": 1, "beta": 2, "stable": 3}
# keyword: (direction of tightening, id suffix); "down" = a smaller new value is tighter
_LIMITS = {
    "maxLength": ("down", "max-length-decreased"), "minLength": ("up", "min-length-increased"),
    "maximum": ("down", "max-decreased"), "minimum": ("up", "min-increased"),
    "exclusiveMaximum": ("down", "max-decreased"), "exclusiveMinimum": ("up", "min-increased"),
    "maxItems": ("down", "max-items-decreased"), "minItems": ("up", "min-items-increased"),
    "maxProperties": ("down", "max-properties-decreased"),
}
_WIDER = {"integer": {"number"}}  # an integer is also a number


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: a check id (``operation-removed``), a level, the operation, a message."""

    id: str
    level: str
    operation: str
    message: str

    def to_dict(self) -> dict:
        return {"id": self.id, "level": self.level, "operation": self.operation,
                "message": self.message}


class Changes(list[Change]):
    """The changes between two versions; a table in Jupyter."""

    @property
    def errors(self) -> list[Change]:
        return [c for c in self if c.level == "error"]

    def ids(self) -> list[str]:
        """The check id of every change, in order (``operation-removed``, ...)."""
        return [c.id for c in self]

    def to_dict(self) -> dict:
        return {"changes": [c.to_dict() for c in self]}

    def to_markdown(self) -> str:
        from archkit.display import markdown_table

        if not self:
            return "No changes."
        return markdown_table(["level", "id", "operation", "message"],
                              [[c.level, c.id, c.operation, c.message] for c in self])

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_html_(self) -> str:
        """The changes as a table, level in words and colour; never typeset as maths."""
        from archkit.display import rich_table_html, severity_html

        if not self:
            return "<p>No changes.</p>"
        return rich_table_html(["level", "id", "operation", "message"],
                               [[severity_html(c.level), c.id, c.operation, c.message]
                                for c in self], raw=(0,))


def diff_specs(old: Spec, new: Spec, *, today: date | None = None) -> Changes:
    """Every change from ``old`` to ``new``, errors first, then by operation.

    ``today`` (default: the current date) decides whether an ``x-sunset`` date has passed.
    """
    if old.kind != new.kind:
        raise ArchkitError(f"cannot compare a {old.kind} document with a {new.kind} one",
                           where=Where(new.file), hint="diff two versions of the same contract")
    differ = _Differ(old, new, today or date.today())
    found = differ.run_async() if old.kind == "asyncapi" else differ.run()
    order = {lvl: i for i, lvl in enumerate(_LEVELS)}
    return Changes(sorted(found, key=lambda c: (order[c.level], c.operation, c.id, c.message)))


class _Differ:
    def __init__(self, old: Spec, new: Spec, today: date):
        self.old, self.new, self.today = old, new, today
        self.out: list[Change] = []
        self._cache: dict[tuple, list[tuple[str, str, str]]] = {}

    def add(self, change_id: str, level: str, op: str, message: str, relax: bool = False):
        if relax and level == "error":
            level = "info"
        self.out.append(Change(change_id, level, op, message))

    def run(self) -> list[Change]:
        old_ops = {op.label: op for op in operations(self.old)}
        new_ops = {op.label: op for op in operations(self.new)}
        for label, op in old_ops.items():
            relax = _stability(op.node) < 2
            if label not in new_ops:
                self.removed(label, op.node, relax)
                continue
            self.operation(label, op, new_ops[label], relax)
        for label in new_ops.keys() - old_ops.keys():
            self.add("operation-added", "info", label, f"{label} was added")
        return self.out

    def removed(self, label: str, node: dict, relax: bool) -> None:
        if node.get("deprecated") is not True:
            self.add("operation-removed", "error", label,
                     f"{label} was removed without being deprecated first", relax)
            return
        sunset = _date(node.get("x-sunset"))
        if sunset is not None and sunset > self.today:
            self.add("operation-removed-before-sunset", "error", label,
                     f"{label} was removed before its sunset date {sunset.isoformat()}", relax)
        else:
            self.add("operation-removed", "warning", label,
                     f"{label} was removed after being deprecated")

    # -- AsyncAPI: operations, channels and message payloads -------------------------------
    def _async_ops(self, spec: Spec) -> dict[str, tuple[str, dict]]:
        found = {}
        for op_id, op in (spec.data.get("operations") or {}).items():
            if not isinstance(op, dict):
                continue
            channel = spec.deref(op.get("channel") or {})
            address = channel.get("address") if isinstance(channel, dict) else None
            found[op_id] = (f"{str(op.get('action', '')).upper()} {address or op_id}", op)
        return found

    def _messages(self, spec: Spec, op: dict) -> dict[str, dict]:
        found = {}
        for ref in op.get("messages") or []:
            message = spec.deref(ref)
            if isinstance(message, dict):
                found[str(message.get("name") or ref.get("$ref", "?"))] = message
        return found

    def run_async(self) -> list[Change]:
        """Consumers read payloads, so a payload is compared like an HTTP response."""
        old_ops, new_ops = self._async_ops(self.old), self._async_ops(self.new)
        for op_id, (label, op) in old_ops.items():
            if op_id not in new_ops:
                self.add("operation-removed", "error", label, f"operation {op_id} was removed")
                continue
            new_label, new_op = new_ops[op_id]
            if new_label != label:
                self.add("channel-changed", "error", label, f"operation {op_id} now uses "
                         f"{new_label}")
            before, after = self._messages(self.old, op), self._messages(self.new, new_op)
            for name, message in before.items():
                if name not in after:
                    self.add("message-removed", "error", label, f"message {name} was removed")
                    continue
                for cid, level, msg in self.schema(message.get("payload"),
                                                   after[name].get("payload"), "response"):
                    self.add(f"payload-{cid}", level, label, _say(f"{name} payload", msg))
            for name in after.keys() - before.keys():
                self.add("message-added", "info", label, f"message {name} was added")
        for op_id in new_ops.keys() - old_ops.keys():
            self.add("operation-added", "info", new_ops[op_id][0], f"operation {op_id} was added")
        return self.out

    # -- one operation --------------------------------------------------------------------
    def operation(self, label: str, old, new, relax: bool) -> None:
        o, n = old.node, new.node
        if n.get("deprecated") is True and o.get("deprecated") is not True:
            self.add("operation-deprecated", "info", label, f"{label} is now deprecated")
        if _stability(n) < _stability(o):
            self.add("operation-stability-decreased", "error", label,
                     f"stability went from {o.get('x-stability-level')} to "
                     f"{n.get('x-stability-level')}")
        self.parameters(label, old, new, relax)
        self.request_body(label, o, n, relax)
        self.responses(label, o, n, relax)
        self.security(label, o, n, relax)

    def _params(self, spec: Spec, op) -> dict[tuple, dict]:
        found: dict[tuple, dict] = {}
        for holder in (op.path_item, op.node):
            for raw in holder.get("parameters") or []:
                param = spec.deref(raw)
                if isinstance(param, dict):
                    found[(param.get("in"), param.get("name"))] = param
        return found

    def parameters(self, label: str, old, new, relax: bool) -> None:
        before, after = self._params(self.old, old), self._params(self.new, new)
        for key, param in before.items():
            where, name = key
            if key not in after:
                deprecated = param.get("deprecated") is True
                self.add("request-parameter-removed", "warning" if deprecated else "error",
                         label, f"{where} parameter {name!r} was removed"
                         + ("" if deprecated else " without being deprecated first"), relax)
                continue
            now = after[key]
            if now.get("required") and not param.get("required"):
                self.add("request-parameter-became-required", "error", label,
                         f"{where} parameter {name!r} became required", relax)
            for cid, level, msg in self.schema(param.get("schema"), now.get("schema"),
                                               "request"):
                self.add(f"request-parameter-{cid}", level, label,
                         _say(f"{where} parameter {name!r}", msg), relax)
        for key in after.keys() - before.keys():
            where, name = key
            if after[key].get("required"):
                self.add("new-required-request-parameter", "error", label,
                         f"new required {where} parameter {name!r}", relax)
            else:
                self.add("new-optional-request-parameter", "info", label,
                         f"new optional {where} parameter {name!r}")

    def request_body(self, label: str, o: dict, n: dict, relax: bool) -> None:
        before = self.old.deref(o.get("requestBody")) or {}
        after = self.new.deref(n.get("requestBody")) or {}
        if not isinstance(before, dict) or not isinstance(after, dict):
            return
        if after.get("required") and not before.get("required"):
            self.add("request-body-became-required", "error", label,
                     "the request body became required", relax)
        for media, content in (after.get("content") or {}).items():
            old_content = (before.get("content") or {}).get(media)
            if not isinstance(old_content, dict) or not isinstance(content, dict):
                continue
            for cid, level, msg in self.schema(old_content.get("schema"),
                                               content.get("schema"), "request"):
                self.add(f"request-{cid}", level, label, _say(f"request body ({media})", msg),
                         relax)
        gone = set(before.get("content") or {}) - set(after.get("content") or {})
        for media in sorted(gone):
            self.add("request-media-type-removed", "error", label,
                     f"request media type {media} is no longer accepted", relax)

    def responses(self, label: str, o: dict, n: dict, relax: bool) -> None:
        before, after = o.get("responses") or {}, n.get("responses") or {}
        for status, raw in before.items():
            status = str(status)
            if status not in {str(k) for k in after}:
                if status[:1] in "23":
                    self.add("response-success-status-removed", "error", label,
                             f"response {status} was removed", relax)
                else:
                    self.add("response-non-success-status-removed", "info", label,
                             f"response {status} was removed")
                continue
            old_resp = self.old.deref(raw)
            new_resp = self.new.deref(after.get(status, after.get(int(status))
                                                if status.isdigit() else None))
            if not isinstance(old_resp, dict) or not isinstance(new_resp, dict):
                continue
            for media, content in (old_resp.get("content") or {}).items():
                new_content = (new_resp.get("content") or {}).get(media)
                if not isinstance(new_content, dict):
                    if status[:1] == "2":
                        self.add("response-media-type-removed", "error", label,
                                 f"response {status} no longer returns {media}", relax)
                    continue
                if not isinstance(content, dict):
                    continue
                for cid, level, msg in self.schema(content.get("schema"),
                                                   new_content.get("schema"), "response"):
                    self.add(f"response-{cid}", level, label,
                             _say(f"response {status} ({media})", msg), relax)

    def security(self, label: str, o: dict, n: dict, relax: bool) -> None:
        before = o.get("security", self.old.data.get("security")) or []
        after = n.get("security", self.new.data.get("security")) or []
        if not isinstance(before, list) or not isinstance(after, list):
            return
        as_keys = {_req_key(r) for r in before if isinstance(r, dict)}
        now_keys = {_req_key(r) for r in after if isinstance(r, dict)}
        open_before = not before or () in as_keys
        if after and () not in now_keys and open_before:
            self.add("security-added", "error", label,
                     "the operation now requires authentication", relax)
        elif after and not (as_keys & now_keys) and not open_before:
            self.add("security-changed", "error", label, "none of the security requirements "
                     f"clients used still applies (now: {sorted(now_keys)})", relax)
        elif before and not after:
            self.add("security-removed", "warning", label,
                     "the operation no longer requires authentication")
        else:
            for key in sorted(now_keys - as_keys):
                self.add("security-alternative-added", "info", label,
                         f"security alternative {list(key)} was added")

    # -- schemas --------------------------------------------------------------------------
    def schema(self, old: Any, new: Any, direction: str, depth: int = 0
               ) -> list[tuple[str, str, tuple[str, str]]]:
        """``(id-suffix, level, (field path, text))`` per change, cached per pair and direction."""
        if old is None or new is None or depth > 25:
            return []
        key = (id(old), id(new), direction)
        if key in self._cache:
            return self._cache[key]
        self._cache[key] = []  # a cycle stops here
        out = self._schema(self.old.deref(old), self.new.deref(new), direction, depth)
        self._cache[key] = out
        return out

    def _schema(self, o: Any, n: Any, direction: str, depth: int) -> list:
        if not isinstance(o, dict) or not isinstance(n, dict):
            return []
        out: list[tuple] = []

        def note(cid: str, level: str, text: str) -> None:
            out.append((cid, level, ("", text)))

        request = direction == "request"
        ot, nt = _types(o), _types(n)
        if ot and nt and ot != nt:
            lost = {t for t in ot - nt if not (_WIDER.get(t, set()) & nt)}
            gained = {t for t in nt - ot if not any(t in _WIDER.get(x, set()) for x in ot)
                      } if not request else set()
            if request and lost:
                note("type-narrowed", "error", f"type narrowed from {sorted(ot)} to "
                     f"{sorted(nt)}")
            elif not request and (nt - ot):
                note("type-changed", "error", f"type changed from {sorted(ot)} to "
                     f"{sorted(nt)}")
            elif gained or lost:
                note("type-changed", "info", f"type changed from {sorted(ot)} to "
                     f"{sorted(nt)}")
        if isinstance(o.get("enum"), list) and isinstance(n.get("enum"), list):
            removed = [v for v in o["enum"] if v not in n["enum"]]
            added = [v for v in n["enum"] if v not in o["enum"]]
            if removed and request:
                note("enum-value-removed", "error", f"enum values {removed} were "
                     "removed")
            if added and not request:
                note("enum-value-added", "warning", f"enum values {added} were added; "
                     "clients may not handle them")
        elif isinstance(n.get("enum"), list) and "enum" not in o and request:
            note("enum-added", "error", "values are now restricted to an enum")
        if request:
            for word, (way, cid) in _LIMITS.items():
                a, b = o.get(word), n.get(word)
                if not _num(b) or isinstance(a, bool) or isinstance(b, bool):
                    continue
                if a is None or (_num(a) and (b < a if way == "down" else b > a)):
                    note(cid, "error", f"{word} tightened from {a} to {b}")
            if n.get("pattern") and n.get("pattern") != o.get("pattern"):
                note("pattern-changed", "error", f"pattern is now {n['pattern']!r}")
            if _nullable(o) and not _nullable(n):
                note("nullable-removed", "error", "null is no longer accepted")
        elif _nullable(n) and not _nullable(o):
            note("became-nullable", "error", "may now be null")
        out.extend(self._properties(o, n, direction, depth))
        if isinstance(o.get("items"), dict) and isinstance(n.get("items"), dict):
            out.extend((c, lvl, (_join("[]", m[0]), m[1])) for c, lvl, m in
                       self.schema(o["items"], n["items"], direction, depth + 1))
        return out

    def _properties(self, o: dict, n: dict, direction: str, depth: int) -> list:
        out = []
        request = direction == "request"
        op_, np_ = _props(self.old, o), _props(self.new, n)
        oreq, nreq = _required(self.old, o), _required(self.new, n)
        for name, sub in op_.items():
            if name not in np_:
                if not request:
                    deprecated = isinstance(self.old.deref(sub), dict) and \
                        self.old.deref(sub).get("deprecated") is True
                    out.append(("property-removed", "warning" if deprecated else "error",
                                (name, "was removed")))
                continue
            for c, lvl, m in self.schema(sub, np_[name], direction, depth + 1):
                out.append((c, lvl, (_join(name, m[0]), m[1])))
            if request and name in nreq and name not in oreq:
                out.append(("property-became-required", "error", (name, "became required")))
            if not request and name in oreq and name not in nreq:
                out.append(("property-became-optional", "error", (name, "may now be missing")))
        for name in np_.keys() - op_.keys():
            if request and name in nreq:
                out.append(("new-required-property", "error", (name, "is new and required")))
            elif not request:
                out.append(("property-added", "info", (name, "was added")))
        return out


def _props(spec: Spec, schema: dict) -> dict:
    found = dict(schema.get("properties") or {}) if isinstance(schema.get("properties"),
                                                               dict) else {}
    for sub in schema.get("allOf") or []:
        sub = spec.deref(sub)
        if isinstance(sub, dict) and isinstance(sub.get("properties"), dict):
            found.update(sub["properties"])
    return found


def _required(spec: Spec, schema: dict) -> set:
    found = set(schema.get("required") or []) if isinstance(schema.get("required"),
                                                            list) else set()
    for sub in schema.get("allOf") or []:
        sub = spec.deref(sub)
        if isinstance(sub, dict) and isinstance(sub.get("required"), list):
            found |= set(sub["required"])
    return found


def _types(schema: dict) -> set:
    kind = schema.get("type")
    kinds = {kind} if isinstance(kind, str) else set(kind) if isinstance(kind, list) else set()
    return kinds - {"null"}


def _join(head: str, tail: str) -> str:
    """A field path: ``items`` + ``[]`` + ``currency`` -> ``items[].currency``."""
    if not tail:
        return head
    return head + tail if tail.startswith("[]") else f"{head}.{tail}"


def _say(where: str, change: tuple[str, str]) -> str:
    path, text = change
    return f"{where}: {path} {text}" if path else f"{where}: {text}"


def _nullable(schema: dict) -> bool:
    kind = schema.get("type")
    return schema.get("nullable") is True or (isinstance(kind, list) and "null" in kind)


def _num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _req_key(requirement: dict) -> tuple:
    return tuple(sorted(requirement))


def _stability(op: dict) -> int:
    return _STABILITY.get(str(op.get("x-stability-level", "stable")), 3)
