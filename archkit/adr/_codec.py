"""Reading and writing records: the part MADR and adr-tools (Nygard) share.

Usage::

    record, findings = read(text, file="0002-use-kafka.md")
    text = write(record, NYGARD)        # or MADR

A dialect (``Dialect``) only says where things go: the title form, where
metadata lives (YAML front matter or ``Date:`` lines), the section headings,
their default order, and where links are written. Each section body has one
codec (read + render); when a body does not re-render to the same text it is
kept verbatim as an extra section, with a finding, so nothing is ever lost.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from archkit.adr._markdown import Block, Doc, bullets, render_block, render_bullets, split, trim
from archkit.adr._naming import file_number, parse_file_name, parse_title
from archkit.adr.model import STATUSES, Argument, Link, Option, Record, Section
from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity

__all__ = ["Dialect", "MADR", "NYGARD", "read", "write", "detect"]


@dataclass(frozen=True)
class Dialect:
    """Where a dialect puts each part of a record."""

    name: str
    numbered_title: bool  # "# 3. Title" (adr-tools) or "# Title" (MADR)
    front_matter: bool  # YAML front matter (MADR 4) or "Key: value" lines under the title
    headings: dict[str, str]  # section key -> heading text
    order: tuple[str, ...]  # default section order
    always: tuple[str, ...]  # sections written even when empty
    links_in: str  # "status" or "links"
    nested_outcome: bool  # consequences / confirmation as ### under the outcome


MADR = Dialect(
    name="madr",
    numbered_title=False,
    front_matter=True,
    headings={
        "status": "Status",
        "context": "Context and Problem Statement",
        "drivers": "Decision Drivers",
        "options": "Considered Options",
        "outcome": "Decision Outcome",
        "consequences": "Consequences",
        "confirmation": "Confirmation",
        "pros": "Pros and Cons of the Options",
        "matrix": "Decision Matrix",
        "more": "More Information",
        "links": "Links",
    },
    order=("context", "drivers", "options", "outcome", "pros", "matrix", "more", "links"),
    always=("context", "options", "outcome"),
    links_in="links",
    nested_outcome=True,
)

NYGARD = Dialect(
    name="nygard",
    numbered_title=True,
    front_matter=False,
    headings={
        "status": "Status",
        "context": "Context",
        "drivers": "Decision Drivers",
        "options": "Considered Options",
        "outcome": "Decision",
        "consequences": "Consequences",
        "confirmation": "Confirmation",
        "pros": "Pros and Cons of the Options",
        "matrix": "Decision Matrix",
        "more": "More Information",
        "links": "Links",
    },
    order=(
        "status", "context", "drivers", "options", "outcome", "consequences",
        "confirmation", "pros", "matrix", "more",
    ),
    always=("status", "context", "outcome", "consequences"),
    links_in="status",
    nested_outcome=False,
)

DIALECTS = {"madr": MADR, "nygard": NYGARD, "adr-tools": NYGARD}

# Section headings any dialect may use, lowercased -> section key.
_KEYS = {
    "status": "status",
    "context and problem statement": "context",
    "context": "context",
    "decision drivers": "drivers",
    "considered options": "options",
    "decision outcome": "outcome",
    "decision": "outcome",
    "consequences": "consequences",
    "confirmation": "confirmation",
    "pros and cons of the options": "pros",
    "decision matrix": "matrix",
    "more information": "more",
    "links": "links",
}
_FREE_TEXT = ("context", "more", "confirmation")
_PORTABLE_LAYOUT = ("preamble", "status_implicit", "because_sep")

# Metadata keys (front matter or "Key: value" lines), lowercased -> record field.
_META = {
    "status": "status",
    "date": "date",
    "decision-makers": "deciders",
    "decision makers": "deciders",
    "deciders": "deciders",
    "consulted": "consulted",
    "informed": "informed",
    "tags": "tags",
}
_META_NAMES = {"status": "status", "date": "date", "deciders": "decision-makers",
               "consulted": "consulted", "informed": "informed", "tags": "tags"}
_LINE_NAMES = {"status": "Status", "date": "Date", "deciders": "Deciders",
               "consulted": "Consulted", "informed": "Informed", "tags": "Tags"}

# The regexes left are anchored, with bounded or non-overlapping repeats: linear in the
# line's length. Link lines and "Chosen option" are scanned by hand (see _link_parts).
_ARG = re.compile(r"^(Good|Neutral|Bad), because (.*)\Z", re.S)
_META_LINE = re.compile(r"^(?P<bullet>[*-] )?(?P<key>[A-Za-z][\w -]{0,30}?):[ \t]*(?P<value>.*)$")
_FM_KEY = re.compile(r"^(?P<key>[A-Za-z][\w-]*)[ \t]*:(?P<value>.*)$")
_HTML_TAG = re.compile(
    r"<(?=/?(?:a|b|i|u|s|em|strong|script|style|iframe|img|svg|object|embed|form|input|div|"
    r"span|p|br|hr|table|tr|td|th|body|html|head|meta|link|base|video|audio|source|button|"
    r"textarea|select|option|details|summary|math|frame|frameset|marquee|code|pre|h[1-6])\b)",
    re.I,
)


def detect(text: str) -> Dialect:
    """The dialect a file is written in (front matter or MADR headings -> MADR)."""
    return _detect(split(text), text)


def _detect(doc: Doc, text: str) -> Dialect:
    if doc.front_matter is not None:
        return MADR
    keys = {_KEYS.get(_heading_key(b.heading)) for b in doc.blocks}
    title = next((b for b in doc.blocks if b.level == 1), None)
    if "status" in keys and title and parse_title(title.heading).number is not None:
        return NYGARD
    if {"options", "drivers", "pros"} & keys or "Context and Problem Statement" in text:
        return MADR
    return NYGARD if "status" in keys else MADR


# ---------------------------------------------------------------- reading


def read(text: str, file: str | None = None, dialect: Dialect | None = None
         ) -> tuple[Record, Findings]:
    """Parse one record; returns it with the findings about what was kept verbatim."""
    doc = split(text)
    reader = _Reader(doc, file, dialect or _detect(doc, text))
    return reader.record, reader.findings


class _Reader:
    def __init__(self, doc: Doc, file: str | None, dialect: Dialect):
        self.file = file
        self.findings = Findings()
        rec = Record(number=None, title="", status="", file=file)
        self.record = rec
        lay = rec.layout
        lay["dialect"] = dialect.name
        lay["ws"] = {}
        if file:
            rec.number = file_number(file)
        if doc.front_matter is not None:
            self._front_matter(doc.front_matter)
        blocks = doc.blocks
        lay["head"] = doc.head
        if not blocks or blocks[0].level != 1:
            raise ArchkitError(
                "no title: an ADR starts with a '# Title' line",
                where=Where(file, doc.front_matter_line + 1 if blocks else 1, 1),
                hint="add a first-level heading such as '# 1. Use PostgreSQL'",
            )
        title = blocks[0]
        form = parse_title(title.heading)
        lay["numbered_title"] = form.dotted
        if form.prefix and not form.dotted:
            lay["title_prefix"] = form.prefix  # "ADR-001: ", written back as it was
        if form.number is not None:
            if rec.number is None:
                rec.number = form.number
            elif form.number != rec.number:
                lay["title_number"] = form.number
        rec.title = form.text
        preamble, lead, trail = trim(title.raw)
        lay["ws"]["title"] = (lead, trail)
        self._preamble(preamble, title.line + 1 + lead)
        self._sections(blocks[1:])
        if not rec.status and any(lk.relation == "superseded-by" for lk in rec.links):
            rec.status = "Superseded"
            lay["status_implicit"] = True
        if rec.status and rec.status_kind not in STATUSES:
            self.findings.append(Finding(
                "ADR002", Severity.WARNING,
                f"status '{rec.status}' is not in the vocabulary (kept as written)",
                object=rec.id, file=file, fix="use one of: " + ", ".join(STATUSES)))

    # -- metadata
    def _front_matter(self, lines: list[str]) -> None:
        entries: list[tuple[str | None, list[str]]] = []
        for line in lines:
            m = _FM_KEY.match(line)
            if m:
                entries.append((m.group("key"), [line]))
            elif entries and entries[-1][0] and (line.startswith((" ", "\t", "-")) or not line):
                entries[-1][1].append(line)
            else:
                entries.append((None, [line]))
        raw: list[tuple[str | None, list[str]]] = []
        for key, group in entries:
            raw.append((key, group))
            if key is not None:
                self._set_meta(key, _fm_value(group))
        self.record.layout["front_matter"] = raw

    def _set_meta(self, key: str, value: str | list[str]) -> None:
        rec = self.record
        name = _META.get(key.lower())
        if name in ("deciders", "consulted", "informed", "tags"):
            setattr(rec, name, _as_list(value))
        elif name == "status":
            text = value if isinstance(value, str) else ", ".join(value)
            link = _parse_link(text.strip())
            if link is not None and link.relation == "superseded-by" and not rec.status:
                # log4brains: "superseded by [20201016-x](20201016-x.md)" is a status and a link
                rec.status = "Superseded"
                rec.links.append(link)
                rec.layout.update(status_raw=text, status_read=rec.status,
                                  status_links=[[link.kind, link.target_file]])
            else:
                rec.status = text
        elif name == "date":
            setattr(rec, name, value if isinstance(value, str) else ", ".join(value))
        else:
            rec.metadata[key] = value if isinstance(value, str) else ", ".join(value)

    def _preamble(self, content: str, line: int) -> None:
        """``Date: …`` / ``* Status: …`` lines under the title; other text kept verbatim.

        ``line`` is the line number where ``content`` starts.
        """
        first, _, rest = content.partition("\n\n")
        lines = first.split("\n") if first else []
        parsed = [_META_LINE.match(ln) for ln in lines]
        style = {m.group("bullet") for m in parsed if m}
        if lines and all(parsed) and len(style) == 1:
            self.record.layout["meta_lines"] = {"bullet": style.pop() or "", "raw": lines}
            for m in parsed:
                self._set_meta(m.group("key"), m.group("value").strip())  # type: ignore[union-attr]
        else:
            rest = content
        if rest:
            self.record.layout["preamble"] = rest
            self.findings.append(Finding(
                "ADR010", Severity.INFO, "text under the title kept verbatim",
                object=self.record.title,
                line=line + (len(lines) + 1 if rest != content else 0),
                file=self.file, fix="move it into a section such as 'Context'",
            ))

    # -- sections
    def _sections(self, blocks: list[Block]) -> None:
        rec, lay = self.record, self.record.layout
        order: list[list[str]] = []
        seen: set[str] = set()
        i = 0
        while i < len(blocks):
            top = blocks[i]
            j = i + 1
            while j < len(blocks) and blocks[j].level > max(top.level, 2):
                j += 1
            children = blocks[i + 1:j]
            key = _KEYS.get(_heading_key(top.heading)) if top.level == 2 else None
            if key in seen:
                key = None  # a second "## Context": keep it as it is
            handled = key is not None and self._known(key, top, children)
            if handled:
                seen.add(key)  # type: ignore[arg-type]
                order.append([key, top.heading])
            else:
                sec_key = f"x{len(rec.extra_sections)}"
                body = top.raw + "".join(_block_text(b) for b in children)
                content, lead, trail = trim(body)
                rec.extra_sections.append(Section(top.heading, content, top.level))
                lay["ws"][sec_key] = (lead, trail)
                order.append([sec_key, top.heading])
                if key is not None:
                    self.findings.append(Finding(
                        "ADR010", Severity.INFO,
                        f"section '{top.heading}' kept verbatim (not in the expected shape)",
                        object=rec.title, line=top.line, file=self.file,
                        fix="follow the template's list / 'Chosen option' form",
                    ))
            i = j
        lay["order"] = order

    def _known(self, key: str, top: Block, children: list[Block]) -> bool:
        rec, ws = self.record, self.record.layout["ws"]
        if key in _FREE_TEXT or (key == "consequences" and not children):
            body = top.raw + "".join(_block_text(b) for b in children)
            content, lead, trail = trim(body)
            if key == "consequences":
                rec.consequences, rec.consequences_text = _read_consequences(content)
            else:
                setattr(rec, {"more": "more_information"}.get(key, key), content)
            ws[key] = (lead, trail)
            return True
        content, lead, trail = trim(top.raw)
        if key == "outcome":
            return self._outcome(top, children, content, lead, trail)
        if key == "pros":
            return self._pros(children, content, lead, trail)
        if children:
            return False
        if key in ("drivers", "options", "links") and not content:
            pass  # an empty list section: nothing to read, the section is kept
        elif key in ("drivers", "options"):
            got = bullets(content)
            if got is None:
                return False
            marker, items = got
            if key == "drivers":
                rec.drivers = items
            else:
                rec.options = [Option(item) for item in items]
            rec.layout[f"{key}_bullet"] = marker
        elif key == "status":
            if not self._status(content):
                return False
        elif key == "links":
            got = bullets(content)
            links = [_parse_link(item) for item in (got[1] if got else [])]
            if got is None or None in links:
                return False
            rec.links.extend(lk for lk in links if lk is not None)
            rec.layout["links_bullet"] = got[0]
            rec.layout["links_in"] = "links"
        elif key == "matrix":
            fenced = content.startswith("```json\n") and content.endswith("\n```")
            try:
                data = json.loads(content[8:-4]) if fenced and len(content) >= 12 else None
            except (ValueError, RecursionError):
                data = None
            if not isinstance(data, dict) or _render_matrix(data) != content:
                return False
            rec.matrix = data
        ws[key] = (lead, trail)
        return True

    def _status(self, content: str) -> bool:
        rec = self.record
        paras = content.split("\n\n") if content else []
        status_seen = False
        links: list[Link] = []
        for para in paras:
            link = _parse_link(para.strip())
            if link is not None and "\n" not in para.strip():
                links.append(link)
            elif not status_seen:
                rec.status = para
                status_seen = True
            else:
                rec.status_notes.append(para)
        rec.links.extend(links)
        rec.layout["links_in"] = "status"
        rec.layout["status_implicit"] = not status_seen
        if status_seen and rec.status_kind != "superseded" and any(
                lk.relation == "superseded-by" for lk in links):
            # "Accepted" left above "Superseded by [5. …](…)": the record is superseded;
            # the old word stays in the file as a note, exactly where it was.
            rec.status_notes.insert(0, rec.status)
            rec.layout.update(status_implicit=True, status_demoted=rec.status)
            rec.status = "Superseded"
        return True

    def _outcome(self, top: Block, children: list[Block], content: str,
                 lead: int, trail: int) -> bool:
        rec, lay = self.record, self.record.layout
        m = _find_chosen(content)
        if m:
            start, rec.chosen, sep, end = m
            rec.decision = content[:start]
            rec.justification = content[end:]
            lay["because_sep"] = sep
        else:
            rec.decision = content
        lay["ws"]["outcome"] = (lead, trail)
        sub: list[str] = []
        for child in children:
            name = child.heading.strip().lower()
            c_content, c_lead, c_trail = trim(child.raw)
            if child.level == 3 and name == "consequences" and "consequences" not in sub:
                rec.consequences, rec.consequences_text = _read_consequences(c_content)
                sub.append("consequences")
            elif child.level == 3 and name == "confirmation" and "confirmation" not in sub:
                rec.confirmation = c_content
                sub.append("confirmation")
            else:
                sub.append(f"x{len(rec.extra_sections)}")
                rec.extra_sections.append(Section(child.heading, c_content, child.level))
            lay["ws"][sub[-1]] = (c_lead, c_trail)
        lay["outcome_order"] = sub
        return True

    def _pros(self, children: list[Block], content: str, lead: int, trail: int) -> bool:
        rec, lay = self.record, self.record.layout
        if content or not children or children[0].level != 3:
            return False
        groups: list[tuple[Block, str]] = []
        for child in children:
            if child.level == 3:
                groups.append((child, child.raw))
            else:  # deeper headings belong to the option above them
                groups[-1] = (groups[-1][0], groups[-1][1] + _block_text(child))
        order: list[int] = []
        seen: set[int] = set()
        for child, raw in groups:
            body, c_lead, c_trail = trim(raw)
            opt = _match_option([o for o in rec.options if id(o) not in seen], child.heading)
            if opt is None:
                opt = Option(child.heading, listed=False)
                rec.options.append(opt)
            elif opt.title != child.heading:
                opt.heading = child.heading
            seen.add(id(opt))
            opt.description, opt.arguments, marker = _read_arguments(body)
            if not (opt.description or opt.arguments):
                opt.detailed = True  # an empty "### Option" heading, kept as written
            idx = rec.options.index(opt)
            order.append(idx)
            lay["ws"][f"pros/{idx}"] = (c_lead, c_trail)
            if marker:
                lay["args_bullet"] = marker
        lay["ws"]["pros"] = (lead, trail)
        lay["pros_order"] = order
        return True


def _heading_key(heading: str) -> str:
    """A heading as a section name: ``"Links <!-- optional -->"`` -> ``"links"``
    (MADR 2 and log4brains templates leave such comments in the headings)."""
    text = heading.strip()
    if text.endswith("-->"):
        start = text.rfind("<!--")
        if start >= 0:
            text = text[:start].rstrip()
    return text.lower()


def _block_text(block: Block) -> str:
    return "#" * block.level + " " + block.heading + "\n" + block.raw


def _fm_value(group: list[str]) -> str | list[str]:
    first = _FM_KEY.match(group[0])
    value = first.group("value").strip() if first else ""
    rest = [ln.strip() for ln in group[1:] if ln.strip()]
    if not value and rest and all(r.startswith("- ") for r in rest):
        return [_unquote(r[2:].strip()) for r in rest]
    if value.startswith("[") and value.endswith("]"):
        items = _yaml_value(value)  # a quoted item may hold a comma
        if isinstance(items, list) and all(isinstance(v, str) for v in items):
            return items
        return [_unquote(v.strip()) for v in value[1:-1].split(",") if v.strip()]
    if value.startswith("{") and value.endswith("}"):
        return value
    return _unquote(value)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        text = _yaml_value(value)  # escapes (\", \n, \N ...) read as YAML reads them
        return text if isinstance(text, str) else value[1:-1]
    return value


def _yaml_value(text: str) -> object:
    """One flow scalar or list as YAML reads it; None when it is not valid YAML."""
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def _as_list(value: str | list[str]) -> list[str]:
    if isinstance(value, list):
        return value
    return [v.strip() for v in value.split(",") if v.strip()]


def _find_chosen(content: str) -> tuple[int, str, str, int] | None:
    """``Chosen option: "X", because`` at the start of a paragraph.

    Returns (where the paragraph break before it starts, X, the blanks after
    "because", where the justification starts), or None. One pass over ``content``.
    """
    mark, because = 'Chosen option: "', '", because'
    pos = 0
    while (i := content.find(mark, pos)) >= 0:
        if i == 0 or (i >= 2 and content[i - 2:i] == "\n\n"):
            j = content.find(because, i + len(mark) + 1)
            if j < 0:
                return None  # no later '", because' can close any other mark either
            end = j + len(because)
            k = end
            while k < len(content) and content[k] in " \n":
                k += 1
            return max(i - 2, 0), content[i + len(mark):j], content[end:k], k
        pos = i + 1
    return None


def _link_parts(text: str) -> tuple[str, str, str] | None:
    """``Kind words [label](file)`` -> (kind, label, file), else None. One pass."""
    text = text.rstrip()
    open_ = text.find("[")
    if open_ < 2 or not text.endswith(")"):
        return None
    kind = text[:open_].rstrip()
    if len(kind) == open_ or not kind[:1].isascii() or not kind[:1].isalpha():
        return None
    if any(not (c == " " or c == "-" or (c.isascii() and c.isalpha())) for c in kind):
        return None
    close = _link_text_end(text, open_)
    if close <= open_ + 1 or text[close + 1:close + 2] != "(":
        return None
    target = text[close + 2:-1]
    if not target or any(c == ")" or c.isspace() for c in target):
        return None
    return kind, text[open_ + 1:close], target


def _link_text_end(text: str, open_: int) -> int:
    """Index of the ``]`` closing the link text at ``open_`` (escapes skipped, brackets
    balanced, as CommonMark reads a title such as ``x \\]\\]&gt; y``); -1 when none."""
    depth, i = 0, open_ + 1
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return -1


def _parse_link(text: str) -> Link | None:
    parts = _link_parts(text)
    if parts is None:
        return None
    kind, label, target_file = parts
    form = parse_title(label)
    if form.dotted:
        return Link(kind, form.number, target_title=form.text,  # type: ignore[arg-type]
                    target_file=target_file)
    named = parse_file_name(target_file.rsplit("/", 1)[-1].split("#", 1)[0])
    digits = re.search(r"\d+", label)
    if named or digits:
        number = named.number if named else int(digits.group(0))  # type: ignore[union-attr]
        return Link(kind, number, target_title=None, target_file=target_file, reverse=None,
                    label=label)
    return None


def _read_consequences(content: str) -> tuple[list[Argument], str]:
    got = bullets(content)
    if got:
        args = [_argument(item) for item in got[1]]
        if all(a.verdict for a in args) and _render_args(args, got[0]) == content:
            return args, ""
    return [], content


def _read_arguments(body: str) -> tuple[str, list[Argument], str]:
    """An option's details -> (description, arguments, list marker)."""
    paras = body.split("\n\n")
    got = bullets(paras[-1]) if paras else None
    if got:
        args = [_argument(item) for item in got[1]]
        if all(a.verdict for a in args) and _render_args(args, got[0]) == paras[-1]:
            return "\n\n".join(paras[:-1]), args, got[0]
    return body, [], ""


def _argument(item: str) -> Argument:
    m = _ARG.match(item)
    return Argument(m.group(1), m.group(2)) if m else Argument("", item)


def _match_option(options: list[Option], heading: str) -> Option | None:
    from archkit.adr.model import _plain

    want = _plain(heading)
    for opt in options:
        if _plain(opt.title) == want:
            return opt
    for opt in options:
        plain = _plain(opt.title)
        if want and (plain.startswith(want) or want.startswith(plain)):
            return opt
    return None


# ---------------------------------------------------------------- writing


def write(record: Record, dialect: Dialect | str) -> str:
    """Render a record in ``dialect`` ('madr' or 'nygard'); deterministic."""
    if isinstance(dialect, str):
        try:
            dialect = DIALECTS[dialect]
        except KeyError:
            raise ArchkitError(
                f"unknown ADR dialect '{dialect}'", hint="use 'madr' or 'nygard'"
            ) from None
    return _Writer(record, dialect).text


class _Writer:
    def __init__(self, record: Record, dialect: Dialect):
        self.rec = record
        self.d = dialect
        same = record.layout.get("dialect") == dialect.name
        # Formatting memory only applies to the dialect it was read in; what carries
        # meaning (text under the title, an implied status) goes across dialects.
        self.lay = record.layout if same else {
            k: v for k, v in record.layout.items() if k in _PORTABLE_LAYOUT
        }
        self.ws: dict = self.lay.get("ws", {})
        # A status read as "superseded by [x](y)" is written back as it was while the
        # status and that link are unchanged; the link is then not written again.
        read_links = self.lay.get("status_links", [])
        self.status_raw: str | None = None
        self.links = record.links
        if read_links and record.status == self.lay.get("status_read") and [
            [lk.kind, lk.target_file] for lk in record.links[: len(read_links)]
        ] == read_links:
            self.status_raw = self.lay["status_raw"]
            self.links = record.links[len(read_links):]
        self._order_cache: list[tuple[str, str]] | None = None
        parts: list[str] = []
        if dialect.front_matter:
            parts.append(self._front_matter())
        parts.append(self.lay.get("head", ""))
        parts.append(self._title())
        for key, heading in self._order():
            parts.append(self._section(key, heading))
        text = "".join(parts)
        if not text.endswith("\n"):
            text += "\n"
        self.text = text

    # -- head
    def _meta_values(self) -> list[tuple[str, str | list[str]]]:
        rec = self.rec
        values: list[tuple[str, str | list[str]]] = []
        in_lines = not self.d.front_matter
        if rec.status and not (in_lines and self._status_in_section()):
            values.append(("status", self.status_raw or rec.status))
        if rec.date:
            values.append(("date", rec.date))
        for name in ("deciders", "consulted", "informed", "tags"):
            if getattr(rec, name):
                values.append((name, getattr(rec, name)))
        values.extend(rec.metadata.items())
        return values

    def _status_in_section(self) -> bool:
        return "status" in self.d.order

    def _front_matter(self) -> str:
        values = dict(self._meta_values())
        raw = self.lay.get("front_matter")
        if raw is None and (not values or "meta_lines" in self.lay):
            return ""  # nothing to say, or said as "* Status: …" lines under the title
        lines: list[str] = []
        done: set[str] = set()
        for key, group in raw or []:
            if key is None:
                lines.extend(group)
                continue
            field_name = _META.get(key.lower(), key)
            done.add(field_name)
            if field_name not in values:
                continue
            current = values[field_name]
            old = _fm_value(group)
            if old == current or (isinstance(current, list) and _as_list(old) == current):
                lines.extend(group)
            else:
                lines.append(f"{key}: {_fm_scalar(field_name, current)}")
        for name, value in values.items():
            if name not in done:
                lines.append(f"{_META_NAMES.get(name, name)}: {_fm_scalar(name, value)}")
        return "---\n" + "".join(ln + "\n" for ln in lines) + "---\n"

    def _title(self) -> str:
        rec = self.rec
        numbered = self.lay.get("numbered_title", self.d.numbered_title)
        number = self.lay.get("title_number", rec.number)
        title = _inert(" ".join(rec.title.split()))  # a title is one line
        if "title_prefix" in self.lay:
            heading = f"# {self.lay['title_prefix']}{title}"
        elif numbered and number is not None:
            heading = f"# {number}. {title}"
        else:
            heading = f"# {title}"
        content = self._preamble()
        lead, trail = self.ws.get("title", (1, 1))
        return render_block(heading, content, lead, trail if self._order() else 0)

    def _preamble(self) -> str:
        parts = [self._meta_lines(), self.lay.get("preamble", "")]
        return "\n\n".join(p for p in parts if p)

    def _meta_lines(self) -> str:
        if self.d.front_matter and "meta_lines" not in self.lay:
            return ""
        meta = self.lay.get("meta_lines")
        values = self._meta_values()
        if meta:
            lines = list(meta["raw"])
            parsed = {}
            for ln in lines:
                m = _META_LINE.match(ln)
                if m:
                    parsed[_META.get(m.group("key").lower(), m.group("key"))] = m.group("value")
            current = {k: (", ".join(v) if isinstance(v, list) else v) for k, v in values}
            if {k: v.strip() for k, v in parsed.items()} == current:
                return "\n".join(lines)
            bullet = meta["bullet"]
        else:
            bullet = ""
        return "\n".join(
            f"{bullet}{_LINE_NAMES.get(k, k)}: {', '.join(v) if isinstance(v, list) else v}"
            for k, v in values
        )

    # -- sections
    def _order(self) -> list[tuple[str, str]]:
        if self._order_cache is None:  # asked once per section: compute it once
            self._order_cache = self._compute_order()
        return self._order_cache

    def _compute_order(self) -> list[tuple[str, str]]:
        if "order" in self.lay:
            order = [(k, h) for k, h in self.lay["order"]]
            present = {k for k, _ in order}
            for key in self.d.order:  # fields filled in since the file was read
                if key not in present and self._has(key):
                    order.append((key, self.d.headings[key]))
            return order
        rec = self.rec
        order = [
            (key, self.d.headings[key])
            for key in self.d.order
            if key in self.d.always or self._has(key)
        ]
        order.extend(
            (f"x{i}", sec.heading)
            for i, sec in enumerate(rec.extra_sections)
            if sec.level <= 2 or not self.d.nested_outcome
        )
        return order

    def _has(self, key: str) -> bool:
        rec = self.rec
        links_in = self.lay.get("links_in", self.d.links_in)
        return bool({
            "status": rec.status or self.links,
            "context": rec.context,
            "drivers": rec.drivers,
            "options": any(o.listed for o in rec.options),
            "outcome": rec.chosen or rec.decision,
            "consequences": (rec.consequences or rec.consequences_text)
            and not self.d.nested_outcome,
            "confirmation": rec.confirmation and not self.d.nested_outcome,
            "pros": any(o.has_details() for o in rec.options),
            "matrix": rec.matrix,
            "more": rec.more_information,
            "links": self.links and links_in == "links",
        }.get(key))

    def _last(self, key: str) -> bool:
        order = self._order()
        return bool(order) and order[-1][0] == key

    def _section(self, key: str, heading: str) -> str:
        rec = self.rec
        lead, trail = self.ws.get(key, (1, 0 if self._last(key) else 1))
        line = "## " + heading
        if key.startswith("x"):
            sec = rec.extra_sections[int(key[1:])]
            return render_block("#" * sec.level + " " + sec.heading, sec.body, lead, trail)
        if key == "outcome":
            return self._outcome(line, lead, trail)
        if key == "pros":
            return self._pros(line, lead, trail)
        content = {
            "status": self._status_body,
            "context": lambda: rec.context,
            "drivers": lambda: render_bullets(rec.drivers, self.lay.get("drivers_bullet", "*")),
            "options": lambda: render_bullets(
                [o.title for o in rec.options if o.listed], self.lay.get("options_bullet", "*")
            ),
            "consequences": self._consequences,
            "confirmation": lambda: rec.confirmation,
            "matrix": lambda: _render_matrix(rec.matrix or {}),
            "more": lambda: rec.more_information,
            "links": lambda: render_bullets(
                [_render_link(lk) for lk in self.links], self.lay.get("links_bullet", "*")
            ),
        }[key]()
        return render_block(line, _inert(content), lead, trail)

    def _status_body(self) -> str:
        rec = self.rec
        implicit = self.lay.get(
            "status_implicit", rec.status_kind == "superseded" and bool(rec.superseded_by)
        )
        paras = [] if implicit or not rec.status else [rec.status]
        notes = rec.status_notes
        if not implicit and notes[:1] == [self.lay.get("status_demoted")]:
            notes = notes[1:]  # a new status replaces the one a supersede left as a note
        paras.extend(notes)
        if self.lay.get("links_in", self.d.links_in) == "status":
            paras.extend(_render_link(lk) for lk in self.links)
        return "\n\n".join(paras)

    def _consequences(self) -> str:
        rec = self.rec
        if rec.consequences_text:
            return rec.consequences_text
        return _render_args(rec.consequences, self.lay.get("args_bullet", "*"))

    def _outcome(self, line: str, lead: int, trail: int) -> str:
        rec, lay = self.rec, self.lay
        parts = [rec.decision] if rec.decision else []
        if rec.chosen:
            sep = lay.get("because_sep")
            if sep is None:
                sep = "\n\n" if rec.justification.startswith(("* ", "- ")) else " "
            chosen = f'Chosen option: "{rec.chosen}", because{sep}{rec.justification}'
            parts.append(chosen)
        content = "".join(parts) if "because_sep" in lay else "\n\n".join(parts)
        if not self.d.nested_outcome:
            return render_block(line, _inert(content), lead, trail)
        subs = lay.get("outcome_order")
        if subs is None:
            subs = [k for k, v in (("consequences", rec.consequences or rec.consequences_text),
                                   ("confirmation", rec.confirmation)) if v]
            subs += [f"x{i}" for i, s in enumerate(rec.extra_sections) if s.level > 2]
        if not subs:
            return render_block(line, _inert(content), lead, trail)
        out = [render_block(line, _inert(content), lead, 1)]
        for n, sub in enumerate(subs):
            last = n == len(subs) - 1
            s_lead, s_trail = self.ws.get(sub, (1, trail if last else 1))
            if sub.startswith("x"):
                sec = rec.extra_sections[int(sub[1:])]
                out.append(render_block("#" * sec.level + " " + sec.heading, _inert(sec.body),
                                        s_lead, s_trail))
            else:
                body = self._consequences() if sub == "consequences" else rec.confirmation
                out.append(render_block("### " + sub.capitalize(), _inert(body), s_lead, s_trail))
        return "".join(out)

    def _pros(self, line: str, lead: int, trail: int) -> str:
        rec = self.rec
        order = self.lay.get("pros_order")
        if order is None:
            order = [i for i, o in enumerate(rec.options) if o.has_details()]
        out = [render_block(line, "", lead, 0)]
        for n, idx in enumerate(order):
            opt = rec.options[idx]
            last = n == len(order) - 1
            o_lead, o_trail = self.ws.get(f"pros/{idx}", (1, trail if last else 1))
            args = _render_args(opt.arguments, self.lay.get("args_bullet", "*"))
            body = "\n\n".join(p for p in (opt.description, args) if p)
            heading = "### " + _inert(opt.heading or opt.title)
            out.append(render_block(heading, _inert(body), o_lead, o_trail))
        return "".join(out)


def _render_args(args: list[Argument], marker: str = "*") -> str:
    return render_bullets(
        [f"{a.verdict}, because {a.text}" if a.verdict else a.text for a in args], marker
    )


def _render_link(link: Link) -> str:
    if link.target_title is not None:
        label = f"{link.target}. {link.target_title}"
    elif link.label:
        label = link.label
    else:
        label = f"ADR-{link.target:04d}"
    target_file = link.target_file or f"{link.target:04d}.md"
    return f"{link.kind} [{label}]({target_file})"


def _render_matrix(matrix: dict) -> str:
    return "```json\n" + json.dumps(matrix, indent=2, sort_keys=True, ensure_ascii=False) + "\n```"


def _fm_scalar(name: str, value: str | list[str]) -> str:
    # MADR's template writes people as one comma-separated string; tags as a YAML list.
    if isinstance(value, list) and name in ("deciders", "consulted", "informed"):
        return _yaml_scalar(", ".join(value))
    return _yaml_scalar(value)


def _yaml_scalar(value: str | list[str]) -> str:
    if isinstance(value, list):
        # in a flow list a plain item ends at , [ ] { }
        return "[" + ", ".join(_yaml_quoted(v) if re.search(r"[,\[\]{}]", v)
                               else _yaml_scalar(v) for v in value) + "]"
    if value == "" or _NEEDS_QUOTES.search(value) or value.lower() in _YAML_WORDS:
        return _yaml_quoted(value)
    return value


# A plain front-matter value may not start with YAML syntax, hold ": " or " #", end in a
# space, or hold a line break or a character YAML refuses or folds (they would break out
# of the value: "x\nstatus: accepted").
_NEEDS_QUOTES = re.compile(r"(^[\s\[\]{}&*#?|<>=!%@`\"',-])|(: )|( #)|(\s$)"
                           r"|[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_YAML_WORDS = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"}


def _yaml_quoted(value: str) -> str:
    """A double-quoted YAML scalar on one line that reads back exactly."""
    import yaml

    return yaml.safe_dump(value, default_style='"', width=float("inf"),
                          allow_unicode=True).rstrip("\n")


def _inert(text: str) -> str:
    """Escape HTML tags (outside code) so a field cannot inject markup into the page."""
    if "<" not in text:
        return text
    out: list[str] = []
    fence = False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
            out.append(line)
            continue
        if fence:
            out.append(line)
            continue
        pieces = line.split("`")
        for k in range(0, len(pieces), 2):  # even pieces are outside inline code
            pieces[k] = _HTML_TAG.sub("&lt;", pieces[k])
        out.append("`".join(pieces))
    return "\n".join(out)
