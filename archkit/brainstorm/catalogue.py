"""The built-in catalogue of common backend decisions, shipped as YAML data.

Usage::

    from archkit.brainstorm.catalogue import load_catalogue
    cat = load_catalogue()
    cat.ids                                  # ['api-style', 'api-versioning', ...]
    decision = cat["messaging"].to_decision(context="Order pipeline events")
    cat.match("Kafka or RabbitMQ for our events?").id   # -> 'messaging'

Each entry (``archkit/brainstorm/data/catalogue/<id>.yaml``) has a question,
suggested criteria with weights, options with typical 1–5 scores, pros and cons,
and a source line. Scores are starting points: adjust them for your system.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from archkit.brainstorm.decision import Decision
from archkit.brainstorm.load import decisions_from_data
from archkit.brainstorm.yamlio import parse_yaml
from archkit.display import markdown_table
from archkit.errors import ArchkitError, Where

__all__ = ["Catalogue", "CatalogueEntry", "load_catalogue"]

_ENTRY_ONLY_KEYS = ("keywords",)


@dataclass(slots=True)
class CatalogueEntry:
    """One common decision: its template decision, match keywords and source."""

    id: str
    title: str
    keywords: list[str]
    source: str
    template: Decision

    @property
    def option_names(self) -> list[str]:
        return self.template.option_names

    def to_decision(self, context: str = "", question: str | None = None) -> Decision:
        """A fresh, editable copy of the template, with your question and context."""
        decision = copy.deepcopy(self.template)
        if question:
            decision.question = question.strip()
        if context:
            decision.context = context.strip()
        decision.source = f"archkit catalogue '{self.id}' — {self.source}"
        return decision

    def matched(self, text: str) -> list[str]:
        """The entry's keywords that occur in ``text`` (whole words, any case)."""
        low = text.lower()
        return [k for k in self.keywords if re.search(rf"\b{re.escape(k.lower())}\b", low)]


@dataclass(slots=True)
class Catalogue:
    entries: list[CatalogueEntry] = field(default_factory=list)

    def __iter__(self) -> Iterator[CatalogueEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, entry_id: str) -> CatalogueEntry:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise ArchkitError(
            f"the catalogue has no entry {entry_id!r}", hint="one of: " + ", ".join(self.ids)
        )

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.entries]

    def match(self, question: str, context: str = "") -> CatalogueEntry | None:
        """The entry whose keywords best match the question (then the context), or None.

        A keyword counts 1/n when n entries share it, so "api" weighs less than "graphql".
        """
        spread: dict[str, int] = {}
        for entry in self.entries:
            for k in set(entry.keywords):
                spread[k] = spread.get(k, 0) + 1

        def score(entry: CatalogueEntry, text: str) -> float:
            return sum(1 / spread[k] for k in set(entry.matched(text)))

        best, best_key = None, (0.0, 0.0)
        for entry in self.entries:
            key = (score(entry, question), score(entry, context))
            if key > best_key:
                best, best_key = entry, key
        return best

    def to_markdown(self) -> str:
        rows = [[e.id, e.title, ", ".join(e.option_names), e.source] for e in self.entries]
        return markdown_table(["id", "decision", "options", "source"], rows)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


@lru_cache(maxsize=1)
def _load() -> tuple[CatalogueEntry, ...]:
    folder = resources.files("archkit.brainstorm") / "data" / "catalogue"
    entries = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".yaml"):
            continue
        source = f"archkit/brainstorm/data/catalogue/{item.name}"
        data = parse_yaml(item.read_text(encoding="utf-8"), source)
        if not isinstance(data, dict):
            raise ArchkitError("a catalogue entry must be a mapping", where=Where(source, 1))
        plain = {k: v for k, v in data.items() if k not in _ENTRY_ONLY_KEYS}
        found = decisions_from_data(plain, source)
        if found.problems or len(found) != 1:
            first = found.problems[0] if found.problems else None
            raise ArchkitError(
                f"catalogue entry is broken: {first.message if first else 'no decision'}",
                where=Where(source, first.line if first else None),
                hint=first.fix if first else None,
            )
        template = found[0]
        entries.append(
            CatalogueEntry(
                template.id, template.title, [str(k) for k in data.get("keywords") or []],
                template.source, template,
            )
        )
    return tuple(entries)


def load_catalogue() -> Catalogue:
    """The shipped catalogue (parsed once per process; entries hand out copies)."""
    return Catalogue(list(_load()))
