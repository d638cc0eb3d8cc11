"""The decision record model: one typed record, whatever dialect it was read from.

Usage::

    from archkit.adr.model import Argument, Link, Option, Record, write_record
    rec = Record(
        number=3, title="Use PostgreSQL for orders", date="2026-11-26", status="accepted",
        context="Orders need transactions across tenants.",
        drivers=["strong consistency", "team knows SQL"],
        options=[Option("PostgreSQL", arguments=[Argument("Good", "row-level security")]),
                 Option("MongoDB", arguments=[Argument("Bad", "multi-document transactions")])],
        chosen="PostgreSQL", justification="it keeps orders consistent",
        links=[Link("Supersedes", 2)],
        matrix={"criteria": [...], "options": [...], "scores": {...}},
    )
    path = write_record(rec, Path("docs/decisions"))      # MADR 4 by default

Records are plain dataclasses with no I/O; reading and writing Markdown lives
in the dialect modules (``archkit.adr.madr``, ``archkit.adr.nygard``) and the
directory store (``archkit.adr.store``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

__all__ = [
    "STATUSES",
    "LINK_PAIRS",
    "Argument",
    "Option",
    "Link",
    "Section",
    "Record",
    "normalize_status",
    "reverse_label",
    "relation_of",
    "slugify",
    "file_name",
    "md",
    "write_record",
]

# The status vocabulary; any other status is kept verbatim (lint reports it).
STATUSES = ("draft", "proposed", "accepted", "rejected", "deprecated", "superseded")

# Link labels as written in a record, and the label written in the other record.
# adr-tools spells supersede "Supercedes" / "Superceded by"; both spellings are read.
LINK_PAIRS: dict[str, str] = {
    "Supersedes": "Superseded by",
    "Superseded by": "Supersedes",
    "Supercedes": "Superceded by",
    "Superceded by": "Supercedes",
    "Amends": "Amended by",
    "Amended by": "Amends",
    "Clarifies": "Clarified by",
    "Clarified by": "Clarifies",
    "Extends": "Extended by",
    "Extended by": "Extends",
    "Refines": "Refined by",
    "Refined by": "Refines",
    "Relates to": "Relates to",
    "Depends on": "Depended on by",
    "Depended on by": "Depends on",
}

# Canonical relation names (for graphs, JSON and lint), keyed by lowercased label.
_RELATIONS = {
    "supersedes": "supersedes",
    "supercedes": "supersedes",
    "superseded by": "superseded-by",
    "superceded by": "superseded-by",
    "amends": "amends",
    "amended by": "amended-by",
    "relates to": "relates-to",
}


def normalize_status(status: str) -> str:
    """The vocabulary word a status means ('Superseded by ADR-0005' -> 'superseded').

    Unknown statuses come back lowercased and trimmed, so callers can compare
    them with :data:`STATUSES` and keep the original text for writing.
    """
    text = (status or "").strip().strip('"*_`.').strip()  # "**Accepted**", "Accepted."
    low = text.lower()
    for word in STATUSES:
        if low == word or low.startswith(word + " "):
            return word
    if low.startswith("superceded"):
        return "superseded"
    return low


def reverse_label(label: str) -> str:
    """The label the other record of a link carries ('Amends' -> 'Amended by').

    Unknown labels ending in 'by' lose it ('Blocked by' -> 'Blocks' is not
    guessed: 'Blocked by' -> 'Blocked by' reversed needs an explicit pair).
    """
    for known, reverse in LINK_PAIRS.items():
        if known.lower() == label.strip().lower():
            return reverse
    return label


def relation_of(label: str) -> str:
    """A canonical relation name for a label ('Superceded by' -> 'superseded-by')."""
    low = " ".join(label.strip().lower().split())
    return _RELATIONS.get(low, low.replace(" ", "-"))


@dataclass
class Argument:
    """One argument about an option or a consequence: ``* Good, because …``.

    ``verdict`` is "Good", "Neutral" or "Bad" (or "" for a bullet without
    one); ``text`` is what follows "because " (continuation lines included).
    """

    verdict: str
    text: str

    @property
    def kind(self) -> str:
        return self.verdict.lower() or "other"


@dataclass
class Option:
    """A considered option: its title, an optional description and its arguments.

    ``heading`` is the title used in the "Pros and Cons" section when it
    differs from the list item (None = same as ``title``, or no details).
    """

    title: str
    description: str = ""
    arguments: list[Argument] = field(default_factory=list)
    heading: str | None = None
    detailed: bool | None = None  # None: write details only when there are some
    listed: bool = True  # False: only in "Pros and Cons", not in "Considered Options"

    @property
    def good(self) -> list[str]:
        return [a.text for a in self.arguments if a.kind == "good"]

    @property
    def neutral(self) -> list[str]:
        return [a.text for a in self.arguments if a.kind == "neutral"]

    @property
    def bad(self) -> list[str]:
        return [a.text for a in self.arguments if a.kind == "bad"]

    def has_details(self) -> bool:
        return self.detailed if self.detailed is not None else bool(
            self.description or self.arguments
        )


@dataclass
class Link:
    """A link from this record to record ``target``, as labelled in this record.

    ``kind`` is the label written here ("Supersedes", "Amends", "Relates to");
    ``reverse`` is the label the other record carries (derived when None).
    """

    kind: str
    target: int
    reverse: str | None = None
    target_title: str | None = None
    target_file: str | None = None
    # the label as written ("ADR-003", "20201016-x") when it is not "N. Title": kept on rewrite
    label: str | None = field(default=None, compare=False, repr=False)

    @property
    def relation(self) -> str:
        return relation_of(self.kind)

    @property
    def reverse_kind(self) -> str:
        return self.reverse or reverse_label(self.kind)


@dataclass
class Section:
    """A section the model has no field for, kept verbatim (heading without '#')."""

    heading: str
    body: str
    level: int = 2


@dataclass
class Record:
    """One architecture decision record.

    Text fields hold Markdown as written. ``status`` is kept verbatim (use
    :attr:`status_kind` to compare); ``matrix`` is the machine-readable decision
    matrix when the decision came from a brainstorm (JSON-able dict).
    ``layout`` remembers how the source file was arranged (section order,
    front-matter keys) so a re-export reproduces it; writers fall back to the
    template order when it is empty.
    """

    number: int | None
    title: str
    date: str | None = None
    status: str = "proposed"
    deciders: list[str] = field(default_factory=list)
    consulted: list[str] = field(default_factory=list)
    informed: list[str] = field(default_factory=list)
    context: str = ""
    drivers: list[str] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    chosen: str | None = None
    justification: str = ""
    decision: str = ""
    consequences: list[Argument] = field(default_factory=list)
    consequences_text: str = ""
    confirmation: str = ""
    more_information: str = ""
    links: list[Link] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    matrix: dict[str, Any] | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    extra_sections: list[Section] = field(default_factory=list)
    status_notes: list[str] = field(default_factory=list)
    file: str | None = None
    layout: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def status_kind(self) -> str:
        """The vocabulary word of the status ('accepted', 'superseded', …)."""
        return normalize_status(self.status)

    @property
    def id(self) -> str:
        return f"ADR-{self.number:04d}" if self.number is not None else "ADR-????"

    def links_of(self, relation: str) -> list[Link]:
        """Links with a canonical relation ('supersedes', 'superseded-by', …)."""
        return [link for link in self.links if link.relation == relation]

    @property
    def superseded_by(self) -> list[int]:
        """Numbers of the records that supersede this one (links, else MADR's status text).

        MADR 4 writes ``status: superseded by ADR-0123`` without a link section.
        """
        found = [link.target for link in self.links_of("superseded-by")]
        if not found and self.status_kind == "superseded":
            found = [int(n) for n in re.findall(r"ADR-?0*(\d+)", self.status, re.I)]
        return found

    def chosen_option(self) -> Option | None:
        """The considered option whose title matches ``chosen`` (None if none does)."""
        if not self.chosen:
            return None
        want = _plain(self.chosen)
        for opt in self.options:
            if _plain(opt.title) == want or _plain(opt.heading or "") == want:
                return opt
        for opt in self.options:
            if _plain(opt.title).startswith(want) or want.startswith(_plain(opt.title)):
                return opt
        return None

    def default_file_name(self) -> str:
        return file_name(self.number or 0, self.title)

    def with_number(self, number: int) -> Record:
        return replace(self, number=number)

    def summary(self) -> dict[str, Any]:
        """The JSON shape the CLI prints for ``adr import``."""
        return {
            "number": self.number,
            "title": self.title,
            "status": self.status,
            "date": self.date,
            "file": self.file,
            "links": [{"kind": link.relation, "target": link.target} for link in self.links]
            + [{"kind": "superseded-by", "target": n} for n in self.superseded_by  # status text
               if not any(lk.target == n for lk in self.links_of("superseded-by"))],
        }

    def _repr_markdown_(self) -> str:
        from archkit.adr.dialects import dumps

        text = dumps(self)
        if text.startswith("---\n"):  # show front matter as a code block, not a rule
            head, _, body = text[4:].partition("---\n")
            text = f"```yaml\n{head}```\n\n{body}"
        return text


def _plain(text: str) -> str:
    """Text without Markdown links/emphasis, lowercased: for matching option names."""
    text = _unlink(text)
    text = re.sub(r"[*_`\"']", "", text)
    return " ".join(text.lower().split())


def _unlink(text: str) -> str:
    """``[label](url)`` -> ``label``, in one pass (the regex took quadratic time on ``[[[…``)."""
    out: list[str] = []
    pos = 0
    while (start := text.find("[", pos)) >= 0:
        close = text.find("]", start + 1)
        if close < 0:
            break
        if text[close + 1:close + 2] == "(":
            end = text.find(")", close + 2)
            if end < 0:
                break  # no ")" anywhere after: no later link can close either
            out.append(text[pos:start])
            out.append(text[start + 1:close])
            pos = end + 1
            continue
        # every "[" up to ``close`` meets the same "]" without "(": none is a link
        out.append(text[pos:close + 1])
        pos = close + 1
    out.append(text[pos:])
    return "".join(out)


_MD_INLINE = re.compile(r"([\\`*\[\]<>&])")


def md(text: str) -> str:
    """Plain text (a title typed by a person) as inert Markdown.

    Record fields hold Markdown as written; pass user-typed text through this
    so ``<b>x</b> & [link](x)`` shows literally: ``md("<b>")`` -> ``"&lt;b&gt;"``.
    """
    flat = " ".join(str(text).split())
    return _MD_INLINE.sub(
        lambda m: {"<": "&lt;", ">": "&gt;", "&": "&amp;"}.get(m.group(1), "\\" + m.group(1)),
        flat,
    )


def slugify(title: str) -> str:
    """A file-name-safe slug: lowercase ASCII letters, digits and dashes only.

    ``../../etc/passwd <b>x</b>`` -> ``etc-passwd-b-x-b`` — never a path
    separator, a dot-dot, or markup.
    """
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80].rstrip("-") or "decision"


def file_name(number: int, title: str) -> str:
    """The conventional file name: ``0007-use-postgresql.md``."""
    return f"{number:04d}-{slugify(title)}.md"


def write_record(record: Record, folder: Path, dialect: str = "madr") -> Path:
    """Write one record into ``folder`` (numbering and lifecycle: see the store).

    Refuses to overwrite a different existing file; returns the path written.
    """
    from archkit.adr.dialects import dumps
    from archkit.fsio import ensure_inside, write_new

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    name = record.file and Path(record.file).name
    if not name or name != Path(name).name or name.startswith("."):
        name = record.default_file_name()
    path = ensure_inside(folder, folder / name)
    write_new(path, dumps(record, dialect))
    return path
