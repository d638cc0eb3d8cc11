"""The ``views { }`` block of the Structurizr DSL reader (mixed into its parser).

Usage: not called directly; :func:`archkit.c4.dsl_reader.parse_dsl` reads views with it.

Views, their include/exclude lists, autoLayout (direction and separations, kept on the View
for the renderer), animation, dynamic steps and styles. Filtered, custom and image views,
colour schemes and view-set properties are findings, not errors.
"""

from __future__ import annotations

from archkit.c4.dsl_lexer import ARROW, Statement, Token
from archkit.c4.model import Relationship
from archkit.c4.workspace import DynamicStep, View
from archkit.findings import Severity

__all__ = ["ViewsReader", "SkippedReference", "VIEW_KEYWORDS", "SKIPPED_BLOCKS"]

SKIPPED_BLOCKS = {"configuration", "branding", "terminology", "users", "visibility"}
VIEW_KEYWORDS = {
    "systemlandscape": "systemLandscape",
    "systemcontext": "systemContext",
    "container": "container",
    "component": "component",
    "dynamic": "dynamic",
    "deployment": "deployment",
}


class SkippedReference(Exception):
    """A reference to something the reader skipped (a custom element, an unread base)."""


class ViewsReader:
    """Parser methods for ``views``; the parser supplies block(), words(), error(), note(),
    resolve(), directive(), pairs(), skip_block(), is_relationship() and ``ws``."""

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
                props = self.pairs(stmt)
                self.note("C4302", Severity.INFO, f"views properties {sorted(props)} are not "
                          "used by archkit", stmt, "nothing to do", head)
            elif head in SKIPPED_BLOCKS:
                self.note("C4302", Severity.INFO, f"'{stmt.tokens[0].text}' is skipped", stmt,
                          "nothing to do: archkit does not need it", head)
                self.skip_block(stmt)
            else:
                raise self.unknown(stmt, "views", "systemLandscape, systemContext, container, "
                                   "component, dynamic, deployment, filtered, custom, image, "
                                   "styles, theme")

    def scope_of(self, tok: Token) -> str | None:
        try:
            return self.resolve(tok, None)
        except SkippedReference:
            raise self.error(f"the view's scope {tok.text!r} is not modelled", tok,
                             "scope the view to a software system or container") from None

    def view(self, stmt: Statement, toks: list[Token], kind: str) -> None:
        args = toks[1:]
        scope = env = None
        if kind in ("systemContext", "container", "component", "dynamic", "deployment"):
            if not args:
                raise self.error(f"a {kind} view needs a scope", toks[0],
                                 f"write: {toks[0].text} <identifier> \"key\"")
            scope_tok, args = args[0], args[1:]
            scope = None if scope_tok.text == "*" else self.scope_of(scope_tok)
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
            env_tok, args = args[0], args[1:]
            env = self.env_ids.get(env_tok.text, env_tok.text)
            if self.ws.model.environment(env) is None:
                raise self.error(f"unknown deployment environment {env!r}", env_tok,
                                 "define it with deploymentEnvironment in the model")
        key = args[0].text if args else self.ws.next_key(kind)
        if any(v.key == key for v in self.ws.views):
            raise self.error(f"a view with key {key!r} already exists", args[0] if args else stmt,
                             "give every view a unique key")
        view = View(kind, key, scope=scope, environment=env,
                    description=args[1].text if len(args) > 1 else "", auto_layout=None,
                    line=stmt.line)
        self.ws.add_view(view)
        self.order = 0  # dynamic step numbers
        if stmt.opens:
            for inner in self.block(stmt, allow_bare=True):
                if inner.tokens[0].text.startswith("!") and self.directive(inner):
                    continue
                self.view_statement(inner, view)

    def view_items(self, stmt: Statement, view: View, items: list[str]) -> list[str]:
        """``include`` / ``exclude`` items, less those naming skipped custom elements."""
        kept = [i for i in items if i not in self.skipped]
        if len(kept) < len(items):
            self.note("C4310", Severity.INFO, f"view {view.key!r}: custom elements "
                      f"{sorted(set(items) - set(kept))} are not shown", stmt,
                      "model them as people or software systems", view.key)
        return kept

    def view_statement(self, stmt: Statement, view: View) -> None:
        toks = self.words(stmt)
        if not toks:  # a bare "{": a parallel sequence in a dynamic view
            if view.kind != "dynamic":
                raise self.error("'{' opens a block with no keyword before it", stmt,
                                 "parallel sequences ({ ... }) belong in dynamic views")
            self.parallel(stmt, view)
            return
        head = toks[0].text.lower()
        rest = [t.text for t in toks[1:]]
        if head == "include":
            view.include += self.view_items(stmt, view, rest)
        elif head == "exclude":
            view.exclude += self.view_items(stmt, view, rest)
        elif head == "autolayout":
            self.auto_layout(stmt, toks, view)
        elif head == "title":
            view.title = rest[0] if rest else ""
        elif head == "description":
            view.description = rest[0] if rest else ""
        elif head == "animation":
            self.animation(stmt, view)
        elif head == "properties":
            props = self.pairs(stmt)
            if props.pop("archkit.implied", None) == "false":
                view.implied = False
            view.properties.update(props)
        elif head == "default":
            pass
        elif view.kind == "dynamic" and self.is_relationship(toks[:4]):
            self.dynamic_step(stmt, toks, view)
        elif view.kind == "dynamic" and (rel := self.relationship_by_id(toks[0].text)):
            vals = [t.text for t in toks[1:]]  # `rel1 "what happens"` reuses a relationship
            view.steps.append(DynamicStep(rel.source, rel.destination,
                                          vals[0] if vals else rel.description,
                                          rel.technology, order=self.next_order(None),
                                          line=stmt.line))
        else:
            raise self.unknown(stmt, f"view {view.key!r}",
                               "include, exclude, autoLayout, title, description, animation")

    def auto_layout(self, stmt: Statement, toks: list[Token], view: View) -> None:
        """``autoLayout [tb|bt|lr|rl] [rankSeparation] [nodeSeparation]`` (Structurizr: 300)."""
        rest = toks[1:]
        direction = rest[0].text.lower() if rest else "tb"
        if direction not in ("tb", "bt", "lr", "rl"):
            raise self.error(f"unknown autoLayout direction {rest[0].text!r}", rest[0],
                             "use tb, bt, lr or rl")
        numbers = []
        for tok in rest[1:3]:
            if not tok.text.isdigit():
                raise self.error(f"autoLayout separation {tok.text!r} is not a whole number",
                                 tok, "write e.g. autoLayout lr 300 300")
            numbers.append(int(tok.text))
        view.auto_layout = direction
        view.rank_separation = numbers[0] if numbers else None
        view.node_separation = numbers[1] if len(numbers) > 1 else None

    def animation(self, stmt: Statement, view: View) -> None:
        for inner in self.block(stmt):
            frame = []
            for t in self.words(inner):
                if t.text in self.ws.model:
                    frame.append(t.text)
                elif (ARROW.search(t.text) or "==" in t.text or t.text in self.skipped
                      or self.lenient):
                    self.note("C4305", Severity.INFO, f"animation step {t.text!r} is an "
                              "expression or a skipped element; left out", inner,
                              "name elements by identifier", view.key)
                else:
                    frame.append(self.resolve(t, None))
            if frame:
                view.animation.append(frame)

    def next_order(self, explicit: str | None) -> int:
        """The next step number: ``explicit`` (``2:``) when given, else one more."""
        if explicit is not None and explicit.isdigit():
            self.order = int(explicit)
        else:
            self.order += 1
        return self.order

    def parallel(self, opener: Statement, view: View) -> int:
        """A ``{ ... }`` parallel sequence; returns the highest step number reached in it.

        As Structurizr numbers them: each sequence starts from the number before it, so
        ``{ b -> c } { b -> d }`` are both step 2; a block of sequences continues after
        the highest number its sequences reached.
        """
        start = reached = self.order
        nested = False
        for inner in self.block(opener, allow_bare=True):
            if not self.words(inner):
                nested = True
                reached = max(reached, self.parallel(inner, view))
            else:
                self.view_statement(inner, view)
                reached = max(reached, self.order)
        self.order = reached if nested else start
        return reached

    def dynamic_step(self, stmt: Statement, toks: list[Token], view: View) -> None:
        explicit = None
        if toks[0].text.endswith(":"):  # "1: a -> b" explicit ordering
            explicit, toks = toks[0].text[:-1], toks[1:]
        if len(toks) < 3 or not ARROW.fullmatch(toks[1].text):
            raise self.error("malformed dynamic step", toks[0],
                             'write: source -> destination "what happens"')
        try:
            src = self.resolve(toks[0], None)
            dst = self.resolve(toks[2], None)
        except SkippedReference as skip:
            self.note("C4310", Severity.WARNING, f"dynamic step with {skip.args[0]!r} skipped",
                      stmt, "use people, systems, containers or components", view.key)
            return self.skip_block(stmt)
        vals = [t.text for t in toks[3:]]
        view.steps.append(DynamicStep(src, dst, vals[0] if vals else "",
                                      vals[1] if len(vals) > 1 else "",
                                      order=self.next_order(explicit), line=stmt.line))
        return self.skip_block(stmt)

    def relationship_by_id(self, ident: str) -> Relationship | None:
        return next((r for r in self.ws.model.relationships if r.id == ident), None)

    def styles(self, opener: Statement) -> None:
        for stmt in self.block(opener):
            if self.directive(stmt):
                continue
            toks = self.words(stmt)
            head = toks[0].text.lower()
            if head in ("theme", "themes"):
                self.ws.themes += [t.text for t in toks[1:]]
                self.note("C4303", Severity.INFO, "themes are noted, not fetched", stmt,
                          "copy the theme's styles into a styles block to see them", head)
                continue
            if head in ("light", "dark"):
                self.note("C4303", Severity.INFO, f"{head} colour-scheme styles are noted, not "
                          "applied", stmt, "put the styles you want directly in styles", head)
                self.skip_block(stmt)
                continue
            if head == "properties":
                props = self.pairs(stmt)
                self.note("C4302", Severity.INFO, f"styles properties {sorted(props)} are not "
                          "used by archkit", stmt, "nothing to do", head)
                continue
            if head not in ("element", "relationship"):
                raise self.unknown(stmt, "styles", 'element "Tag" { ... } or relationship "Tag"')
            tag = self.arg(toks, 1, f"{head} style needs a tag", f'{head} "Tag" {{ ... }}')
            style = self.ws.styles._add(head, tag, {})
            if stmt.opens:
                for inner in self.block(stmt):
                    itoks = self.words(inner)
                    if inner.opens:  # e.g. properties { } inside a style
                        self.note("C4302", Severity.INFO, f"'{itoks[0].text}' in the style for "
                                  f"{tag!r} is not used by archkit", inner, "nothing to do", tag)
                        self.skip_block(inner)
                        continue
                    key = itoks[0].text
                    key = "color" if key.lower() == "colour" else key
                    style.properties[key] = " ".join(t.text for t in itoks[1:])
