"""The Markdown skeleton of a record: front matter, title, flat heading blocks, bullets.

Usage::

    doc = split(text)            # Doc(front_matter=[...], blocks=[Block(1, "Title", raw), ...])
    content, lead, trail = trim(doc.blocks[1].raw)
    render_block("## Context", content, lead, trail)

Headings inside fenced code blocks are text, not structure. Each block keeps
its raw body so a writer can reproduce the spacing of the file it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Block", "Doc", "split", "trim", "render_block", "bullets", "render_bullets"]

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_BULLET = re.compile(r"^([*-])[ \t]+(.*)$")


@dataclass
class Block:
    """A heading and the raw text up to the next heading (its line number is 1-based)."""

    level: int
    heading: str
    raw: str
    line: int = 0


@dataclass
class Doc:
    """A Markdown file cut at its headings.

    ``front_matter`` holds the lines between the ``---`` fences (None when
    absent); ``head`` is any text before the first heading; ``blocks`` are
    every heading outside code fences, in order.
    """

    front_matter: list[str] | None
    head: str
    blocks: list[Block] = field(default_factory=list)
    front_matter_line: int = 0


def split(text: str) -> Doc:
    """Cut ``text`` into front matter, head text and heading blocks."""
    lines = text.splitlines(keepends=True)
    front: list[str] | None = None
    start = 0
    if lines and lines[0].rstrip() == "---":
        for i in range(1, len(lines)):
            if lines[i].rstrip() in ("---", "..."):
                front = [ln.rstrip("\n") for ln in lines[1:i]]
                start = i + 1
                break
    head: list[str] = []
    blocks: list[Block] = []
    body: list[str] = head
    fence: str | None = None
    for i in range(start, len(lines)):
        line = lines[i]
        fence_m = _FENCE.match(line)
        if fence_m:
            mark = fence_m.group(1)
            if fence is None:
                fence = mark[0] * 3
            elif mark.startswith(fence):
                fence = None
        m = _HEADING.match(line.rstrip("\n")) if fence is None and not fence_m else None
        if m:
            body = []
            blocks.append(Block(len(m.group(1)), m.group(2), "", i + 1))
            blocks[-1].raw = body  # type: ignore[assignment]
            continue
        body.append(line)
    for block in blocks:
        block.raw = "".join(block.raw)  # type: ignore[arg-type]
    return Doc(front, "".join(head), blocks, 1 if front is not None else 0)


def trim(raw: str) -> tuple[str, int, int]:
    """``raw`` -> (content without surrounding blank lines, leading blanks, trailing blanks)."""
    if not raw.strip():
        return "", raw.count("\n"), 0
    stripped = raw.lstrip("\n")
    lead = len(raw) - len(stripped)
    content = stripped.rstrip("\n")
    trail = len(stripped) - len(content) - 1
    return content, lead, max(trail, 0)


def render_block(heading_line: str, content: str, lead: int = 1, trail: int = 1) -> str:
    """A heading line and its content with the given blank lines around it."""
    if not content:
        return heading_line + "\n" + "\n" * lead
    return heading_line + "\n" + "\n" * lead + content + "\n" + "\n" * trail


def bullets(content: str) -> tuple[str, list[str]] | None:
    """A list's items (continuation lines kept verbatim) and its marker, or None.

    Returns None unless ``content`` is one list and nothing else, so callers
    can fall back to keeping the text verbatim.
    """
    items: list[str] = []
    marker = ""
    for line in content.split("\n"):
        m = _BULLET.match(line)
        if m and (not marker or m.group(1) == marker):
            marker = m.group(1)
            items.append(m.group(2))
        elif items and line.strip() and line[:1] in (" ", "\t"):
            items[-1] += "\n" + line
        else:
            return None
    return (marker, items) if items else None


def render_bullets(items: list[str], marker: str = "*") -> str:
    return "\n".join(f"{marker} {item}" for item in items)
