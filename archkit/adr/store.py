"""A folder of decision records: find it, number it, change it safely.

Usage::

    store = AdrStore.open(Path("."))            # honours .adr-dir, else docs/decisions
    rec = store.new("Use Kafka for the order pipeline", status="proposed")
    store.accept(rec.number)
    store.new("Use Redpanda", supersedes=rec.number)
    store.link(3, "Amends", 1)                  # writes both files, or neither

File names may be ``NNNN-title.md``, ``adr-NNN-title.md`` / ``ADR-NNN-title.md``
or log4brains' ``YYYYMMDD-title.md`` (numbered 1, 2, … in date order);
``index.md``, ``template.md`` and ``README.md`` are skipped, and any other
``.md`` file is reported, not silently ignored. A file that cannot be read
(not UTF-8, no title) is a finding; the rest of the folder still loads.

Numbers continue from the highest existing one. Every change is written with
:func:`archkit.adr._txn.commit_files`: a file is never overwritten if it changed
since it was read, both files of a link change together (journalled, so a kill
mid-way is completed by the next command), and no file name can leave the
folder whatever the title.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import replace
from pathlib import Path

from archkit.adr._naming import FileName, is_skipped, new_file_name, parse_file_name
from archkit.adr._txn import commit_files, recover
from archkit.adr.dialects import dialect_of, dumps, loads
from archkit.adr.drafts import stamp
from archkit.adr.model import Link, Record, file_name, md, reverse_label, slugify
from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity

__all__ = ["AdrStore", "find_adr_dir", "DEFAULT_DIR"]

DEFAULT_DIR = Path("docs/decisions")  # MADR's default; adr-tools uses doc/adr via .adr-dir

# Template text for new records, so a writer sees what each section is for.
_PROMPTS = {
    "nygard": {
        "context": "The issue motivating this decision, and any context that influences "
        "or constrains the decision.",
        "decision": "The change that we're proposing or have agreed to implement.",
        "consequences": "What becomes easier or more difficult to do and any risks introduced "
        "by the change that will need to be mitigated.",
    },
    "madr": {
        "context": "{Describe the context and problem statement, e.g., in free form using two "
        "to three sentences or in the form of an illustrative story.}",
        "decision": "{Describe the decision: fill in the considered options and the chosen one.}",
    },
}


def find_adr_dir(start: Path) -> Path:
    """The ADR folder of a project: ``.adr-dir``, else ``docs/decisions``, ``doc/adr``.

    A folder that already holds ``NNNN-*.md`` files is taken as the ADR folder itself.
    """
    start = Path(start)
    marker = start / ".adr-dir"
    if marker.is_file():
        try:
            rel = marker.read_bytes().decode("utf-8").strip()
        except (OSError, UnicodeDecodeError) as err:
            raise ArchkitError(f"cannot read .adr-dir: {err}", where=Where(str(marker), 1, 1),
                               hint="write the ADR folder's relative path into it as UTF-8 text"
                               ) from None
        if not rel or "\0" in rel or "\n" in rel:
            raise ArchkitError("empty or malformed .adr-dir", where=Where(str(marker), 1, 1),
                               hint="write the ADR folder's relative path into it, e.g. doc/adr")
        return start / rel
    if _record_files(start):
        return start
    known = (DEFAULT_DIR, Path("doc/adr"), Path("docs/adr"))
    for candidate in known:
        if (start / candidate).is_dir():
            return start / candidate
    if any(start.parts[-len(c.parts):] == c.parts for c in known):
        return start  # named like an ADR folder (``--dir docs/decisions``), perhaps not made yet
    return start / DEFAULT_DIR


class AdrStore:
    """The records of one ADR folder, loaded, with the bytes each file had when read."""

    def __init__(self, folder: Path, dialect: str | None = None, today: str | None = None):
        self.folder = Path(folder)
        self.records: dict[int, Record] = {}
        self.others: list[Record] = []  # records whose number another record already has
        self.findings = Findings()
        self._read: dict[Path, bytes] = {}
        self._names: list[FileName] = []
        self._dialect = dialect
        self.today = today or _dt.date.today().isoformat()
        try:
            if self.folder.is_dir():
                self._load()
        except OSError as err:  # a name too long, a folder we may not list, ...
            raise ArchkitError(f"cannot read the ADR folder: {err.strerror or err}",
                               where=Where(str(self.folder)),
                               hint="check the path and its permissions") from None

    @classmethod
    def open(cls, start: Path = Path("."), **kwargs) -> AdrStore:
        """The store of the project at ``start`` (see :func:`find_adr_dir`)."""
        return cls(find_adr_dir(start), **kwargs)

    def _load(self) -> None:
        recover(self.folder)  # finish a change a kill interrupted (see _txn)
        names = _record_files(self.folder)
        top = max((f.number for f in names.values() if f.scheme == "number"), default=0)
        self._names = list(names.values())
        for path in sorted(self.folder.glob("*.md")):
            if (path not in names and not is_skipped(path.name) and not path.name.startswith(".")
                    and path.is_file()):
                self.findings.append(Finding(
                    "ADR014", Severity.INFO, "not read: the file name has no record number",
                    object=path.name, file=path.name,
                    fix="name it NNNN-title.md, adr-NNN-title.md or YYYYMMDD-title.md"))
        dated: list[tuple[str, str, Record]] = []
        for path in sorted(names):
            record = self._load_one(path)
            if record is None:
                continue
            if names[path].scheme == "date":
                dated.append((_date_key(record, names[path]), path.name, record))
                continue
            self._add(record)
        # log4brains orders by the Date field, else the file name's date, then the name
        for number, (_, _, record) in enumerate(sorted(dated, key=lambda d: d[:2]), top + 1):
            record.number = number
            record.layout["number_from"] = "date order"
            self._add(record)
        self._resolve_links()

    def _add(self, record: Record) -> None:
        if record.number in self.records:
            self.others.append(record)  # a duplicate number: lint reports it
        else:
            self.records[record.number] = record  # type: ignore[index]

    def _load_one(self, path: Path) -> Record | None:
        """One record, or None with an ADR001 finding (the folder goes on loading)."""
        try:
            raw = path.read_bytes()
            self._read[path] = raw
            text = raw.decode("utf-8")
            record, found = loads(text, file=path.name)
        except UnicodeDecodeError as err:
            line = raw[: err.start].count(b"\n") + 1
            col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
            self.findings.append(Finding(
                "ADR001", Severity.ERROR, f"not UTF-8 text (byte 0x{raw[err.start]:02x})",
                object=path.name, line=line, col=col, file=path.name,
                fix="save the record as UTF-8"))
            return None
        except OSError as err:
            self.findings.append(Finding(
                "ADR001", Severity.ERROR, f"cannot read the file: {err.strerror or err}",
                object=path.name, file=path.name, fix="check the file's permissions"))
            return None
        except ArchkitError as err:  # one bad file: report it, keep the others
            where = err.where or Where(path.name)
            self.findings.append(Finding(
                "ADR001", Severity.ERROR, err.message, object=path.name,
                line=where.line, col=where.col, fix=err.hint, file=path.name))
            return None
        self.findings.extend(found)
        return record

    def _resolve_links(self) -> None:
        """Point links written as file names at the number that file has here.

        log4brains writes ``superseded by [20201016-x](20201016-x.md)``: the target
        is numbered by date order, so the link follows the file. A link whose own
        number names no record is pointed at its file's record too.
        """
        by_file = {r.file: r for r in self.all() if r.file and r.number is not None}
        for rec in self.all():
            for link in rec.links:
                name = (link.target_file or "").rsplit("/", 1)[-1].split("#", 1)[0]
                target = by_file.get(name)
                if target is not None and (target.layout.get("number_from") == "date order"
                                           or link.target not in self.records):
                    link.target = target.number  # type: ignore[assignment]

    # -- reading
    def __iter__(self):
        return iter(self.all())

    def __len__(self) -> int:
        return len(self.records) + len(self.others)

    def all(self) -> list[Record]:
        """Every record, by number then file name."""
        return sorted([*self.records.values(), *self.others],
                      key=lambda r: (r.number if r.number is not None else -1, r.file or ""))

    def get(self, number: int) -> Record:
        try:
            return self.records[number]
        except KeyError:
            raise ArchkitError(
                f"no ADR number {number} in {self.folder}",
                hint=f"existing numbers: {', '.join(map(str, sorted(self.records))) or 'none'}",
            ) from None

    @property
    def dialect(self) -> str:
        """The folder's dialect: as asked, else what most records use, else MADR."""
        if self._dialect:
            return self._dialect
        kinds = [dialect_of(r) for r in self.records.values()]
        return max(sorted(set(kinds)), key=kinds.count) if kinds else "madr"

    def next_number(self) -> int:
        """One more than the highest number loaded *or now on disk* (someone may have added one)."""
        on_disk = [f.number for f in _record_files(self.folder).values() if f.scheme == "number"]
        return max([*self.records, *on_disk], default=0) + 1

    def path_of(self, record: Record) -> Path:
        name = record.file or file_name(record.number or 0, _plain_title(record.title))
        if "/" in name or "\\" in name or "\0" in name:
            name = "/" + name  # caught below
        if Path(name).name != name or name.startswith("."):
            raise ArchkitError(f"unsafe ADR file name: {name!r}", where=Where(name),
                               hint="file names are NNNN-slug.md inside the ADR folder")
        path = self.folder / name
        # ensure_inside would resolve symlinks; the name check above already forbids '/'.
        return path

    def _repr_markdown_(self) -> str:
        from archkit.adr.index import AdrIndex

        head = f"**{len(self)} ADRs** in `{self.folder}` ({self.dialect})"
        return head + "\n\n" + AdrIndex(self.all())._repr_markdown_()

    # -- changing
    def new(
        self,
        title: str,
        *,
        status: str = "proposed",
        dialect: str | None = None,
        supersedes: int | list[int] | None = None,
        date: str | None = None,
        record: Record | None = None,
        draft: bool = False,
    ) -> Record:
        """Create record N+1 from a plain-text ``title`` (or a prepared ``record``).

        ``draft`` marks it as generated (see :mod:`archkit.adr.drafts`).
        """
        dialect = dialect or self.dialect
        number = self.next_number()
        if record is None:
            prompts = _PROMPTS.get(dialect, _PROMPTS["madr"])
            record = Record(
                number=number, title=md(title), context=prompts["context"],
                decision=prompts["decision"],
                consequences_text=prompts.get("consequences", ""),
            )
        else:
            record = replace(record, number=number, links=list(record.links),
                             title=record.title or md(title), layout={})
        record.date = date or record.date or self.today
        record.status = _status_word(status, dialect)
        record.layout["dialect"] = dialect
        record.file = new_file_name(self._names, number, slugify(_plain_title(record.title)),
                                    self.today)
        changed = [record]
        targets = [supersedes] if isinstance(supersedes, int) else list(supersedes or [])
        for old_number in targets:
            old = self.get(old_number)
            changed.append(self._superseded(old, record))
            record.links.append(Link(_supersedes_label(dialect), old.number,  # type: ignore[arg-type]
                                     target_title=old.title, target_file=old.file))
        return self._save(changed, new=record, draft=draft)[0]

    def replace_record(self, record: Record, *, draft: bool = False) -> Record:
        """Rewrite record ``record.number`` (same file) with ``record``'s content.

        Refuses when the file changed on disk since the store read it.
        """
        old = self.get(record.number)  # type: ignore[arg-type]
        updated = replace(record, file=old.file, layout=dict(record.layout))
        updated.layout.setdefault("dialect", dialect_of(old))
        return self._save([updated], draft=updated if draft else None)[0]

    def find(self, title: str) -> Record | None:
        """The record whose title is ``title`` (plain text, as given to :meth:`new`)."""
        want = md(title)
        return next((r for r in self.all() if r.title == want), None)

    def ensure(self, title: str, **kwargs) -> Record:
        """Like :meth:`new`, but a rerun returns the record already there (no change)."""
        return self.find(title) or self.new(title, **kwargs)

    def set_status(self, number: int, status: str) -> Record:
        """Move a record through its lifecycle (proposed, accepted, rejected, …)."""
        rec = self.get(number)
        updated = replace(rec, status=_status_word(status, dialect_of(rec)),
                          layout={**rec.layout, "status_implicit": False})
        return self._save([updated])[0]

    def propose(self, number: int) -> Record:
        return self.set_status(number, "proposed")

    def accept(self, number: int) -> Record:
        return self.set_status(number, "accepted")

    def reject(self, number: int) -> Record:
        return self.set_status(number, "rejected")

    def deprecate(self, number: int) -> Record:
        return self.set_status(number, "deprecated")

    def supersede(self, old_number: int, new_number: int) -> tuple[Record, Record]:
        """Mark ``old_number`` superseded by ``new_number``; both files change together."""
        old, new = self.get(old_number), self.get(new_number)
        old2 = self._superseded(old, new)
        new2 = replace(new, links=[*new.links, Link(
            _supersedes_label(dialect_of(new)), old.number,  # type: ignore[arg-type]
            target_title=old.title, target_file=old.file)])
        saved = self._save([old2, new2])
        return saved[0], saved[1]

    def link(self, source: int, kind: str, target: int, reverse: str | None = None
             ) -> tuple[Record, Record]:
        """Link two records (``adr link 3 Amends 1 "Amended by"``), updating both files."""
        src, tgt = self.get(source), self.get(target)
        back = reverse or reverse_label(kind)
        src2 = replace(src, links=[*src.links, Link(kind, target, reverse=back,
                                                    target_title=tgt.title,
                                                    target_file=tgt.file)])
        tgt2 = replace(tgt, links=[*tgt.links, Link(back, source, reverse=kind,
                                                    target_title=src.title,
                                                    target_file=src.file)])
        saved = self._save([src2, tgt2])
        return saved[0], saved[1]

    def _superseded(self, old: Record, new: Record) -> Record:
        dialect = dialect_of(old)
        label = reverse_label(_supersedes_label(dialect))
        layout = dict(old.layout)
        if dialect == "nygard":
            status = "Superseded"
            layout["status_implicit"] = True  # adr-tools drops "Accepted", keeps the link
        else:
            status = f"superseded by ADR-{new.number:04d}"
        return replace(old, status=status, layout=layout, links=[*old.links, Link(
            label, new.number, target_title=new.title, target_file=new.file)])  # type: ignore[arg-type]

    def _save(self, records: list[Record], new: Record | None = None,
              draft: Record | bool | None = None) -> list[Record]:
        """Write ``records`` together; returns them as read back from what was written.

        ``draft`` (a record, or True for ``new``) gets the generated-draft fingerprint.
        """
        stamped = new if draft is True else draft or None
        writes: dict[Path, str] = {}
        expected: dict[Path, bytes | None] = {}
        for rec in records:
            path = self.path_of(rec)
            writes[path] = dumps(stamp(rec) if rec is stamped else rec)
            expected[path] = None if rec is new else self._read.get(path)
        commit_files(writes, expected)
        saved = []
        for rec in records:
            path = self.path_of(rec)
            self._read[path] = writes[path].encode("utf-8")
            again, _ = loads(writes[path], file=path.name)  # the store holds what is on disk
            if again.number is None or "number_from" in rec.layout:
                again.number = rec.number  # dated names: the number comes from the folder
                again.layout["number_from"] = "date order"
            self.records[again.number] = again  # type: ignore[index]
            saved.append(again)
        self._names = list(_record_files(self.folder).values())
        self._resolve_links()
        return saved


def _record_files(folder: Path) -> dict[Path, FileName]:
    """The record files of ``folder`` and their naming scheme (hidden files left out)."""
    try:
        paths = sorted(folder.glob("*.md")) if folder.is_dir() else []
    except OSError:
        return {}
    return {p: f for p in paths if not p.name.startswith(".")
            and (f := parse_file_name(p.name)) is not None and not p.is_dir()}


def _date_key(record: Record, name: FileName) -> str:
    """A dated record's place in time: its Date field when valid, else its file name's."""
    if record.date and len(record.date) == 10:
        try:
            return _dt.date.fromisoformat(record.date).isoformat()
        except ValueError:
            pass
    digits = f"{name.number:08d}"
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"


def _status_word(status: str, dialect: str) -> str:
    # adr-tools writes capitalised statuses ("Accepted"); MADR's template lowercase ones.
    status = status.strip()
    return status[:1].upper() + status[1:] if dialect == "nygard" else status


def _supersedes_label(dialect: str) -> str:
    return "Supercedes" if dialect == "nygard" else "Supersedes"


def _plain_title(title: str) -> str:
    """A Markdown title back to plain text (undoes :func:`md`) for file names."""
    text = re.sub(r"\\(.)", r"\1", title)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
