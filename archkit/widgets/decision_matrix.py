"""The decision-matrix widget: weight and score sliders, live ranking, record as an ADR.

Usage (in a notebook)::

    from archkit.widgets.decision_matrix import decision_widget
    w = decision_widget(decision, adr_folder="../out/decisions")
    w                      # sliders on the left, the live ranking and matrix on the right

    w.controller.set_weight("Latency", 4)    # the same, from code or a test
    w.controller.ranking                     # ['gRPC', 'REST', ...]

All UI logic is in :class:`DecisionMatrixController`, which needs no browser and
no ipywidgets; :class:`DecisionMatrixWidget` only wires ipywidgets to it. The
ranking is an ``<ol class="archkit-ranking">`` with one ``<li data-option="…">``
per option in rank order; weight sliders are ``FloatSlider`` widgets whose
``description`` is the criterion name.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from archkit.brainstorm.decision import MAX_SCORE, MIN_SCORE, Criterion, Decision, Option
from archkit.brainstorm.matrix import Matrix, Sensitivity, evaluate, sensitivity
from archkit.brainstorm.render import (
    SENSITIVITY_HEADERS,
    bars_html,
    matrix_html,
    ranking_html,
    sensitivity_rows,
)
from archkit.display import escape_html, html_table
from archkit.errors import ArchkitError

__all__ = ["DecisionMatrixController", "DecisionMatrixWidget", "decision_widget"]

WEIGHT_MAX = 10.0
WEIGHT_STEP = 0.25
DEFAULT_SCORE = 3


class DecisionMatrixController:
    """Edits one decision and keeps its matrix, ranking and sensitivity current.

    Listeners get ``"values"`` (a weight or score changed) or ``"structure"``
    (an option or criterion was added or removed).
    """

    def __init__(self, decision: Decision, adr_folder: str | Path | None = None):
        self.decision = decision
        self.adr_folder = Path(adr_folder) if adr_folder else None
        self._listeners: list[Callable[[str], None]] = []
        self.matrix: Matrix
        self.sensitivity: list[Sensitivity]
        self.last_message = ""
        self.last_recorded = None
        self._refresh()

    # -- state
    def _refresh(self) -> None:
        self.matrix = evaluate(self.decision)
        self.sensitivity = sensitivity(self.decision, self.matrix)

    def on_change(self, callback: Callable[[str], None]) -> None:
        self._listeners.append(callback)

    def _changed(self, kind: str) -> None:
        self._refresh()
        for callback in list(self._listeners):
            callback(kind)

    @property
    def ranking(self) -> list[str]:
        return self.matrix.ranking

    @property
    def winner(self) -> str | None:
        return self.matrix.winner

    # -- edits
    def set_weight(self, criterion: str, weight: float) -> None:
        crit = self.decision.criterion(criterion)
        new = Criterion(crit.name, weight, crit.description)  # validates (>= 0, finite)
        if new.weight != crit.weight:
            crit.weight = new.weight
            self._changed("values")

    def set_score(self, option: str, criterion: str, score: int) -> None:
        opt = self.decision.option(option)
        self.decision.criterion(criterion)
        checked = Option(opt.name, {criterion: score}).scores[criterion]  # validates 1–5
        if opt.scores.get(criterion) != checked:
            opt.scores[criterion] = checked
            self._changed("values")

    def add_option(self, name: str, scores: dict[str, int] | None = None) -> None:
        name = name.strip()
        if name in self.decision.option_names:
            raise ArchkitError(f"there is already an option {name!r}", hint="pick another name")
        filled = {c: DEFAULT_SCORE for c in self.decision.criterion_names} | dict(scores or {})
        self.decision.options.append(Option(name, filled))
        self._changed("structure")

    def remove_option(self, name: str) -> None:
        opt = self.decision.option(name)
        if len(self.decision.options) == 1:
            raise ArchkitError("a decision keeps at least one option", hint="add another first")
        self.decision.options.remove(opt)
        self._changed("structure")

    def add_criterion(self, name: str, weight: float = 1.0, score: int = DEFAULT_SCORE) -> None:
        crit = Criterion(name, weight)
        if crit.name in self.decision.criterion_names:
            raise ArchkitError(f"there is already a criterion {crit.name!r}",
                               hint="pick another name")
        for opt in self.decision.options:
            opt.scores[crit.name] = Option(opt.name, {crit.name: score}).scores[crit.name]
        self.decision.criteria.append(crit)
        self._changed("structure")

    def remove_criterion(self, name: str) -> None:
        crit = self.decision.criterion(name)
        self.decision.criteria.remove(crit)
        for opt in self.decision.options:
            opt.scores.pop(crit.name, None)
        self._changed("structure")

    # -- views
    def ranking_html(self) -> str:
        return ranking_html(self.matrix)

    def ranking_view_html(self) -> str:
        """The live ranking, its bars and the verdict: what sits next to the sliders."""
        m = self.matrix
        close = ' class="archkit-close-call"' if m.close_call else ""
        return (
            '<div class="archkit-decision-ranking">' + self.ranking_html() + bars_html(m)
            + f"<p{close}><b>{escape_html(m.verdict())}</b></p></div>"
        )

    def details_html(self) -> str:
        """The matrix, notes and sensitivity table: what sits below the sliders."""
        m = self.matrix
        parts = [matrix_html(m), *(f"<p><i>{escape_html(n)}</i></p>" for n in m.notes)]
        if len(m.rows) > 1 and self.decision.criteria:
            parts.append("<p><b>Sensitivity</b> (one weight moved, the others fixed)</p>")
            parts.append(html_table(SENSITIVITY_HEADERS, sensitivity_rows(self.sensitivity)))
        return '<div class="archkit-decision-details">' + "".join(parts) + "</div>"

    def view_html(self) -> str:
        """Everything the widget shows, as one HTML fragment."""
        return self.ranking_view_html() + self.details_html()

    # -- record
    def record(self, folder: str | Path | None = None, date: str | None = None) -> str:
        """Record the decision as shown; returns a one-line message (see widgets.record).

        A proposed, unedited ADR is rewritten; an accepted or edited one is superseded by
        a new ADR, linked both ways. The outcome is kept in ``last_recorded``.
        """
        from archkit.widgets.record import record_shown

        target = Path(folder) if folder else self.adr_folder
        if target is None:
            raise ArchkitError("no folder to record the decision in",
                               hint="pass adr_folder= to the widget or a folder to record()")
        self.last_recorded = record_shown(self.decision, target, date=date)
        self.last_message = self.last_recorded.message
        return self.last_message


class DecisionMatrixWidget:
    """ipywidgets over a :class:`DecisionMatrixController` (built on first use of ipywidgets)."""

    def __init__(self, controller: DecisionMatrixController):
        import ipywidgets as W

        self._W = W
        self.controller = controller
        self._syncing = False
        d = controller.decision
        self.title = W.HTML(f"<h4>{escape_html(d.title)}</h4><p>{escape_html(d.question)}</p>")
        self.view = W.HTML(controller.ranking_view_html(), layout=W.Layout(flex="1 1 auto"))
        self.details = W.HTML(controller.details_html())
        self.weights_box = W.VBox()
        self.scores_box = W.VBox()
        self.weight_sliders: dict[str, Any] = {}
        self.score_sliders: dict[tuple[str, str], Any] = {}
        self.new_option = W.Text(placeholder="new option name")
        self.new_criterion = W.Text(placeholder="new criterion name")
        self.remove_choice = W.Dropdown(description="remove")
        add_opt = W.Button(description="add option", icon="plus")
        add_crit = W.Button(description="add criterion", icon="plus")
        remove = W.Button(description="remove", icon="trash")
        self.folder = W.Text(value=str(controller.adr_folder or ""), description="ADR folder")
        record = W.Button(description="record decision", button_style="success", icon="save")
        self.status = W.HTML()
        add_opt.on_click(lambda _b: self._guard(self._add_option))
        add_crit.on_click(lambda _b: self._guard(self._add_criterion))
        remove.on_click(lambda _b: self._guard(self._remove))
        record.on_click(lambda _b: self._guard(self._record))
        self.scores = W.Accordion(children=[self.scores_box], titles=("Scores (1–5, 5 best)",))
        self.box = W.VBox([
            self.title,
            W.HBox([
                W.VBox([W.HTML("<b>Weights</b>"), self.weights_box],
                       layout=W.Layout(flex="0 0 auto")),
                self.view,
            ]),
            self.details,
            self.scores,
            W.HBox([self.new_option, add_opt, self.new_criterion, add_crit]),
            W.HBox([self.remove_choice, remove]),
            W.HBox([self.folder, record]),
            self.status,
        ])
        self._build_sliders()
        controller.on_change(self._on_change)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.box._repr_mimebundle_(**kwargs)

    # -- building
    def _build_sliders(self) -> None:
        W, c = self._W, self.controller
        for slider in [*self.weight_sliders.values(), *self.score_sliders.values()]:
            slider.close()
        self.weight_sliders, self.score_sliders = {}, {}
        for crit in c.decision.criteria:
            s = W.FloatSlider(value=crit.weight, min=0.0, max=max(WEIGHT_MAX, crit.weight),
                              step=WEIGHT_STEP, description=crit.name, readout_format=".2f",
                              style={"description_width": "150px"},
                              layout=W.Layout(width="380px"))
            s.observe(lambda ch, name=crit.name: self._slid(c.set_weight, name, ch["new"]),
                      names="value")
            self.weight_sliders[crit.name] = s
        rows = []
        for opt in c.decision.options:
            for crit in c.decision.criteria:
                s = W.IntSlider(value=opt.scores[crit.name], min=MIN_SCORE, max=MAX_SCORE,
                                description=f"{opt.name} × {crit.name}",
                                style={"description_width": "260px"},
                                layout=W.Layout(width="480px"))
                s.observe(lambda ch, o=opt.name, k=crit.name:
                          self._slid(c.set_score, o, k, ch["new"]), names="value")
                self.score_sliders[(opt.name, crit.name)] = s
                rows.append(s)
        self.weights_box.children = list(self.weight_sliders.values())
        self.scores_box.children = rows
        self.remove_choice.options = [
            *(f"option: {n}" for n in c.decision.option_names),
            *(f"criterion: {n}" for n in c.decision.criterion_names),
        ]

    # -- events
    def _slid(self, setter: Callable[..., None], *args: Any) -> None:
        if not self._syncing:
            self._guard(lambda: setter(*args))

    def _on_change(self, kind: str) -> None:
        if kind == "structure":
            self._build_sliders()
        else:  # keep sliders in step when the controller is driven from code
            self._syncing = True
            try:
                for crit in self.controller.decision.criteria:
                    self.weight_sliders[crit.name].value = crit.weight
                for (o, k), s in self.score_sliders.items():
                    s.value = self.controller.decision.option(o).scores[k]
            finally:
                self._syncing = False
        self.view.value = self.controller.ranking_view_html()
        self.details.value = self.controller.details_html()

    def _guard(self, action: Callable[[], Any]) -> None:
        try:
            action()
        except (ArchkitError, OSError) as err:  # shown next to the buttons, not as a traceback
            self.status.value = f"<span style='color:#b71c1c'>{escape_html(err)}</span>"

    def _add_option(self) -> None:
        self.controller.add_option(self.new_option.value)
        self.new_option.value = ""

    def _add_criterion(self) -> None:
        self.controller.add_criterion(self.new_criterion.value)
        self.new_criterion.value = ""

    def _remove(self) -> None:
        choice = self.remove_choice.value or ""
        kind, _, name = choice.partition(": ")
        (self.controller.remove_option if kind == "option" else self.controller.remove_criterion)(
            name
        )

    def _record(self) -> None:
        message = self.controller.record(self.folder.value.strip() or None)
        self.status.value = escape_html(message)


def decision_widget(decision: Decision, adr_folder: str | Path | None = None
                    ) -> DecisionMatrixWidget:
    """A live decision matrix for ``decision`` (edits change the decision in place)."""
    return DecisionMatrixWidget(DecisionMatrixController(decision, adr_folder))
