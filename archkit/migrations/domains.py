"""A changed PostgreSQL domain as ALTER DOMAIN steps (a domain in use cannot be recreated).

Usage::

    from archkit.migrations.domains import alter_domain
    steps = alter_domain(old_text, new_text)   # (up, down) or None when it cannot be altered
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archkit.migrations.source import norm_sql

__all__ = ["Domain", "alter_domain", "parse_domain"]

_HEAD = re.compile(r"(?is)^\s*CREATE\s+DOMAIN\s+(?:IF\s+NOT\s+EXISTS\s+)?([\w$.\"]+)\s+(?:AS\s+)?")
_STOP = re.compile(r"(?is)\s(?:CONSTRAINT|CHECK|DEFAULT|NOT\s+NULL|NULL|COLLATE)\b")


@dataclass(slots=True)
class Domain:
    """A domain's parts: ``checks`` is ``[(name or None, expression)]`` in written order."""

    name: str
    base: str
    default: str | None = None
    not_null: bool = False
    collate: str | None = None
    checks: list[tuple[str | None, str]] = field(default_factory=list)


def _top_level(text: str, start: int, pattern: re.Pattern[str]) -> int:
    """The first match of ``pattern`` at or after ``start`` outside parentheses/quotes."""
    depth, quote = 0, ""
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and pattern.match(text, i):
            return i
    return len(text)


def _paren(text: str, start: int) -> int:
    """The index after the parenthesis closing the one at ``start``."""
    depth, quote = 0, ""
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch == "'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def parse_domain(text: str) -> Domain | None:
    """The parts of a CREATE DOMAIN statement (None when they cannot be told apart)."""
    text = text.strip().rstrip(";")
    m = _HEAD.match(text)
    if not m:
        return None
    pos = _top_level(text, m.end(), _STOP)
    dom = Domain(m.group(1), norm_sql(text[m.end():pos]))
    while pos < len(text):
        w = re.compile(r"(?is)\s*(?:CONSTRAINT\s+([\w$\"]+)\s+)?(CHECK|DEFAULT|NOT\s+NULL|NULL|"
                       r"COLLATE)\b").match(text, pos)
        if not w:
            return None
        word, pos = w.group(2).upper(), w.end()
        if word == "CHECK":
            start = text.index("(", pos)
            end = _paren(text, start)
            dom.checks.append((w.group(1), text[start:end]))
            pos = end
        elif word in ("DEFAULT", "COLLATE"):
            end = _top_level(text, pos, _STOP)
            value = text[pos:end].strip()
            if word == "DEFAULT":
                dom.default = value
            else:
                dom.collate = value
            pos = end
        else:
            dom.not_null = word.startswith("NOT")
    return dom


def _check_names(dom: Domain) -> list[str]:
    """The names PostgreSQL gives the checks: ``<domain>_check``, ``_check1``... if unnamed."""
    bare = dom.name.split(".")[-1].strip('"').lower()
    taken = {n.strip('"') for n, _e in dom.checks if n}
    out, n = [], 0
    for name, _expr in dom.checks:
        if name:
            out.append(name)
            continue
        while (cand := f"{bare}_check" + (str(n) if n else "")) in taken:
            n += 1
        taken.add(cand)
        out.append(cand)
    return out


def alter_domain(old_text: str, new_text: str, name: str) -> tuple[list[str], list[str]] | None:
    """``(up, down)`` ALTER DOMAIN statements from one definition to the other (``name`` as
    the statements should say it), or None when the base type or collation changed."""
    a, b = parse_domain(old_text), parse_domain(new_text)
    if a is None or b is None or a.base != b.base or a.collate != b.collate:
        return None
    up: list[str] = []
    down: list[str] = []
    head = f"ALTER DOMAIN {name}"
    if a.default != b.default:
        up.append(f"{head} SET DEFAULT {b.default}" if b.default else f"{head} DROP DEFAULT")
        down.append(f"{head} SET DEFAULT {a.default}" if a.default else f"{head} DROP DEFAULT")
    if a.not_null != b.not_null:
        up.append(f"{head} {'SET' if b.not_null else 'DROP'} NOT NULL")
        down.append(f"{head} {'SET' if a.not_null else 'DROP'} NOT NULL")
    old_names, new_names = _check_names(a), _check_names(b)
    old_c = {norm_sql(e): (n, e) for n, (_w, e) in zip(old_names, a.checks, strict=True)}
    new_c = {norm_sql(e): (n, e) for n, (_w, e) in zip(new_names, b.checks, strict=True)}
    for key in [k for k in old_c if k not in new_c]:
        n, e = old_c[key]
        up.append(f"{head} DROP CONSTRAINT {n}")
        down.insert(0, f"{head} ADD CONSTRAINT {n} CHECK {e}")
    for key in [k for k in new_c if k not in old_c]:
        n, e = new_c[key]
        up.append(f"{head} ADD CONSTRAINT {n} CHECK {e}")
        down.insert(0, f"{head} DROP CONSTRAINT {n}")
    return up, down
