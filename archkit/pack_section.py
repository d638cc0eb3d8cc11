"""What a later stage (API contracts, security, capacity) adds to the design pack.

Usage::

    section = PackSection("api", heading="API contracts")
    section.files.append("api/openapi.yaml")          # relative to the pack's folder
    section.summary.append("8 operations, 0 breaking changes")
    section.title                                     # "API contracts"

Each stage's ``write_pack_section(folder, out) -> PackSection`` returns one;
``archkit.pack`` shows ``title`` and ``summary`` on the pack's summary page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["PackSection"]


@dataclass(slots=True)
class PackSection:
    """What a stage added to the pack: files (relative to out), summary lines, summary data."""

    name: str
    files: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    heading: str = ""

    @property
    def title(self) -> str:
        """The heading of the section on the pack's summary page (else the name, capitalised)."""
        return self.heading or self.name.capitalize()
