"""The Markdown skeleton of a record: front matter, title, flat heading blocks, bullets.

Usage::

    doc = split(text)            # Doc(front_matter=[...], blocks=[Block(1, "Title", raw), ...])
    content, lead, trail = trim(doc.blocks[1].raw)
    render_block("## Context", content, lead, trail)

Headings inside fenced code blocks are text, not structure. Each block keeps
its raw body so a writer can reproduce the spacing of the file it came from.
Text is normalised first (:func:`normalize`): CRLF ends, a byte-order mark and
whitespace-only lines (blank to a reader) would otherwise leak into fields.
Everything here runs in time linear in the input: no backtracking regex on text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "Block", "Doc", "normalize", "heading", "split", "trim", "render_block", "bullets",
    "render_bullets",
]

# Anchored and free of nested quantifiers: linear in the line's length.
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


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


def normalize(text: str) -> str:
    """``\\n`` line ends, no byte-order mark, whitespace-only lines made empty."""
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join("" if not ln.strip(" \t") else ln for ln in text.split("\n"))


def heading(line: str) -> tuple[int, str] | None:
    """An ATX heading line -> (level, text without the closing #s), else None.

    ``"## Status ##"`` -> ``(2, "Status")``; ``"# C#"`` keeps its ``#`` (a closing
    sequence needs a space before it). Written as a scan: the regex it replaces
    took cubic time on a heading followed by thousands of tabs.
    """
    level = 0
    while level < len(line) and level < 7 and line[level] == "#":
        level += 1
    if not 1 <= level <= 6 or level == len(line) or line[level] not in " \t":
        return None
    text = line[level:].strip(" \t")
    body = text.rstrip("#")
    if not body:
        return level, ""
    if body != text and body[-1] in " \t":
        text = body.rstrip(" \t")
    return level, text


def _lines(text: str) -> list[str]:
    # str.splitlines() also cuts at \x0b, \x1c, \u2028, ...; records are cut at \n only.
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def split(text: str) -> Doc:
    """Cut ``text`` into front matter, head text and heading blocks."""
    lines = _lines(normalize(text))
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
        m = heading(line.rstrip("\n")) if fence is None and not fence_m else None
        if m:
            body = []
            blocks.append(Block(m[0], m[1], "", i + 1))
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
    items: list[list[str]] = []  # each item's lines, joined at the end (no quadratic +=)
    marker = ""
    for line in content.split("\n"):
        m = _bullet(line)
        if m and (not marker or m[0] == marker):
            marker = m[0]
            items.append([m[1]])
        elif items and line.strip() and line[:1] in (" ", "\t"):
            items[-1].append(line)
        else:
            return None
    return (marker, ["\n".join(item) for item in items]) if items else None


def _bullet(line: str) -> tuple[str, str] | None:
    """``"* text"`` -> ("*", "text"): a marker, at least one space or tab, the text."""
    if len(line) < 2 or line[0] not in "*-" or line[1] not in " \t":
        return None
    return line[0], line[1:].lstrip(" \t")


def render_bullets(items: list[str], marker: str = "*") -> str:
    return "\n".join(f"{marker} {item}" for item in items)
