"""Read Structurizr DSL into a Workspace, with findings for what was skipped.

Usage::

    from archkit.c4.dsl_reader import read_dsl, parse_dsl
    ws, findings = read_dsl("big-bank-plc.dsl")
    ws, findings = parse_dsl('workspace { model { u = person "User" } }')

Errors (unbalanced braces, unknown keywords, unknown identifiers, what Structurizr itself
rejects, empty or binary input, include cycles) raise ArchkitError with file, line and
column. What archkit reads but does not model (``!script``, ``!plugin``, remote
``!include``, custom elements, filtered and image views, ...) becomes a located finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from archkit.c4.dsl_lexer import ARROW, Statement, Token, lex
from archkit.c4.dsl_sources import (
    MAX_FILE_BYTES,
    MAX_INCLUDE_DEPTH,
    MAX_INCLUDED_FILES,
    URL,
    SourcesReader,
    read_text,
)
from archkit.c4.dsl_views import SKIPPED_BLOCKS, SkippedReference, ViewsReader
from archkit.c4.model import (
    Component,
    Container,
    ContainerInstance,
    DeploymentEnvironment,
    DeploymentNode,
    Element,
    InfrastructureNode,
    Person,
    Relationship,
    SoftwareSystem,
    SoftwareSystemInstance,
)
from archkit.c4.workspace import Workspace
from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity

__all__ = ["read_dsl", "parse_dsl", "MAX_INCLUDE_DEPTH", "MAX_INCLUDED_FILES", "MAX_FILE_BYTES"]

ELEMENT_CLASSES = {
    "person": Person,
    "softwaresystem": SoftwareSystem,
    "container": Container,
    "component": Component,
}
# Positional arguments after the name, per element keyword.
ELEMENT_ARGS = {
    "person": ("description", "tags"),
    "softwaresystem": ("description", "tags"),
    "container": ("description", "technology", "tags"),
    "component": ("description", "technology", "tags"),
    "deploymentnode": ("description", "technology", "tags", "instances"),
    "infrastructurenode": ("description", "technology", "tags"),
}
ALLOWED_CHILDREN = {
    None: {"person", "softwaresystem"},
    "softwareSystem": {"container"},
    "container": {"component"},
}
ARCHETYPE_BASES = {"person", "softwaresystem", "container", "component", "deploymentnode",
                   "infrastructurenode", "group", "->", "element"}
NOTED_DIRECTIVES = {"!script", "!plugin", "!extend", "!ref", "!components", "!documentation"}
_VAR = re.compile(r"\$\{([A-Za-z0-9_.-]+)\}")
_IDENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


def read_dsl(path: str | Path, encoding: str | None = None) -> tuple[Workspace, Findings]:
    """Read a ``.dsl`` file; returns the workspace and the findings of the read.

    ``encoding`` is the file's character set (Structurizr's ``setCharacterEncoding``);
    without it UTF-8 is expected and other text is read as ISO-8859-1 with a finding.
    """
    path = Path(path)
    findings = Findings()
    text = read_text(path, encoding, findings, None)
    ws, more = parse_dsl(text, file=str(path), base_dir=path.parent, encoding=encoding)
    findings.extend(more)
    return ws, findings.sorted()


def parse_dsl(text: str, file: str | None = None, base_dir: Path | None = None,
              encoding: str | None = None) -> tuple[Workspace, Findings]:
    """Parse DSL text; ``file`` names it in errors, ``base_dir`` resolves ``!include``."""
    if not text.strip():
        raise ArchkitError("the workspace file is empty", where=Where(file, 1, 1),
                           hint="start with: workspace { model { ... } views { ... } }")
    parser = _Parser(lex(text, file), file, base_dir or Path.cwd(), encoding=encoding)
    parser.parse()
    parser.ws.source = file
    return parser.ws, parser.findings.sorted()


@dataclass
class _Archetype:
    """A named kind from an ``archetypes { }`` block, with the defaults it gives."""

    base: str  # a built-in keyword (lower case): container, group, ->, ...
    description: str = ""
    technology: str = ""
    tags: list[str] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    perspectives: dict[str, str] = field(default_factory=dict)


class _Parser(SourcesReader, ViewsReader):
    def __init__(self, statements: list[Statement], file: str | None, base_dir: Path,
                 encoding: str | None = None, chain: tuple[str, ...] = (),
                 budget: list[int] | None = None):
        self.stmts = statements
        self.pos = 0
        self.file = file
        self.cur_file = file
        self.base_dir = base_dir
        self.encoding = encoding
        self.chain = chain
        self.budget = budget if budget is not None else [MAX_INCLUDED_FILES]
        self.ws = Workspace()
        self.findings = Findings()
        self.constants: dict[str, str] = {}
        self.fixed: set[str] = set()  # names set with !const (cannot change)
        self.reserved = {s.tokens[0].text for s in statements
                         if len(s.tokens) > 2 and s.tokens[1].text == "="
                         and not s.tokens[0].quoted}
        self.rel_count = 0
        self.group_ids: dict[str, str] = {}  # deployment groups by identifier
        self.model_groups: dict[str, str] = {}  # model groups by identifier
        self.env_ids: dict[str, str] = {}
        self.archetypes: dict[str, _Archetype] = {}
        self.defaults: dict[str, _Archetype] = {}  # archetypes { container { ... } }
        self.skipped: set[str] = set()  # identifiers of things archkit does not model
        self.lenient = False  # the base workspace was not loaded: unknown ids are findings
        self.implied: set[tuple[str, str, str]] = set()
        self.linked: set[tuple[str, str]] = set()
        self.explicit: set[tuple[str, str, str]] = set()
        self.seen: set[str] = set()

    # -- plumbing ---------------------------------------------------------
    def error(self, message: str, tok: Token | Statement, hint: str) -> ArchkitError:
        file = tok.file if isinstance(tok, Statement) and tok.file else self.cur_file
        return ArchkitError(message, where=Where(file, tok.line, tok.col), hint=hint)

    def note(self, code: str, severity: Severity, message: str, stmt: Statement, fix: str,
             obj: str | None = None) -> None:
        self.findings.append(Finding(code, severity, message, object=obj, line=stmt.line,
                                     fix=fix, file=stmt.file or self.file, col=stmt.col))

    def next_stmt(self) -> Statement | None:
        if self.pos >= len(self.stmts):
            return None
        stmt = self.stmts[self.pos]
        self.pos += 1
        self.cur_file = stmt.file or self.file
        return stmt

    def block(self, opener: Statement, allow_bare: bool = False):
        """Yield the statements of the block ``opener`` opened, up to its ``}``.

        A ``{`` with no keyword before it is an error, except where the DSL allows one
        (parallel sequences in a dynamic view).
        """
        while True:
            stmt = self.next_stmt()
            if stmt is None:
                raise self.error("'{' is never closed", opener.tokens[-1], "add the matching '}'")
            if stmt.closes:
                return
            if len(stmt.tokens) == 1 and stmt.opens and not allow_bare:
                raise self.error("'{' opens a block with no keyword before it", stmt.tokens[0],
                                 "put the '{' at the end of the line it belongs to")
            yield stmt

    def skip_block(self, opener: Statement) -> None:
        if opener.opens:
            for stmt in self.block(opener, allow_bare=True):
                if stmt.opens:
                    self.skip_block(stmt)

    def words(self, stmt: Statement) -> list[Token]:
        """Tokens without the trailing ``{``, with ``${CONSTANT}`` substituted."""
        toks = stmt.tokens[:-1] if stmt.opens else list(stmt.tokens)
        if self.constants:
            toks = [Token(_VAR.sub(lambda m: self.constants.get(m.group(1), m.group(0)), t.text),
                          t.line, t.col, t.quoted) if "${" in t.text else t for t in toks]
        return toks

    def directive(self, stmt: Statement, context: Element | None = None) -> bool:
        """Handle a ``!directive``; True when it was one."""
        head = stmt.tokens[0].text.lower()
        if not head.startswith("!") or stmt.tokens[0].quoted:
            return False
        toks = self.words(stmt)
        if head == "!constant":
            raise self.error("!constant was removed from the DSL", stmt,
                             "use !const or !var instead")
        if head in ("!const", "!var"):
            if len(toks) < 3:
                raise self.error(f"{head} needs a name and a value", stmt, f'{head} NAME "value"')
            name = toks[1].text
            if name in self.fixed:
                raise self.error(f"a constant {name!r} already exists", toks[1],
                                 "constants cannot change; use !var for values that do")
            if head == "!const" and name in self.constants:
                raise self.error(f"a constant/variable {name!r} already exists", toks[1],
                                 "use another name")
            if head == "!const":
                self.fixed.add(name)
            self.constants[name] = toks[2].text
        elif head == "!identifiers":
            mode = toks[1].text.lower() if len(toks) > 1 else ""
            if mode not in ("flat", "hierarchical"):
                raise self.error(f"unknown identifier mode {mode!r}", stmt,
                                 "use !identifiers flat or !identifiers hierarchical")
            self.ws.identifiers = mode
        elif head == "!impliedrelationships":
            value = toks[1].text.lower() if len(toks) > 1 else "true"
            self.ws.model.implied_relationships = value not in ("false", "off")
        elif head == "!include":
            self.include(stmt, toks)
        elif head in ("!element", "!elements", "!relationship", "!relationships"):
            self.selector(stmt, toks, head, context)
        elif head in ("!docs", "!adrs", "!decisions"):
            self.docs(stmt, toks, head, context)
        else:
            self.note("C4301", Severity.WARNING, f"directive {stmt.tokens[0].text} is not run by "
                      "archkit; it and its block were skipped", stmt,
                      "run it in Structurizr and export the result, or write what it makes",
                      head)
            self.skip_block(stmt)
        return True

    # -- workspace --------------------------------------------------------
    def parse(self) -> None:
        first = self.next_stmt()
        while first is not None and self.directive(first):
            first = self.next_stmt()
        if first is None or first.tokens[0].text.lower() != "workspace":
            tok = first.tokens[0] if first else Token("", 1, 1)
            raise self.error(f"expected 'workspace', found {tok.text!r}", tok,
                             "a Structurizr DSL file starts with: workspace { ... }")
        toks = self.words(first)
        args = toks[1:]
        if args and args[0].text.lower() == "extends" and not args[0].quoted:
            self.extend(first, args[1] if len(args) > 1 else args[0])
            args = args[2:]
        if args:
            self.ws.name = args[0].text
        if len(args) > 1:
            self.ws.description = args[1].text
        if not first.opens:
            raise self.error("workspace needs a block", first, "write: workspace { ... }")
        for stmt in self.block(first):
            if self.directive(stmt):
                continue
            head = stmt.tokens[0].text.lower()
            toks = self.words(stmt)
            if head in ("model", "views") and not stmt.tokens[0].quoted:
                if head in self.seen:
                    raise self.error(f"more than one {head} block in the workspace", stmt,
                                     f"merge the {head} blocks into one")
                self.seen.add(head)
                (self.model if head == "model" else self.views)(stmt)
            elif head == "workspace":
                raise self.error("more than one workspace in the file", stmt,
                                 "a DSL file holds one workspace")
            elif head == "name" and len(toks) > 1:
                self.ws.name = toks[1].text
            elif head == "description" and len(toks) > 1:
                self.ws.description = toks[1].text
            elif head == "properties":
                self.ws.properties.update(self.pairs(stmt))
            elif head in SKIPPED_BLOCKS:
                self.note("C4302", Severity.INFO, f"'{stmt.tokens[0].text}' is skipped", stmt,
                          "nothing to do: archkit does not need it", head)
                self.skip_block(stmt)
            else:
                raise self.unknown(stmt, "workspace", "model, views, properties, name, description")
        extra = self.next_stmt()
        if extra is not None:
            if extra.tokens[0].text.lower() == "workspace":
                raise self.error("more than one workspace in the file", extra,
                                 "a DSL file holds one workspace")
            raise self.error(f"unexpected {extra.tokens[0].text!r} after the workspace", extra,
                             "remove it, or move it inside workspace { ... }")

    def extend(self, stmt: Statement, target_tok: Token) -> None:
        """``workspace extends FILE``: read the base workspace, then add this file to it."""
        target = target_tok.text
        if URL.match(target) or target.lower().endswith(".json"):
            what = "a URL" if URL.match(target) else "a JSON workspace"
            self.note("C4308", Severity.WARNING, f"workspace extends {what} ({target}); it is "
                      "not read, so what refers to it is skipped", stmt,
                      "save the base workspace as a local .dsl file and extend that",
                      "workspace extends")
            self.lenient = True
            return
        path = self.local_path(Statement([stmt.tokens[0], target_tok], stmt.file), target)
        chain = self.check_chain(stmt, path)
        base = _Parser(lex(read_text(path, self.encoding, self.findings, stmt), str(path)),
                       str(path), path.parent, self.encoding, chain, self.budget)
        base.parse()
        for name in ("ws", "constants", "fixed", "rel_count", "group_ids", "model_groups",
                     "env_ids", "archetypes", "defaults", "skipped", "lenient", "implied", "linked",
                     "explicit"):
            setattr(self, name, getattr(base, name))
        self.reserved |= base.reserved
        self.findings.extend(base.findings)

    def unknown(self, stmt: Statement, where: str, expected: str) -> ArchkitError:
        toks = stmt.tokens
        tok = toks[2] if len(toks) > 2 and toks[1].text == "=" and not toks[1].quoted else toks[0]
        return self.error(f"unknown keyword {tok.text!r} in {where}", tok, f"expected {expected}")

    def pairs(self, stmt: Statement) -> dict[str, str]:
        """A ``properties { "name" "value" }`` block."""
        out: dict[str, str] = {}
        if not stmt.opens:
            return out
        for inner in self.block(stmt):
            if self.directive(inner):
                continue
            toks = self.words(inner)
            if inner.opens:
                self.skip_block(inner)
                continue
            out[toks[0].text] = " ".join(t.text for t in toks[1:])
        return out

    # -- model ------------------------------------------------------------
    def model(self, opener: Statement) -> None:
        for stmt in self.block(opener):
            toks = self.words(stmt)
            if toks and toks[0].text.lower() == "properties" and not toks[0].quoted:
                self.ws.model.properties.update(self.pairs(stmt))
            elif toks and toks[0].text.lower() == "archetypes" and not toks[0].quoted:
                self.archetype_block(stmt)
            else:
                self.model_statement(stmt, parent=None, group=None)

    def group_name(self, outer: str | None, name: str) -> str:
        sep = self.ws.model.properties.get("structurizr.groupSeparator", "/")
        return f"{outer}{sep}{name}" if outer else name

    def kind_of(self, toks: list[Token]) -> tuple[str, _Archetype | None]:
        """The built-in keyword a statement uses (lower case) and the archetype, if any."""
        if toks[0].quoted:
            return "", None
        head = toks[0].text.lower()
        arch = self.archetypes.get(toks[0].text)
        if arch is not None:
            return arch.base, arch
        return head, self.defaults.get(head)

    def model_statement(self, stmt: Statement, parent: Element | None, group: str | None,
                        in_group: bool = False) -> None:
        if self.directive(stmt, parent):
            return
        toks = self.words(stmt)
        ident = None
        if len(toks) > 2 and toks[1].text == "=" and not toks[1].quoted:
            ident, toks = self.identifier(toks[0]), toks[2:]
        if not toks:
            raise self.error("nothing after '='", stmt, "write: id = person \"Name\"")
        if self.is_relationship(toks):
            self.relationship(stmt, toks, ident, parent)
            return
        head, arch = self.kind_of(toks)
        if head in ELEMENT_CLASSES:
            kind_here = parent.kind if parent is not None else None
            if head not in ALLOWED_CHILDREN.get(kind_here, set()):
                where = f"a {kind_here}" if kind_here else "the model"
                raise self.error(f"a {toks[0].text} cannot be defined inside {where}", toks[0],
                                 "move it to the right parent (system > container > component)")
            self.element(stmt, toks, ident, parent, group, head, arch)
        elif head == "group":
            name = self.arg(toks, 1, "group needs a name", 'group "Name" { ... }')
            if not stmt.opens:
                if parent is not None and not in_group:  # an element's own group
                    parent.group = self.group_name(parent.group, name)
                    return
                raise self.error("a group needs a block", stmt, 'write: group "Name" { ... }')
            label = self.group_name(group, name)
            if ident is not None:
                self.model_groups[ident.text] = label
            if label not in self.ws.model.groups:
                self.ws.model.groups.append(label)
            for inner in self.block(stmt):
                self.model_statement(inner, parent, label, in_group=True)
        elif head == "enterprise":
            raise self.error("the enterprise keyword was removed from the DSL", toks[0],
                             'use group "Name" { ... } instead')
        elif head == "element":
            self.custom_element(stmt, toks, ident)
        elif head == "deploymentenvironment" and parent is None:
            self.environment(stmt, toks, ident)
        elif parent is not None and not in_group and self.element_property(stmt, toks, parent):
            return
        else:
            raise self.unknown(
                stmt, "a group" if in_group else "the model",
                "person, softwareSystem, container, component, group, "
                "deploymentEnvironment or a relationship (a -> b)")

    def custom_element(self, stmt: Statement, toks: list[Token], ident: Token | None) -> None:
        name = self.arg(toks, 1, "element needs a name", 'element "Name"')
        if ident is not None:
            self.skipped.add(ident.text)
        self.note("C4310", Severity.WARNING, f"custom element {name!r} is not part of a C4 "
                  "view in archkit; it and its relationships were skipped", stmt,
                  "model it as a person or software system to see it on a diagram", name)
        self.skip_block(stmt)

    def archetype_block(self, opener: Statement) -> None:
        """``archetypes { name = base { defaults } }``: new keywords with defaults."""
        for stmt in self.block(opener):
            toks = self.words(stmt)
            if len(toks) == 1:  # `container { ... }`: defaults for a built-in kind
                name, base_tok = "", toks[0]
            elif len(toks) == 3 and toks[1].text == "=":
                name, base_tok = toks[0].text, toks[2]
            else:
                raise self.error("an archetype is written: name = base { ... }", stmt,
                                 "e.g. application = container { technology \"Java\" }")
            base_name = base_tok.text[2:-2] if base_tok.text.startswith("--") else base_tok.text
            parent = self.archetypes.get(base_name)
            base = parent.base if parent else base_tok.text.lower()
            if base not in ARCHETYPE_BASES:
                raise self.error(f"unknown archetype base {base_tok.text!r}", base_tok,
                                 "base it on container, component, softwareSystem, person, "
                                 "group, deploymentNode, infrastructureNode, -> or an archetype")
            arch = _Archetype(base)
            if parent:
                arch = _Archetype(base, parent.description, parent.technology, list(parent.tags),
                                  dict(parent.properties), dict(parent.perspectives))
            if stmt.opens:
                for inner in self.block(stmt):
                    itoks = self.words(inner)
                    key = itoks[0].text.lower()
                    if key in ("tag", "tags"):
                        for t in itoks[1:]:
                            arch.tags += [x for x in _tags(t.text) if x not in arch.tags]
                    elif key in ("description", "technology"):
                        setattr(arch, key, self.arg(itoks, 1, f"{key} needs text", f'{key} "..."'))
                    elif key in ("properties", "perspectives"):
                        getattr(arch, key).update(self.pairs(inner))
                    elif key == "metadata":
                        pass  # custom elements only; archkit skips those
                    else:
                        raise self.unknown(inner, f"archetype {name!r}",
                                           "description, technology, tag, tags, properties, "
                                           "perspectives")
            if name:
                self.archetypes[name] = arch
            else:
                self.defaults[base] = arch

    def identifier(self, tok: Token) -> Token:
        """An identifier being defined: letters, digits, ``_`` and ``-``, as Structurizr allows."""
        if tok.quoted or not _IDENT.fullmatch(tok.text):
            raise self.error(f"{tok.text[:80]!r} is not a valid identifier", tok,
                             "use letters, digits, _ and - only (e.g. api_gateway)")
        return tok

    def arg(self, toks: list[Token], index: int, message: str, hint: str) -> str:
        if len(toks) <= index:
            raise self.error(message, toks[0], hint)
        return toks[index].text

    def new_id(self, ident: Token | None, name: str, parent: Element | None) -> str:
        if ident is not None:
            local = ident.text
            if self.ws.identifiers == "hierarchical" and parent is not None:
                local = f"{parent.id}.{local}"
            if local in self.ws.model:
                raise self.error(f"identifier {ident.text!r} is already defined", ident,
                                 "use a unique identifier")
            return local
        base = _camel(name) or "element"
        candidates = [base]
        if parent is not None:
            candidates.append(parent.id.replace(".", "_") + base[0].upper() + base[1:])
        for cand in candidates:
            if cand not in self.ws.model and cand not in self.reserved:
                return cand
        n = 2
        while f"{candidates[-1]}{n}" in self.ws.model or f"{candidates[-1]}{n}" in self.reserved:
            n += 1
        return f"{candidates[-1]}{n}"

    def element(self, stmt: Statement, toks: list[Token], ident: Token | None,
                parent: Element | None, group: str | None, head: str,
                arch: _Archetype | None) -> Element:
        name = self.arg(toks, 1, f"{toks[0].text} needs a name", f'{toks[0].text} "Name"')
        values = dict(zip(ELEMENT_ARGS[head], (t.text for t in toks[2:]), strict=False))
        cls = ELEMENT_CLASSES[head]
        arch = arch or self.defaults.get(head) or _Archetype(head)
        tags = list(arch.tags) + [t for t in _tags(values.get("tags", "")) if t not in arch.tags]
        el = cls(self.new_id(ident, name, parent), name,
                 description=values.get("description", arch.description),
                 technology=values.get("technology", arch.technology),
                 tags=tags, group=group, properties=dict(arch.properties),
                 perspectives=dict(arch.perspectives), line=stmt.line)
        try:
            self.ws.model.add(el, parent)
        except ArchkitError as err:
            raise self.error(err.message, ident or toks[1], err.hint or "") from None
        if stmt.opens:
            for inner in self.block(stmt):
                # groups inside a software system or container start afresh
                self.model_statement(inner, el, None)
        return el

    def element_property(self, stmt: Statement, toks: list[Token], el) -> bool:
        """``description``, ``technology``, ``tags``, ``url``, ``properties``, ``perspectives``."""
        head = toks[0].text.lower() if not toks[0].quoted else ""
        if head == "description":
            el.description = self.arg(toks, 1, "description needs text", 'description "..."')
        elif head == "technology":
            el.technology = self.arg(toks, 1, "technology needs text", 'technology "..."')
        elif head == "tags" or head == "tag":
            for t in toks[1:]:
                el.tags += [x for x in _tags(t.text) if x not in el.tags]
        elif head == "url":
            el.url = self.arg(toks, 1, "url needs a value", "url https://...")
        elif head == "instances" and isinstance(el, DeploymentNode):
            el.instances = self.arg(toks, 1, "instances needs a number", "instances 4")
        elif head == "properties":
            el.properties.update(self.pairs(stmt))
        elif head == "perspectives":
            el.perspectives.update(self.pairs(stmt))
        elif head == "healthcheck" and isinstance(el, ContainerInstance):
            self.note("C4311", Severity.INFO, f"health check {' '.join(t.text for t in toks[1:])!r}"
                      f" of {el.name!r} is noted, not modelled", stmt,
                      "nothing to do: diagrams do not show health checks", el.id)
        else:
            return False
        if head not in ("properties", "perspectives") and stmt.opens:
            self.skip_block(stmt)
        return True

    def resolve(self, tok: Token, context: Element | None) -> str:
        ref = tok.text
        if ref == "this":
            if context is None:
                raise self.error("'this' is only valid inside an element's block", tok,
                                 "name the element instead")
            return context.id
        if ref in self.ws.model:
            return ref
        if self.ws.identifiers == "hierarchical" and context is not None:
            for scope in (context, *context.ancestors()):
                if f"{scope.id}.{ref}" in self.ws.model:
                    return f"{scope.id}.{ref}"
        # Structurizr identifiers are case-insensitive; archkit keeps the spelling defined.
        lowered = ref.lower()
        scopes = [""] + ([f"{s.id.lower()}." for s in (context, *context.ancestors())]
                         if self.ws.identifiers == "hierarchical" and context is not None else [])
        for el in self.ws.model.walk_all():
            if any(el.id.lower() == prefix + lowered for prefix in scopes):
                return el.id
        if ref in self.skipped or self.lenient:
            raise SkippedReference(ref)
        raise self.error(f"unknown identifier {ref!r}", tok,
                         "define the element (with an identifier) before using it")

    # -- selectors: !element, !elements, !relationship --------------------
    def find_element(self, tok: Token, context: Element | None) -> Element | None:
        ref = tok.text
        if "://" in ref:  # canonical name, e.g. "SoftwareSystem://A" or "DeploymentNode://Live/X"
            kind, _, path = ref.partition("://")
            for el in self.ws.model.walk_all():
                if el.kind.lower() == kind.lower() and _canonical_path(el) in (path, path.replace(
                        ".", "/")):
                    return el
            return None
        try:
            return self.ws.model[self.resolve(tok, context)]
        except SkippedReference:
            return None

    def selector(self, stmt: Statement, toks: list[Token], head: str,
                 context: Element | None) -> None:
        if len(toks) < 2:
            raise self.error(f"{head} needs an identifier or expression", stmt,
                             f"{head} name {{ ... }}")
        if head == "!relationship":
            rel = next((r for r in self.ws.model.relationships if r.id == toks[1].text), None)
            if rel is None:
                return self.unmatched(stmt, toks[1], head)
            for inner in self.block(stmt) if stmt.opens else ():
                if not self.directive(inner) and not self.element_property(
                        inner, self.words(inner), rel):
                    raise self.unknown(inner, "a relationship", "description, technology, tags, "
                                       "url, properties, perspectives")
            return None
        if head == "!relationships":
            self.note("C4301", Severity.WARNING, "!relationships expressions are not run; "
                      "the block was skipped", stmt, "name the relationship with !relationship",
                      head)
            return self.skip_block(stmt)
        if head == "!element" and toks[1].text in self.env_ids:
            env = self.ws.model.environment(self.env_ids[toks[1].text])
            for inner in self.block(stmt) if stmt.opens and env else ():
                self.deployment_statement(inner, env, None)
            return None
        if head == "!element":
            found = self.find_element(toks[1], context)
            targets = [found] if found is not None else []
        else:
            targets = self.select(toks[1], context)
        if not targets:
            return self.unmatched(stmt, toks[1], head)
        body_start = self.pos
        for i, el in enumerate(targets):
            if i:
                self.pos = body_start  # the same block again, for the next element
            self.element_block(stmt, el)
        return None

    def unmatched(self, stmt: Statement, tok: Token, head: str) -> None:
        if self.lenient:
            self.note("C4309", Severity.WARNING, f"{head} {tok.text!r} was skipped: it may be in "
                      "the base workspace, which was not read", stmt,
                      "extend a local .dsl file", tok.text)
            return self.skip_block(stmt)
        raise self.error(f"{head}: nothing matches {tok.text!r}", tok,
                         "use an identifier or canonical name defined before this line")

    def select(self, tok: Token, context: Element | None) -> list[Element]:
        """Elements for ``!elements``: a group identifier, ``*``, an identifier, or
        ``element.parent|type|tag|technology==...`` terms joined with ``&&`` / ``||``."""
        model = self.ws.model
        expr = tok.text.strip()
        if expr in self.model_groups:
            label = self.model_groups[expr]
            sep = model.properties.get("structurizr.groupSeparator", "/")
            return [e for e in model.walk() if e.group and (
                e.group == label or e.group.startswith(label + sep))]
        if expr == "*":
            return list(model.walk())
        if "==" not in expr and "!=" not in expr:
            found = self.find_element(tok, context)
            return [found] if found is not None else []
        alternatives = [[self.term(t.strip(), tok, context) for t in alt.split("&&")]
                        for alt in expr.split("||")]
        return [e for e in model.walk_all() if any(all(test(e) for test in terms)
                                                   for terms in alternatives)]

    def term(self, text: str, tok: Token, context: Element | None):
        """One ``element.<property>==value`` test of an expression, as a predicate."""
        negate = "!=" in text
        name, _, value = text.partition("!=" if negate else "==")
        name, values = name.strip().lower(), {v.strip() for v in value.split(",")}
        if name == "element.parent":
            parents = {self.resolve(Token(v, tok.line, tok.col), context) for v in values}

            def test(e):
                return e.parent is not None and e.parent.id in parents
        elif name == "element.type":
            kinds = {v.lower() for v in values}

            def test(e):
                return e.kind.lower() in kinds
        elif name == "element.tag":
            def test(e):
                return bool(values & set(e.all_tags()))
        elif name == "element.technology":
            def test(e):
                return e.technology in values
        else:
            raise self.error(f"unsupported expression term {text!r}", tok,
                             "use element.parent, element.type, element.tag or "
                             "element.technology with == or !=")
        return (lambda e: not test(e)) if negate else test

    def element_block(self, opener: Statement, el: Element) -> None:
        if not opener.opens:
            return
        deployment = el.kind in DeploymentNode.child_kinds + ("deploymentNode",)
        env = self.ws.model.environment(getattr(el, "environment", "") or "")
        for inner in self.block(opener):
            if deployment and env is not None:
                self.deployment_statement(inner, env, el)
            else:
                self.model_statement(inner, el, None)

    # -- relationships ----------------------------------------------------
    @staticmethod
    def is_relationship(toks: list[Token]) -> bool:
        return any(not t.quoted and ARROW.fullmatch(t.text) for t in toks[:3])

    def relationship(self, stmt: Statement, toks: list[Token], ident: Token | None,
                     context: Element | None) -> Relationship | None:
        try:
            return self._relationship(stmt, toks, ident, context)
        except SkippedReference as skip:
            if skip.args[0] in self.skipped:
                self.note("C4310", Severity.WARNING, f"relationship with {skip.args[0]!r} "
                          "skipped: that element is not modelled by archkit", stmt,
                          "relate people, systems, containers or components", skip.args[0])
            else:
                self.note("C4309", Severity.WARNING, f"relationship with {skip.args[0]!r} "
                          "skipped: it may be in the base workspace, which was not read", stmt,
                          "extend a local .dsl file", skip.args[0])
            self.skip_block(stmt)
            return None

    def _relationship(self, stmt: Statement, toks: list[Token], ident: Token | None,
                      context: Element | None) -> Relationship | None:
        if ARROW.fullmatch(toks[0].text) and not toks[0].quoted:
            if context is None:
                raise self.error("a relationship without a source needs an enclosing element",
                                 toks[0], "write: source -> destination")
            src, arrow, rest = context.id, toks[0], toks[1:]
        else:
            if len(toks) < 3 or not ARROW.fullmatch(toks[1].text) or toks[1].quoted:
                raise self.error("malformed relationship", toks[0],
                                 'write: source -> destination "description" "technology"')
            src, arrow, rest = self.resolve(toks[0], context), toks[1], toks[2:]
        if not rest:
            raise self.error("relationship has no destination", toks[-1],
                             "write: source -> destination")
        dst = self.resolve(rest[0], context)
        if arrow.text == "-/>":
            self.note("C4312", Severity.INFO, "'-/>' (no implied instance relationship) is "
                      "noted; the relationships in its block are read", stmt,
                      "nothing to do", f"{src} -/> {dst}")
            if stmt.opens:
                for inner in self.block(stmt):
                    itoks = self.words(inner)
                    if not self.is_relationship(itoks):
                        raise self.unknown(inner, "a '-/>' block", "relationships (a -> b)")
                    self.relationship(inner, itoks, None, context)
            return None
        arch = self.defaults.get("->") or _Archetype("->")
        if arrow.text.startswith("--"):
            name = arrow.text[2:-2]
            found = self.archetypes.get(name)
            if found is None or found.base != "->":
                raise self.error(f"unknown relationship archetype {name!r}", arrow,
                                 "define it in archetypes { name = -> { ... } }")
            arch = found
        values = [t.text for t in rest[1:]]
        description = values[0] if values else arch.description
        self.check_new(stmt, src, dst, description)
        self.rel_count += 1
        tags = list(arch.tags) + [t for t in (_tags(values[2]) if len(values) > 2 else [])
                                  if t not in arch.tags]
        rel = Relationship(
            src, dst,
            description=description,
            technology=values[1] if len(values) > 1 else arch.technology,
            tags=tags, properties=dict(arch.properties), perspectives=dict(arch.perspectives),
            id=ident.text if ident else f"rel{self.rel_count}", line=stmt.line,
        )
        self.ws.model.relate(rel)
        if stmt.opens:
            for inner in self.block(stmt):
                if self.directive(inner):
                    continue
                inner_toks = self.words(inner)
                if not self.element_property(inner, inner_toks, rel):
                    raise self.unknown(inner, "a relationship", "description, technology, "
                                       "tags, url, properties, perspectives")
        return rel

    def check_new(self, stmt: Statement, src: str, dst: str, description: str) -> None:
        """Refuse a relationship Structurizr already has, explicit or implied, as it does."""
        model = self.ws.model
        if (src, dst, description) in self.implied or (src, dst, description) in self.explicit:
            a, b = model[src], model[dst]
            raise self.error(f"a relationship between {a.name!r} and {b.name!r} with this "
                             "description already exists (it may be implied by one between "
                             "their children)", stmt,
                             "remove this line, or give the relationship another description")
        self.linked.add((src, dst))
        self.explicit.add((src, dst, description))
        if not model.implied_relationships:
            return
        # Structurizr's default: imply the relationship between every pair of ancestors,
        # unless any relationship already links that pair.
        a_chain = [model[src], *model[src].ancestors()]
        b_chain = [model[dst], *model[dst].ancestors()]
        for a in a_chain:
            for b in b_chain:
                if a is b or a in b.ancestors() or b in a.ancestors():
                    continue
                if (a.id, b.id) == (src, dst) or (a.id, b.id) in self.linked:
                    continue
                self.linked.add((a.id, b.id))
                self.implied.add((a.id, b.id, description))

    # -- deployment -------------------------------------------------------
    def environment(self, stmt: Statement, toks: list[Token], ident: Token | None) -> None:
        name = self.arg(toks, 1, "deploymentEnvironment needs a name",
                        'deploymentEnvironment "Live" { ... }')
        env = self.ws.model.add_environment(name)
        if ident is not None:
            self.env_ids[ident.text] = name
        if stmt.opens:
            for inner in self.block(stmt):
                self.deployment_statement(inner, env, None)

    def deployment_statement(self, stmt: Statement, env: DeploymentEnvironment,
                             parent: Element | None, group: str | None = None) -> None:
        if self.directive(stmt, parent):
            return
        toks = self.words(stmt)
        ident = None
        if len(toks) > 2 and toks[1].text == "=" and not toks[1].quoted:
            ident, toks = self.identifier(toks[0]), toks[2:]
        head, arch = self.kind_of(toks)
        model = self.ws.model
        if self.is_relationship(toks):
            self.relationship(stmt, toks, ident, parent)
        elif head in ("deploymentnode", "infrastructurenode"):
            if head == "deploymentnode" or parent is not None:
                name = self.arg(toks, 1, f"{toks[0].text} needs a name", f'{toks[0].text} "Name"')
            else:
                raise self.error("an infrastructureNode must be inside a deploymentNode",
                                 toks[0], "move it into a deploymentNode")
            values = dict(zip(ELEMENT_ARGS[head], (t.text for t in toks[2:]), strict=False))
            arch = arch or self.defaults.get(head) or _Archetype(head)
            cls = DeploymentNode if head == "deploymentnode" else InfrastructureNode
            tags = list(arch.tags) + [t for t in _tags(values.get("tags", ""))
                                      if t not in arch.tags]
            node = cls(self.new_id(ident, name, parent), name,
                       description=values.get("description", arch.description),
                       technology=values.get("technology", arch.technology),
                       tags=tags, group=group, properties=dict(arch.properties),
                       perspectives=dict(arch.perspectives), line=stmt.line)
            if isinstance(node, DeploymentNode) and values.get("instances"):
                node.instances = values["instances"]
            model.add_node(node, env, parent)
            if stmt.opens:
                for inner in self.block(stmt):
                    if head == "deploymentnode":
                        self.deployment_statement(inner, env, node)
                    else:
                        self.node_property(inner, node)
        elif head in ("containerinstance", "softwaresysteminstance", "instanceof"):
            self.instance(stmt, toks, ident, env, parent, head)
        elif head == "deploymentgroup":
            name = self.arg(toks, 1, "deploymentGroup needs a name", 'deploymentGroup "Name"')
            if ident is not None:
                self.group_ids[ident.text] = name
            env.groups.append(name)
        elif head == "group":
            name = self.arg(toks, 1, "group needs a name", 'group "Name" { ... }')
            if not stmt.opens:
                if parent is not None:
                    parent.group = self.group_name(parent.group, name)
                    return
                raise self.error("a group needs a block", stmt, 'write: group "Name" { ... }')
            label = self.group_name(group, name)
            for inner in self.block(stmt):
                self.deployment_statement(inner, env, parent, label)
        elif parent is not None and group is None and self.element_property(stmt, toks, parent):
            return
        else:
            raise self.unknown(stmt, "a deployment environment",
                               "deploymentNode, infrastructureNode, containerInstance, "
                               "softwareSystemInstance, instanceOf, deploymentGroup, group "
                               "or a relationship")

    def instance(self, stmt: Statement, toks: list[Token], ident: Token | None,
                 env: DeploymentEnvironment, parent: Element | None, head: str) -> None:
        model = self.ws.model
        if parent is None:
            raise self.error(f"a {toks[0].text} must be inside a deploymentNode", toks[0],
                             "move it into a deploymentNode")
        target_tok = toks[1] if len(toks) > 1 else toks[0]
        try:
            target = self.resolve(target_tok, None)
        except SkippedReference as skip:
            self.note("C4309", Severity.WARNING, f"instance of {skip.args[0]!r} skipped", stmt,
                      "define the container or software system first", skip.args[0])
            return self.skip_block(stmt)
        kind = model[target].kind
        if head == "instanceof":
            head = {"container": "containerinstance",
                    "softwareSystem": "softwaresysteminstance"}.get(kind, "")
            if not head:
                raise self.error(f"{target!r} is a {kind}; instanceOf names a container or a "
                                 "software system", target_tok, "name a container or system")
        expected = "container" if head == "containerinstance" else "softwareSystem"
        if kind != expected:
            raise self.error(f"{target!r} is a {kind}, not a {expected}", target_tok,
                             f"name a {expected}")
        cls = ContainerInstance if head == "containerinstance" else SoftwareSystemInstance
        raw = [g.strip() for g in toks[2].text.split(",") if g.strip()] if len(toks) > 2 else []
        groups = [self.group_ids.get(g, g) for g in raw]  # named by identifier (or by name)
        tags = _tags(toks[3].text) if len(toks) > 3 else []
        # Big Bank writes `containerInstance database "Failover"`: one extra argument
        # that is not a known deployment group is a tag, as Structurizr reads it.
        if len(toks) == 3 and not set(groups) <= set(env.groups):
            tags, groups = _tags(toks[2].text), []
        inst_id = self.new_id(ident, f"{model[target].id} instance", parent)
        inst = cls(inst_id, model[target].name, tags=tags, of=target,
                   deployment_groups=groups, line=stmt.line)
        model.add_node(inst, env, parent)
        if stmt.opens:
            for inner in self.block(stmt):
                self.node_property(inner, inst)
        return None

    def node_property(self, stmt: Statement, node: Element) -> None:
        if self.directive(stmt, node):
            return
        toks = self.words(stmt)
        if self.is_relationship(toks):
            self.relationship(stmt, toks, None, node)
        elif toks[0].text.lower() == "group" and not stmt.opens and len(toks) > 1:
            node.group = self.group_name(node.group, toks[1].text)
        elif not self.element_property(stmt, toks, node):
            raise self.unknown(stmt, node.name, "description, technology, tags, url, properties, "
                               "healthCheck or a relationship")


def _canonical_path(el: Element) -> str:
    """Structurizr's canonical-name path: ``Live/Node/Child`` or ``System/Container``."""
    names = [a.name for a in reversed(el.ancestors())] + [el.name]
    env = getattr(el, "environment", "")
    return "/".join([env, *names] if env else names)


def _tags(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _camel(name: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", name)
    if not words:
        return ""
    out = words[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in words[1:])
    return out if not out[0].isdigit() else f"n{out}"
