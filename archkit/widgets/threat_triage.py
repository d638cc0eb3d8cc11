"""The threat triage widget: a sortable threat table and a form that records triage.

Usage (in a notebook)::

    from archkit.widgets.threat_triage import triage_widget
    w = triage_widget(folder)          # a copy of the design folder: the widget writes to it
    w

    w.controller.sort("status")                                   # the same, from code
    w.controller.triage("TM116-ce0d00b3", "mitigated", by="control: MSK IAM auth")

All logic is in :class:`TriageController` (no ipywidgets needed); :class:`TriageWidget`
wires ipywidgets to it. Saving writes ``security/threats.yaml`` atomically and re-runs
the analysis, so the table shows what ``archkit threats`` will say.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from archkit.display import escape_html
from archkit.errors import ArchkitError

__all__ = ["SORT_KEYS", "TriageController", "TriageWidget", "triage_widget"]

_SEVERITY = {"high": 0, "medium": 1, "low": 2}
_STATUS = {"open": 0, "accepted": 1, "mitigated": 2, "not-applicable": 3}
SORT_KEYS = {
    "severity": lambda t: (_SEVERITY[t.severity], _STATUS[t.status], t.rule, t.element),
    "status": lambda t: (_STATUS[t.status], _SEVERITY[t.severity], t.rule, t.element),
    "rule": lambda t: (t.rule, t.element),
    "element": lambda t: (t.element, t.rule),
    "STRIDE": lambda t: (t.stride, _SEVERITY[t.severity], t.rule),
}


class TriageController:
    """The threats of one design folder, their order, and triage writes."""

    def __init__(self, folder: str | Path, today: dt.date | None = None):
        self.folder = Path(folder)
        self.today = today
        self.order = "severity"
        self.last_message = ""
        self.refresh()

    def refresh(self) -> None:
        from archkit.security.report import analyse

        self.report = analyse(self.folder, today=self.today)

    def sort(self, key: str) -> list:
        if key not in SORT_KEYS:
            raise ArchkitError(f"cannot sort by {key!r}", hint="one of " + ", ".join(SORT_KEYS))
        self.order = key
        return self.threats

    @property
    def threats(self) -> list:
        return sorted(self.report.threats, key=SORT_KEYS[self.order])

    def triage(self, threat_id: str, status: str, *, by: str | None = None,
               reason: str | None = None, review: str | None = None) -> str:
        """Record a status (and why); returns the message the widget shows."""
        from archkit.security.triage import set_status

        threat = self.report.get(threat_id)
        if threat is None:
            raise ArchkitError(f"no threat {threat_id!r} in this design",
                               hint="pick one from the table")
        set_status(self.folder, threat_id, status, rule=threat.rule, element=threat.element,
                   by=by or None, reason=reason or None, review=review or None)
        self.refresh()
        now = self.report.get(threat_id).status
        note = next((n.message for n in self.report.notes if n.object == threat_id), "")
        self.last_message = f"{threat_id}: {now}" + (f" — {note}" if note else "")
        return self.last_message

    def html(self) -> str:
        head = "".join(f"<th>{h}</th>" for h in
                       ("id", "severity", "status", "STRIDE", "element", "threat", "fix"))
        rows = []
        for t in self.threats:
            cells = [t.id, t.severity, t.status, t.stride, t.element, t.message, t.fix]
            rows.append(f'<tr data-threat="{escape_html(t.id)}" data-status="'
                        f'{escape_html(t.status)}">'
                        + "".join(f"<td>{escape_html(c)}</td>" for c in cells) + "</tr>")
        r = self.report
        summary = (f"<p>{len(r.threats)} threats, {len(r.open)} open, "
                   f"<b>{len(r.open_high)} open high</b> — sorted by {escape_html(self.order)}"
                   "</p>")
        return (summary + '<table class="archkit-threats"><thead><tr>' + head +
                "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


class TriageWidget:
    """ipywidgets front end over a :class:`TriageController`."""

    def __init__(self, controller: TriageController):
        import ipywidgets as w

        self.controller = controller
        self.sort = w.Dropdown(options=list(SORT_KEYS), value=controller.order,
                               description="Sort by")
        self.table = w.HTML(controller.html())
        self.threat = w.Dropdown(options=[t.id for t in controller.threats],
                                 description="Threat")
        self.status = w.Dropdown(options=["open", "mitigated", "accepted", "not-applicable"],
                                 description="Status")
        self.why = w.Text(description="By / reason", placeholder="ADR 0005, or a control")
        self.review = w.Text(description="Review", placeholder="YYYY-MM-DD (accepted)")
        self.save = w.Button(description="Save triage", button_style="primary")
        self.message = w.HTML()
        self.sort.observe(self._on_sort, names="value")
        self.save.on_click(self._on_save)
        self.box = w.VBox([self.sort, self.table,
                           w.HBox([self.threat, self.status]), w.HBox([self.why, self.review]),
                           self.save, self.message])

    def _on_sort(self, change: dict) -> None:
        self.controller.sort(change["new"])
        self.table.value = self.controller.html()

    def _on_save(self, _button: Any = None) -> None:
        status, text = self.status.value, self.why.value.strip()
        try:
            msg = self.controller.triage(
                self.threat.value, status, by=text if status == "mitigated" else None,
                reason=text if status in ("accepted", "not-applicable") else None,
                review=self.review.value.strip() or None)
        except ArchkitError as err:
            msg = f"error: {err}"
        self.message.value = escape_html(msg)
        self.table.value = self.controller.html()

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def triage_widget(folder: str | Path, today: dt.date | None = None) -> TriageWidget:
    """The widget over the design folder ``folder`` (it writes security/threats.yaml there)."""
    return TriageWidget(TriageController(folder, today))
