"""Read Structurizr DSL into a Workspace, with findings for what was skipped.

Usage::

    from archkit.c4.dsl_reader import read_dsl, parse_dsl
    ws, findings = read_dsl("big-bank-plc.dsl")
    ws, findings = parse_dsl('workspace { model { u = person "User" } }')

Errors (unbalanced braces, unknown keywords, unknown identifiers, empty or binary
input) raise ArchkitError with line and column. Directives archkit does not run
(``!script``, ``!plugin``, ``!include`` of a URL, ...) become findings instead.
"""

from __future__ import annotations

import re
from pathlib import Path

from archkit.c4.dsl_lexer import Statement, Token, decode, lex
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
from archkit.c4.workspace import DynamicStep, View, Workspace
from archkit.errors import ArchkitError, Where
from archkit.findings import Finding, Findings, Severity

__all__ = ["read_dsl", "parse_dsl"]

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
UNSUPPORTED_DIRECTIVES = {
    "!script", "!plugin", "!docs", "!adrs", "!extend", "!ref", "!element", "!elements",
    "!relationship", "!relationships", "!components", "!decisions", "!documentation",
}
SKIPPED_BLOCKS = {"configuration", "branding", "terminology", "users", "visibility"}
VIEW_KEYWORDS = {
    "systemlandscape": "systemLandscape",
    "systemcontext": "systemContext",
    "container": "container",
    "component": "component",
    "dynamic": "dynamic",
    "deployment": "deployment",
}
_VAR = re.compile(r"\$\{([A-Za-z0-9_-]+)\}")


def read_dsl(path: str | Path) -> tuple[Workspace, Findings]:
    """Read a ``.dsl`` file; returns the workspace and the findings of the read."""
    path = Path(path)
    text = decode(path.read_bytes(), str(path))
    return parse_dsl(text, file=str(path), base_dir=path.parent)


def parse_dsl(text: str, file: str | None = None,
              base_dir: Path | None = None) -> tuple[Workspace, Findings]:
    """Parse DSL text; ``file`` names it in errors, ``base_dir`` resolves ``!include``."""
    if not text.strip():
        raise ArchkitError("the workspace file is empty", where=Where(file, 1, 1),
                           hint="start with: workspace { model { ... } views { ... } }")
    parser = _Parser(lex(text, file), file, base_dir or Path.cwd())
    parser.parse()
    parser.ws.source = file
    return parser.ws, parser.findings.sorted()


class _Parser:
    def __init__(self, statements: list[Statement], file: str | None, base_dir: Path):
        self.stmts = statements
        self.pos = 0
        self.file = file
        self.base_dir = base_dir
        self.ws = Workspace()
        self.findings = Findings()
        self.constants: dict[str, str] = {}
        self.reserved = {s.tokens[0].text for s in statements
                         if len(s.tokens) > 2 and s.tokens[1].text == "="
                         and not s.tokens[0].quoted}
        self.rel_count = 0
        self.group_ids: dict[str, str] = {}

    # -- plumbing ---------------------------------------------------------
    def error(self, message: str, tok: Token | Statement, hint: str) -> ArchkitError:
        file = tok.file if isinstance(tok, Statement) and tok.file else self.file
        return ArchkitError(message, where=Where(file, tok.line, tok.col), hint=hint)

    def note(self, code: str, severity: Severity, message: str, stmt: Statement, fix: str,
             obj: str | None = None) -> None:
        self.findings.append(Finding(code, severity, message, object=obj, line=stmt.line,
                                     fix=fix, file=stmt.file or self.file))

    def next_stmt(self) -> Statement | None:
        if self.pos >= len(self.stmts):
            return None
        stmt = self.stmts[self.pos]
        self.pos += 1
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
                          t.line, t.col, t.quoted) for t in toks]
        return toks

    def directive(self, stmt: Statement) -> bool:
        """Handle a ``!directive`` valid anywhere; True when it was one."""
        head = stmt.tokens[0].text.lower()
        if not head.startswith("!"):
            return False
        toks = self.words(stmt)
        if head in ("!const", "!constant", "!var"):
            if len(toks) < 3:
                raise self.error(f"{head} needs a name and a value", stmt, f'{head} NAME "value"')
            self.constants[toks[1].text] = toks[2].text
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
        else:
            severity = Severity.WARNING if head in UNSUPPORTED_DIRECTIVES else Severity.WARNING
            self.note("C4301", severity, f"directive {stmt.tokens[0].text} is not supported; "
                      "it and its block were skipped", stmt,
                      "remove it, or run it in Structurizr and export the result", head)
            self.skip_block(stmt)
        return True

    def include(self, stmt: Statement, toks: list[Token]) -> None:
        target = toks[1].text if len(toks) > 1 else ""
        if re.match(r"^[a-z]+://", target):
            self.note("C4301", Severity.WARNING, f"!include of a URL ({target}) is not fetched",
                      stmt, "download the file and !include it by path", "!include")
            return
        path = (self.base_dir / target).resolve()
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix == ".dsl")
        elif path.is_file():
            files = [path]
        else:
            raise self.error(f"!include: no such file {target!r}", stmt.tokens[1] if len(
                stmt.tokens) > 1 else stmt, "check the path (relative to the including file)")
        spliced: list[Statement] = []
        for f in files:
            spliced += lex(decode(f.read_bytes(), str(f)), str(f))
        self.stmts[self.pos:self.pos] = spliced

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
        args = [t.text for t in toks[1:]]
        if args and args[0].lower() == "extends":
            raise self.error("'workspace extends' is not supported", toks[1],
                             "merge the base workspace into this file")
        if args:
            self.ws.name = args[0]
        if len(args) > 1:
            self.ws.description = args[1]
        if not first.opens:
            raise self.error("workspace needs a block", first, "write: workspace { ... }")
        for stmt in self.block(first):
            if self.directive(stmt):
                continue
            head = stmt.tokens[0].text.lower()
            toks = self.words(stmt)
            if head == "model":
                self.model(stmt)
            elif head == "views":
                self.views(stmt)
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
            toks = self.words(inner)
            if inner.opens:
                self.skip_block(inner)
                continue
            out[toks[0].text] = " ".join(t.text for t in toks[1:])
        return out

    # -- model ------------------------------------------------------------
    def model(self, opener: Statement) -> None:
        for stmt in self.block(opener):
            self.model_statement(stmt, parent=None, group=None)

    def model_statement(self, stmt: Statement, parent: Element | None, group: str | None) -> None:
        if self.directive(stmt):
            return
        toks = self.words(stmt)
        ident = None
        if len(toks) > 2 and toks[1].text == "=" and not toks[1].quoted:
            ident, toks = toks[0], toks[2:]
        if not toks:
            raise self.error("nothing after '='", stmt, "write: id = person \"Name\"")
        head = toks[0].text.lower() if not toks[0].quoted else ""
        if "->" in [t.text for t in toks[:3] if not t.quoted]:
            self.relationship(stmt, toks, ident, parent)
            return
        if head in ELEMENT_CLASSES:
            kind_here = parent.kind if parent is not None else None
            if head not in ALLOWED_CHILDREN.get(kind_here, set()):
                where = f"a {kind_here}" if kind_here else "the model"
                raise self.error(f"a {toks[0].text} cannot be defined inside {where}", toks[0],
                                 "move it to the right parent (system > container > component)")
            self.element(stmt, toks, ident, parent, group)
        elif head == "group":
            name = self.arg(toks, 1, "group needs a name", 'group "Name" { ... }')
            label = f"{group}/{name}" if group else name
            if label not in self.ws.model.groups:
                self.ws.model.groups.append(label)
            if stmt.opens:
                for inner in self.block(stmt):
                    self.model_statement(inner, parent, label)
        elif head == "enterprise":
            self.note("C4302", Severity.INFO, "'enterprise' is read as a group", stmt,
                      "use group instead (enterprise is deprecated)", "enterprise")
            name = self.arg(toks, 1, "enterprise needs a name", 'enterprise "Name" { ... }')
            if stmt.opens:
                for inner in self.block(stmt):
                    self.model_statement(inner, parent, name)
        elif head == "deploymentenvironment" and parent is None:
            self.environment(stmt, toks)
        elif parent is not None and self.element_property(stmt, toks, parent):
            return
        else:
            raise self.unknown(
                stmt, "the model", "person, softwareSystem, container, component, group, "
                "deploymentEnvironment or a relationship (a -> b)")

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
                parent: Element | None, group: str | None) -> Element:
        head = toks[0].text.lower()
        name = self.arg(toks, 1, f"{toks[0].text} needs a name", f'{toks[0].text} "Name"')
        values = dict(zip(ELEMENT_ARGS[head], (t.text for t in toks[2:]), strict=False))
        cls = ELEMENT_CLASSES[head]
        el = cls(self.new_id(ident, name, parent), name,
                 description=values.get("description", ""),
                 technology=values.get("technology", ""),
                 tags=_tags(values.get("tags", "")), group=group, line=stmt.line)
        self.ws.model.add(el, parent)
        if stmt.opens:
            for inner in self.block(stmt):
                self.model_statement(inner, el, group if head != "softwaresystem" else None)
        return el

    def element_property(self, stmt: Statement, toks: list[Token], el) -> bool:
        """``description``, ``technology``, ``tags``, ``url``, ``properties``, ``perspectives``."""
        head = toks[0].text.lower()
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
        raise self.error(f"unknown identifier {ref!r}", tok,
                         "define the element (with an identifier) before using it")

    def relationship(self, stmt: Statement, toks: list[Token], ident: Token | None,
                     context: Element | None) -> Relationship:
        if toks[0].text == "->":
            if context is None:
                raise self.error("a relationship without a source needs an enclosing element",
                                 toks[0], "write: source -> destination")
            src, rest = context.id, toks[1:]
        else:
            if len(toks) < 3 or toks[1].text != "->":
                raise self.error("malformed relationship", toks[0],
                                 'write: source -> destination "description" "technology"')
            src, rest = self.resolve(toks[0], context), toks[2:]
        if not rest:
            raise self.error("relationship has no destination", toks[-1],
                             "write: source -> destination")
        dst = self.resolve(rest[0], context)
        values = [t.text for t in rest[1:]]
        self.rel_count += 1
        rel = Relationship(
            src, dst,
            description=values[0] if values else "",
            technology=values[1] if len(values) > 1 else "",
            tags=_tags(values[2]) if len(values) > 2 else [],
            id=ident.text if ident else f"rel{self.rel_count}", line=stmt.line,
        )
        self.ws.model.relate(rel)
        if stmt.opens:
            for inner in self.block(stmt):
                inner_toks = self.words(inner)
                if not self.element_property(inner, inner_toks, rel):
                    raise self.unknown(inner, "a relationship", "description, technology, "
                                       "tags, url, properties, perspectives")
        return rel

    # -- deployment -------------------------------------------------------
    def environment(self, stmt: Statement, toks: list[Token]) -> None:
        name = self.arg(toks, 1, "deploymentEnvironment needs a name",
                        'deploymentEnvironment "Live" { ... }')
        env = self.ws.model.add_environment(name)
        if stmt.opens:
            for inner in self.block(stmt):
                self.deployment_statement(inner, env, None)

    def deployment_statement(self, stmt: Statement, env: DeploymentEnvironment,
                             parent: Element | None) -> None:
        if self.directive(stmt):
            return
        toks = self.words(stmt)
        ident = None
        if len(toks) > 2 and toks[1].text == "=" and not toks[1].quoted:
            ident, toks = toks[0], toks[2:]
        head = toks[0].text.lower() if not toks[0].quoted else ""
        model = self.ws.model
        if "->" in [t.text for t in toks[:3] if not t.quoted]:
            self.relationship(stmt, toks, ident, parent)
        elif head in ("deploymentnode", "infrastructurenode"):
            if head == "deploymentnode" or parent is not None:
                name = self.arg(toks, 1, f"{toks[0].text} needs a name", f'{toks[0].text} "Name"')
            else:
                raise self.error("an infrastructureNode must be inside a deploymentNode",
                                 toks[0], "move it into a deploymentNode")
            values = dict(zip(ELEMENT_ARGS[head], (t.text for t in toks[2:]), strict=False))
            cls = DeploymentNode if head == "deploymentnode" else InfrastructureNode
            node = cls(self.new_id(ident, name, parent), name,
                       description=values.get("description", ""),
                       technology=values.get("technology", ""),
                       tags=_tags(values.get("tags", "")), line=stmt.line)
            if isinstance(node, DeploymentNode) and values.get("instances"):
                node.instances = values["instances"]
            model.add_node(node, env, parent)
            if stmt.opens:
                for inner in self.block(stmt):
                    if head == "deploymentnode":
                        self.deployment_statement(inner, env, node)
                    else:
                        self.node_property(inner, node)
        elif head in ("containerinstance", "softwaresysteminstance"):
            if parent is None:
                raise self.error(f"a {toks[0].text} must be inside a deploymentNode", toks[0],
                                 "move it into a deploymentNode")
            target_tok = toks[1] if len(toks) > 1 else toks[0]
            target = self.resolve(target_tok, None)
            expected = "container" if head == "containerinstance" else "softwareSystem"
            if model[target].kind != expected:
                raise self.error(f"{target!r} is a {model[target].kind}, not a {expected}",
                                 target_tok, f"name a {expected}")
            cls = ContainerInstance if head == "containerinstance" else SoftwareSystemInstance
            raw = [g.strip() for g in toks[2].text.split(",") if g.strip()] if len(
                toks) > 2 else []
            # deployment groups are named by identifier (or by name)
            groups = [self.group_ids.get(g, g) for g in raw]
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
        elif head == "deploymentgroup":
            name = self.arg(toks, 1, "deploymentGroup needs a name", 'deploymentGroup "Name"')
            if ident is not None:
                self.group_ids[ident.text] = name
            env.groups.append(name)
        elif parent is not None and self.element_property(stmt, toks, parent):
            return
        else:
            raise self.unknown(stmt, "a deployment environment",
                               "deploymentNode, infrastructureNode, containerInstance, "
                               "softwareSystemInstance, deploymentGroup or a relationship")

    def node_property(self, stmt: Statement, node: Element) -> None:
        toks = self.words(stmt)
        if "->" in [t.text for t in toks[:3] if not t.quoted]:
            self.relationship(stmt, toks, None, node)
        elif not self.element_property(stmt, toks, node):
            raise self.unknown(stmt, node.name, "description, technology, tags, url, properties")

    # -- views ------------------------------------------------------------
    def views(self, opener: Statement) -> None:
        for stmt in self.block(opener):
            if self.directive(stmt):
                continue
            toks = self.words(stmt)
            head = toks[0].text.lower()
            if head in VIEW_KEYWORDS:
                self.view(stmt, toks, VIEW_KEYWORDS[head])
            elif head == "styles":
                self.styles(stmt)
            elif head in ("theme", "themes"):
                self.ws.themes += [t.text for t in toks[1:]]
                self.note("C4303", Severity.INFO, "themes are noted, not fetched", stmt,
                          "copy the theme's styles into a styles block to see them", head)
            elif head in ("filtered", "custom", "image"):
                self.note("C4304", Severity.WARNING, f"{head} views are not supported; skipped",
                          stmt, "use a systemLandscape/systemContext/container view instead", head)
                self.skip_block(stmt)
            elif head == "properties":
                self.pairs(stmt)
            elif head in SKIPPED_BLOCKS:
                self.skip_block(stmt)
            else:
                raise self.unknown(stmt, "views", "systemLandscape, systemContext, container, "
                                   "component, dynamic, deployment, styles, theme")

    def view(self, stmt: Statement, toks: list[Token], kind: str) -> None:
        args = toks[1:]
        scope = env = None
        if kind in ("systemContext", "container", "component", "dynamic", "deployment"):
            if not args:
                raise self.error(f"a {kind} view needs a scope", toks[0],
                                 f"write: {toks[0].text} <identifier> \"key\"")
            scope_tok, args = args[0], args[1:]
            scope = None if scope_tok.text == "*" else self.resolve(scope_tok, None)
            expected = {"systemContext": ("softwareSystem",), "container": ("softwareSystem",),
                        "component": ("container",),
                        "dynamic": ("softwareSystem", "container"),
                        "deployment": ("softwareSystem",)}[kind]
            if scope is not None and self.ws.model[scope].kind not in expected:
                raise self.error(f"{scope_tok.text!r} is a {self.ws.model[scope].kind}; "
                                 f"a {kind} view is scoped to a {' or '.join(expected)}",
                                 scope_tok, f"scope the view to a {expected[0]}")
            if scope is None and kind not in ("dynamic", "deployment"):
                raise self.error(f"a {kind} view cannot have '*' as its scope", scope_tok,
                                 "name a software system or container")
        if kind == "deployment":
            if not args:
                raise self.error("a deployment view needs an environment", toks[0],
                                 'write: deployment <system|*> "Live" "key"')
            env, args = args[0].text, args[1:]
            if self.ws.model.environment(env) is None:
                raise self.error(f"unknown deployment environment {env!r}", toks[2],
                                 "define it with deploymentEnvironment in the model")
        key = args[0].text if args else self.ws.next_key(kind)
        if any(v.key == key for v in self.ws.views):
            raise self.error(f"a view with key {key!r} already exists", args[0] if args else stmt,
                             "give every view a unique key")
        view = View(kind, key, scope=scope, environment=env,
                    description=args[1].text if len(args) > 1 else "", auto_layout=None,
                    line=stmt.line)
        self.ws.add_view(view)
        if stmt.opens:
            for inner in self.block(stmt, allow_bare=True):
                self.view_statement(inner, view)

    def view_statement(self, stmt: Statement, view: View) -> None:
        toks = self.words(stmt)
        if not toks:  # a bare "{": parallel sequences in a dynamic view
            self.note("C4305", Severity.WARNING, "parallel sequences are not supported; skipped",
                      stmt, "write the steps one after another", view.key)
            self.skip_block(stmt)
            return
        head = toks[0].text.lower()
        rest = [t.text for t in toks[1:]]
        if head == "include":
            view.include += rest
        elif head == "exclude":
            view.exclude += rest
        elif head == "autolayout":
            direction = rest[0].lower() if rest else "tb"
            if direction not in ("tb", "bt", "lr", "rl"):
                raise self.error(f"unknown autoLayout direction {rest[0]!r}", toks[1],
                                 "use tb, bt, lr or rl")
            view.auto_layout = direction
            view.rank_separation = int(rest[1]) if len(rest) > 1 and rest[1].isdigit() else None
            view.node_separation = int(rest[2]) if len(rest) > 2 and rest[2].isdigit() else None
        elif head == "title":
            view.title = rest[0] if rest else ""
        elif head == "description":
            view.description = rest[0] if rest else ""
        elif head == "animation":
            for inner in self.block(stmt):
                view.animation.append([self.resolve(t, None) for t in self.words(inner)])
        elif head == "properties":
            props = self.pairs(stmt)
            if props.pop("archkit.implied", None) == "false":
                view.implied = False
            view.properties.update(props)
        elif head == "default":
            pass
        elif view.kind == "dynamic" and "->" in [t.text for t in toks[:3] if not t.quoted]:
            if toks[0].text.endswith(":"):  # "1: a -> b" explicit ordering
                toks = toks[1:]
            if len(toks) < 3 or toks[1].text != "->":
                raise self.error("malformed dynamic step", toks[0],
                                 'write: source -> destination "what happens"')
            src = self.resolve(toks[0], None)
            dst = self.resolve(toks[2], None)
            vals = [t.text for t in toks[3:]]
            view.steps.append(DynamicStep(src, dst, vals[0] if vals else "",
                                          vals[1] if len(vals) > 1 else "",
                                          order=len(view.steps) + 1, line=stmt.line))
        elif view.kind == "dynamic" and (rel := self.relationship_by_id(toks[0].text)):
            vals = [t.text for t in toks[1:]]  # `rel1 "what happens"` reuses a relationship
            view.steps.append(DynamicStep(rel.source, rel.destination,
                                          vals[0] if vals else rel.description,
                                          rel.technology, order=len(view.steps) + 1,
                                          line=stmt.line))
        else:
            raise self.unknown(stmt, f"view {view.key!r}",
                               "include, exclude, autoLayout, title, description, animation")

    def relationship_by_id(self, ident: str) -> Relationship | None:
        return next((r for r in self.ws.model.relationships if r.id == ident), None)

    def styles(self, opener: Statement) -> None:
        for stmt in self.block(opener):
            toks = self.words(stmt)
            head = toks[0].text.lower()
            if head not in ("element", "relationship"):
                raise self.unknown(stmt, "styles", 'element "Tag" { ... } or relationship "Tag"')
            tag = self.arg(toks, 1, f"{head} style needs a tag", f'{head} "Tag" {{ ... }}')
            style = self.ws.styles._add(head, tag, {})
            if stmt.opens:
                for inner in self.block(stmt):
                    itoks = self.words(inner)
                    if inner.opens:  # e.g. properties { } inside a style
                        self.skip_block(inner)
                        continue
                    key = itoks[0].text
                    key = "color" if key.lower() == "colour" else key
                    style.properties[key] = " ".join(t.text for t in itoks[1:])


def _tags(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _camel(name: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", name)
    if not words:
        return ""
    out = words[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in words[1:])
    return out if not out[0].isdigit() else f"n{out}"
