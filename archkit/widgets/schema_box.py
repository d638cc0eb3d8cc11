"""The DDL box: type a schema, see its findings as you type.

Usage (in a notebook)::

    from archkit.widgets.schema_box import schema_box
    box = schema_box(draft_ddl, dialect="postgres")
    box                                  # a text area on top, the live findings below

    box.controller.set_text(fixed_ddl)   # the same, from code or a test
    box.controller.report.findings       # Findings of the current text

All logic is in :class:`SchemaBoxController` (no ipywidgets, no browser); the widget only
wires a ``Textarea`` and a dialect ``Dropdown`` to it. The findings area is an HTML table
``<table class="archkit-findings">`` with one row per finding.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from archkit.display import escape_html
from archkit.errors import ArchkitError

__all__ = ["SchemaBoxController", "SchemaBoxWidget", "schema_box"]

DIALECTS = ("postgres", "mysql", "sqlite")


class SchemaBoxController:
    """Holds DDL text and a dialect; re-checks on every change and tells listeners."""

    def __init__(self, text: str = "", dialect: str = "postgres"):
        self.text = text
        self.dialect = dialect
        self.report = None
        self.error: ArchkitError | None = None
        self._listeners: list[Callable[[], None]] = []
        self._check()

    def on_change(self, callback: Callable[[], None]) -> None:
        self._listeners.append(callback)

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self._changed()

    def set_dialect(self, dialect: str) -> None:
        if dialect != self.dialect:
            self.dialect = dialect
            self._changed()

    def _changed(self) -> None:
        self._check()
        for callback in list(self._listeners):
            callback()

    def _check(self) -> None:
        from archkit.schema.validate import check_schema

        self.report, self.error = None, None
        if not self.text.strip():
            return
        try:
            self.report = check_schema(self.text, self.dialect)
        except ArchkitError as err:
            self.error = err

    @property
    def summary(self) -> str:
        if self.error is not None:
            return f"cannot check: {self.error}"
        if self.report is None:
            return "type a CREATE TABLE statement"
        d = self.report.to_dict()
        errors = len(self.report.findings.errors)
        return (f"{d['tables']} tables, {d['views']} views, {d['indexes']} indexes — "
                f"{errors} error(s), {len(self.report.findings) - errors} warning(s)")

    def findings_html(self) -> str:
        """The findings as an escaped HTML table (or the one error message)."""
        head = f'<p class="archkit-summary">{escape_html(self.summary)}</p>'
        if self.report is None or not self.report.findings:
            return head
        from archkit.display import escape_html_text as text
        from archkit.display import severity_html

        # errors first; severity in words and colour; `$` never read as maths
        rows = "".join(
            f'<tr class="archkit-{escape_html(f.severity)}"><td>{text(f.line or "")}</td>'
            f"<td>{text(f.code)}</td><td>{severity_html(f.severity)}</td>"
            f"<td>{text(f.object or '')}</td><td>{text(f.message)}</td>"
            f"<td>{text(f.fix or '')}</td></tr>"
            for f in self.report.findings.worst_first()
        )
        return (head + '<div class="mathjax_ignore"><table class="archkit-findings"><thead><tr>'
                "<th>line</th><th>code</th><th>severity</th><th>object</th><th>message</th>"
                f"<th>fix</th></tr></thead><tbody>{rows}</tbody></table></div>")


class SchemaBoxWidget:
    """ipywidgets view over a controller: a DDL text area, a dialect menu, live findings."""

    def __init__(self, controller: SchemaBoxController):
        import ipywidgets as w

        self.controller = controller
        self.text = w.Textarea(value=controller.text, continuous_update=True,
                               layout=w.Layout(width="100%", height="260px"),
                               placeholder="CREATE TABLE ...")
        self.dialect = w.Dropdown(options=DIALECTS, value=controller.dialect,
                                  description="dialect")
        self.output = w.HTML(controller.findings_html())
        self.text.observe(lambda change: controller.set_text(change["new"]), names="value")
        self.dialect.observe(lambda change: controller.set_dialect(change["new"]), names="value")
        controller.on_change(self._refresh)
        self.box = w.VBox([self.dialect, self.text, self.output])

    def _refresh(self) -> None:
        self.output.value = self.controller.findings_html()
        if self.text.value != self.controller.text:
            self.text.value = self.controller.text

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.box._repr_mimebundle_(**kwargs)


def schema_box(text: str = "", dialect: str = "postgres") -> SchemaBoxWidget:
    """A live DDL box: edit the text, the findings follow."""
    return SchemaBoxWidget(SchemaBoxController(text, dialect))
