"""The one place archkit talks to Claude: options, criteria and pros/cons for a decision.

Usage::

    from archkit.llm import suggest_options
    s = suggest_options("Kafka or RabbitMQ for the order pipeline?", context="8 engineers")
    s.source     # "claude", or "catalogue" when Claude could not be used
    s.message    # one line saying which, and why
    s.decision   # an archkit.brainstorm Decision, validated

Offline first: without ``ANTHROPIC_API_KEY`` — or when the network, the API or the
answer fails in any way — the same call returns the built-in catalogue's answer and
says why in one line; it never raises for those. The model is :data:`DEFAULT_MODEL`
unless ``ARCHKIT_CLAUDE_MODEL`` names another. Timeouts and retries are set here;
tests inject an ``httpx2.Client`` with a mock transport (the SDK uses ``httpx2``).
The API key is read from the environment (or passed in), handed to the SDK, and
never printed, logged, stored on a result or written anywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archkit.errors import ArchkitError

if TYPE_CHECKING:
    from archkit.brainstorm.catalogue import Catalogue
    from archkit.brainstorm.decision import Decision

__all__ = [
    "DECISION_TOOL",
    "DEFAULT_MODEL",
    "MODEL_ENV",
    "AssistFailure",
    "Suggestion",
    "decision_from_tool_input",
    "make_client",
    "model_name",
    "suggest_options",
]

DEFAULT_MODEL = "claude-sonnet-5-5"
MODEL_ENV = "ARCHKIT_CLAUDE_MODEL"
KEY_ENV = "ANTHROPIC_API_KEY"
TIMEOUT_S = 60.0  # whole request
CONNECT_TIMEOUT_S = 5.0
MAX_RETRIES = 2  # the SDK retries connection errors, 408, 409, 429 and 5xx with backoff
MAX_TOKENS = 4096

TOOL_NAME = "record_decision_options"
DECISION_TOOL: dict[str, Any] = {
    "name": TOOL_NAME,
    "description": (
        "Record the options, weighted criteria, 1-5 scores and pros/cons for one "
        "architecture decision."
    ),
    "input_schema": {
        "type": "object",
        "properties": {
            "title": {"type": "string", "description": "Short title of the decision"},
            "criteria": {
                "type": "array",
                "minItems": 2,
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "weight": {"type": "number", "minimum": 0, "maximum": 5},
                        "description": {"type": "string"},
                    },
                    "required": ["name", "weight"],
                },
            },
            "options": {
                "type": "array",
                "minItems": 2,
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "summary": {"type": "string"},
                        "scores": {
                            "type": "object",
                            "description": "criterion name -> score, 1 (worst) to 5 (best)",
                            "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 5},
                        },
                        "pros": {"type": "array", "items": {"type": "string"}},
                        "cons": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["name", "scores", "pros", "cons"],
                },
            },
        },
        "required": ["criteria", "options"],
    },
}

SYSTEM_PROMPT = (
    "You help a software team compare approaches for one backend architecture decision. "
    "Propose two to four realistic options, four to six criteria with weights from 0 to 5 "
    "that reflect the stated context, a score from 1 (worst) to 5 (best) for every option "
    "on every criterion (for cost-like criteria, 5 means cheapest or lightest), and concrete "
    f"pros and cons. Answer only by calling the {TOOL_NAME} tool."
)


def model_name() -> str:
    """The Claude model to use: ``$ARCHKIT_CLAUDE_MODEL`` or :data:`DEFAULT_MODEL`."""
    return os.environ.get(MODEL_ENV, "").strip() or DEFAULT_MODEL


class AssistFailure(Exception):
    """Why the assist could not give an answer, as one line (never contains the key)."""


@dataclass(slots=True)
class Suggestion:
    """What the assist returned: a decision, where it came from, and a one-line message."""

    decision: Decision | None
    source: str  # "claude", "catalogue", or "none" when nothing matched
    message: str
    model: str | None = None
    catalogue_id: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def from_claude(self) -> bool:
        return self.source == "claude"

    def __str__(self) -> str:
        return self.message

    def _repr_markdown_(self) -> str:
        from archkit.display import escape_markdown

        head = f"*{escape_markdown(self.message)}*"
        return head + ("\n\n" + self.decision.to_markdown() if self.decision else "")


def make_client(
    *,
    api_key: str | None = None,
    http_client: Any = None,
    timeout: float = TIMEOUT_S,
    max_retries: int = MAX_RETRIES,
) -> Any:
    """An ``anthropic.Anthropic`` client with archkit's timeouts and retries.

    Raises :class:`AssistFailure` when there is no key.
    """
    key = api_key or os.environ.get(KEY_ENV, "").strip()
    if not key:
        raise AssistFailure(f"no {KEY_ENV} set")
    try:
        import anthropic
        import httpx2
    except ImportError as err:
        raise AssistFailure(f"the anthropic SDK is not installed ({err.name})") from err
    try:
        return anthropic.Anthropic(
            api_key=key,
            http_client=http_client,
            timeout=httpx2.Timeout(timeout, connect=min(CONNECT_TIMEOUT_S, timeout)),
            max_retries=max_retries,
        )
    except TypeError as err:  # e.g. an httpx.Client, which this SDK does not accept
        raise ArchkitError(
            f"cannot build the Claude client: {err}",
            hint="pass an httpx2.Client (the anthropic SDK uses httpx2, not httpx)",
        ) from err


def suggest_options(
    question: str,
    context: str = "",
    *,
    api_key: str | None = None,
    http_client: Any = None,
    client: Any = None,
    timeout: float = TIMEOUT_S,
    max_retries: int = MAX_RETRIES,
    catalogue: Catalogue | None = None,
) -> Suggestion:
    """Ask Claude for options, criteria and pros/cons; fall back to the catalogue on any failure."""
    if not str(question or "").strip():
        raise ArchkitError("the assist needs a question", hint="e.g. 'Kafka or RabbitMQ?'")
    model = model_name()
    try:
        claude = client or make_client(
            api_key=api_key, http_client=http_client, timeout=timeout, max_retries=max_retries
        )
        decision = _ask(claude, model, question, context)
    except AssistFailure as failure:
        secret = api_key or os.environ.get(KEY_ENV, "")
        return _fallback(question, context, _redact(str(failure), secret), catalogue, model)
    return Suggestion(decision, "claude", f"Options suggested by Claude ({model}).", model=model)


def _ask(client: Any, model: str, question: str, context: str) -> Decision:
    """One Messages API call with forced tool use; every failure becomes AssistFailure."""
    import anthropic

    prompt = f"Decision to make: {question.strip()}"
    if context.strip():
        prompt += f"\n\nContext:\n{context.strip()}"
    try:
        message = client.messages.create(
            model=model,
            max_tokens=MAX_TOKENS,
            system=SYSTEM_PROMPT,
            tools=[DECISION_TOOL],
            tool_choice={"type": "tool", "name": TOOL_NAME},
            messages=[{"role": "user", "content": prompt}],
        )
    except anthropic.APITimeoutError as err:
        raise AssistFailure("the request to Claude timed out") from err
    except anthropic.APIConnectionError as err:
        raise AssistFailure("could not reach the Claude API (network down or blocked)") from err
    except anthropic.AuthenticationError as err:
        raise AssistFailure("the API key was rejected (401)") from err
    except anthropic.PermissionDeniedError as err:
        raise AssistFailure("the API key may not use this model (403)") from err
    except anthropic.RateLimitError as err:
        raise AssistFailure("rate limited by the Claude API (429); try again later") from err
    except anthropic.APIStatusError as err:
        reason = _status_reason(err)
        raise AssistFailure(f"the Claude API answered {err.status_code}{reason}") from err
    except anthropic.APIResponseValidationError as err:
        raise AssistFailure("the Claude API sent a response archkit could not read") from err
    except anthropic.APIError as err:
        raise AssistFailure(f"the Claude API call failed ({type(err).__name__})") from err
    except Exception as err:  # the edge of an external SDK: report, never a traceback in a cell
        kind = type(err).__name__
        raise AssistFailure(f"unexpected error in the Claude client ({kind})") from err

    if not hasattr(message, "content"):  # a 200 whose body is not a Messages API JSON object
        raise AssistFailure("the Claude API sent a response archkit could not read")
    stop = getattr(message, "stop_reason", None)
    if stop == "refusal":
        raise AssistFailure("Claude declined to answer this question (refusal)")
    if stop == "max_tokens":
        raise AssistFailure("Claude's answer was cut off before it was complete (max_tokens)")
    blocks = [b for b in message.content or [] if getattr(b, "type", None) == "tool_use"]
    block = next((b for b in blocks if getattr(b, "name", None) == TOOL_NAME), None)
    if block is None:
        raise AssistFailure(f"Claude answered without calling the {TOOL_NAME} tool")
    return decision_from_tool_input(block.input, question, context)


def _status_reason(err: Any) -> str:
    body = getattr(err, "body", None)
    detail = body.get("error", {}) if isinstance(body, dict) else {}
    text = detail.get("message") if isinstance(detail, dict) else None
    return f": {' '.join(str(text).split())[:120]}" if text else ""


def decision_from_tool_input(data: Any, question: str, context: str = "") -> Decision:
    """Validate the tool's JSON into a Decision; malformed or partial input raises AssistFailure."""
    from archkit.brainstorm.decision import Criterion, Decision, Option

    if not isinstance(data, dict):
        raise AssistFailure("Claude's answer was malformed (tool input is not an object)")
    crit_in, opt_in = data.get("criteria"), data.get("options")
    if not isinstance(crit_in, list) or not isinstance(opt_in, list):
        missing = [k for k in ("criteria", "options") if not isinstance(data.get(k), list)]
        raise AssistFailure(f"Claude's answer was incomplete (no {' or '.join(missing)})")
    if len(crit_in) < 1 or len(opt_in) < 2:
        raise AssistFailure(
            f"Claude's answer was incomplete ({len(crit_in)} criteria, {len(opt_in)} options)"
        )
    try:
        criteria = [
            Criterion(str(c["name"]), c.get("weight", 1), str(c.get("description") or ""))
            for c in crit_in
        ]
        names = [c.name for c in criteria]
        options = []
        for o in opt_in:
            scores = o.get("scores")
            if not isinstance(scores, dict):
                raise AssistFailure(f"Claude's answer was incomplete (no scores for {o['name']!r})")
            missing = [n for n in names if n not in scores]
            if missing:
                raise AssistFailure(
                    f"Claude's answer was incomplete ({o['name']!r} has no score for "
                    f"{missing[0]!r})"
                )
            options.append(
                Option(
                    str(o["name"]),
                    {n: scores[n] for n in names},
                    str(o.get("summary") or ""),
                    [str(p) for p in o.get("pros") or []],
                    [str(p) for p in o.get("cons") or []],
                )
            )
        return Decision(
            question=question,
            criteria=criteria,
            options=options,
            context=context,
            title=str(data.get("title") or ""),
            source=f"suggested by Claude ({model_name()}); check before relying on it",
        )
    except AssistFailure:
        raise
    except ArchkitError as err:
        raise AssistFailure(f"Claude's answer did not validate ({err.message})") from err
    except (KeyError, TypeError, AttributeError, ValueError) as err:
        raise AssistFailure(f"Claude's answer was malformed ({type(err).__name__}: {err})") from err


def _redact(text: str, secret: str) -> str:
    text = " ".join(text.split())  # one line
    return text.replace(secret, "***") if secret and len(secret) >= 4 else text


def _fallback(
    question: str, context: str, reason: str, catalogue: Catalogue | None, model: str
) -> Suggestion:
    from archkit.brainstorm.catalogue import load_catalogue

    catalogue = catalogue or load_catalogue()
    entry = catalogue.match(question, context)
    if entry is None:
        return Suggestion(
            None,
            "none",
            f"Claude assist unavailable: {reason}. No catalogue entry matches this question; "
            f"start from one of: {', '.join(catalogue.ids)}.",
            model=model,
            problems=[reason],
        )
    return Suggestion(
        entry.to_decision(context=context, question=question),
        "catalogue",
        f"Claude assist unavailable: {reason}. Showing the built-in catalogue entry "
        f"'{entry.id}' instead.",
        model=model,
        catalogue_id=entry.id,
        problems=[reason],
    )
