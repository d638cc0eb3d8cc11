"""The answer of a workshop check cell: what is right, what is wrong, and a next step.

Usage::

    result = CheckResult("api_style_decision")
    result.expect(len(options) >= 2, "at least two options", "add a second option")
    result   # PASS / MISSING lines, in words and colour as well as ✅ / ❌
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archkit.display import escape_markdown

__all__ = ["CheckResult"]


@dataclass(slots=True)
class CheckResult:
    exercise: str
    right: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def expect(self, condition: bool, what: str, fix: str) -> bool:
        """Record ``what`` as right when ``condition`` holds, else ``fix`` as wrong."""
        (self.right if condition else self.wrong).append(what if condition else fix)
        return bool(condition)

    @property
    def passed(self) -> bool:
        return not self.wrong and bool(self.right)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        lines = [f"{self.exercise}: {'all correct' if self.passed else 'not yet'}"]
        lines += [f"  right: {r}" for r in self.right]
        lines += [f"  wrong: {w}" for w in self.wrong]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """PASS / MISSING in words and colour, not only ✅ / ❌ (no emoji font needed)."""
        from archkit.display import escape_html_text

        ok, no = "#1b5e20", "#b71c1c"
        verdict = (f'<b style="color:{ok}">ALL CORRECT</b> — All correct.' if self.passed
                   else f'<b style="color:{no}">NOT YET</b> — Not yet.')
        items = [f'<li><b style="color:{ok}">✅ PASS</b> {escape_html_text(r)}</li>'
                 for r in self.right]
        items += [f'<li><b style="color:{no}">❌ MISSING</b> {escape_html_text(w)}</li>'
                  for w in self.wrong]
        return (f'<div class="archkit-check mathjax_ignore"><p><b>'
                f"{escape_html_text(self.exercise)}</b>: {verdict}</p>"
                f'<ul style="list-style:none;padding-left:0">{"".join(items)}</ul></div>')

    def _repr_markdown_(self) -> str:
        # words as well as symbols: without an emoji font ✅ and ❌ look the same
        head = "✅ **ALL CORRECT** — All correct." if self.passed else "❌ **NOT YET** — Not yet."
        lines = [f"**{escape_markdown(self.exercise)}** — {head}", ""]
        lines += [f"* ✅ PASS: {escape_markdown(r)}" for r in self.right]
        lines += [f"* ❌ MISSING: {escape_markdown(w)}" for w in self.wrong]
        return "\n".join(lines)
