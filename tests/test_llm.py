"""The Claude assist through the real anthropic SDK, with a mock HTTP transport.

No test reaches the network: sockets are blocked, and the SDK's client gets an
``httpx2.Client`` whose transport answers from here (the SDK uses httpx2, not httpx).
"""

from __future__ import annotations

import json
import logging
import socket

import httpx2
import pytest

from archkit import llm
from archkit.brainstorm.catalogue import load_catalogue
from archkit.errors import ArchkitError

KEY = "sk-ant-test-0123456789-SECRET"
QUESTION = "Kafka or RabbitMQ for the order pipeline events?"

TOOL_INPUT = {
    "title": "Broker for order events",
    "criteria": [
        {"name": "Ordering", "weight": 4, "description": "per-order ordering"},
        {"name": "Operational load", "weight": 5},
        {"name": "Replay", "weight": 2},
    ],
    "options": [
        {"name": "Kafka", "summary": "log", "scores": {"Ordering": 5, "Operational load": 2,
                                                      "Replay": 5},
         "pros": ["replay"], "cons": ["more to run"]},
        {"name": "RabbitMQ", "scores": {"Ordering": 3, "Operational load": 4, "Replay": 2},
         "pros": ["routing"], "cons": ["no replay"]},
    ],
}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to open a real network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv(llm.MODEL_ENV, raising=False)


def message(content, stop_reason="tool_use") -> dict:
    return {
        "id": "msg_01", "type": "message", "role": "assistant", "model": llm.DEFAULT_MODEL,
        "content": content, "stop_reason": stop_reason, "stop_sequence": None,
        "usage": {"input_tokens": 120, "output_tokens": 300},
    }


def tool_use(data) -> dict:
    return message([{"type": "tool_use", "id": "toolu_01", "name": llm.TOOL_NAME, "input": data}])


class Recorder:
    """A mock transport: answers each request with the next canned reply, and keeps requests."""

    def __init__(self, *replies):
        self.replies = list(replies)
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        reply = self.replies[min(len(self.requests), len(self.replies)) - 1]
        if isinstance(reply, Exception):
            raise reply
        return reply

    def client(self) -> httpx2.Client:
        return httpx2.Client(transport=httpx2.MockTransport(self))


def ask(recorder: Recorder, **kwargs) -> llm.Suggestion:
    kwargs.setdefault("api_key", KEY)
    kwargs.setdefault("max_retries", 0)
    return llm.suggest_options(QUESTION, "Eight engineers", http_client=recorder.client(), **kwargs)


def test_tool_use_answer_becomes_a_validated_decision():
    rec = Recorder(httpx2.Response(200, json=tool_use(TOOL_INPUT)))
    s = ask(rec)
    assert s.source == "claude" and s.from_claude
    assert s.message == f"Options suggested by Claude ({llm.DEFAULT_MODEL})."
    d = s.decision
    assert d.title == "Broker for order events" and d.question == QUESTION
    assert d.criterion_names == ["Ordering", "Operational load", "Replay"]
    assert d.option("Kafka").scores == {"Ordering": 5, "Operational load": 2, "Replay": 5}
    assert d.option("RabbitMQ").cons == ["no replay"]
    # Kafka (20+10+10)/11 = 3.64, RabbitMQ (12+20+4)/11 = 3.27
    assert d.evaluate().ranking == ["Kafka", "RabbitMQ"]
    body = json.loads(rec.requests[0].content)
    assert body["model"] == llm.DEFAULT_MODEL
    assert body["tool_choice"] == {"type": "tool", "name": llm.TOOL_NAME}
    assert body["tools"][0]["input_schema"]["required"] == ["criteria", "options"]
    assert QUESTION in body["messages"][0]["content"]
    assert "Eight engineers" in body["messages"][0]["content"]
    assert rec.requests[0].url.path == "/v1/messages"


def test_model_name_is_overridable_by_environment(monkeypatch):
    monkeypatch.setenv(llm.MODEL_ENV, "claude-haiku-4-5")
    rec = Recorder(httpx2.Response(200, json=tool_use(TOOL_INPUT)))
    assert ask(rec).model == "claude-haiku-4-5"
    assert json.loads(rec.requests[0].content)["model"] == "claude-haiku-4-5"


def test_default_model_is_not_deprecated_in_the_installed_sdk():
    from anthropic._data import DEPRECATED_MODELS

    assert llm.DEFAULT_MODEL not in DEPRECATED_MODELS


def test_timeouts_and_retries_are_set_on_the_client():
    client = llm.make_client(api_key=KEY, timeout=12, max_retries=3)
    assert client.max_retries == 3
    assert client.timeout.read == 12 and client.timeout.connect == llm.CONNECT_TIMEOUT_S
    default = llm.make_client(api_key=KEY)
    assert default.max_retries == llm.MAX_RETRIES and default.timeout.read == llm.TIMEOUT_S


def test_an_httpx_client_is_refused_with_a_hint():
    httpx = pytest.importorskip("httpx")
    with pytest.raises(ArchkitError, match="httpx2"):
        llm.make_client(api_key=KEY, http_client=httpx.Client())


def error(status: int, kind: str, text: str, **headers) -> httpx2.Response:
    body = {"type": "error", "error": {"type": kind, "message": text}}
    return httpx2.Response(status, json=body, headers=headers)


FAILURES = {
    "network down": (httpx2.ConnectError("Connection refused"),
                     "could not reach the Claude API (network down or blocked)"),
    "timeout": (httpx2.ReadTimeout("timed out"), "the request to Claude timed out"),
    "401": (error(401, "authentication_error", "invalid x-api-key"),
            "the API key was rejected (401)"),
    "429": (error(429, "rate_limit_error", "slow down"),
            "rate limited by the Claude API (429); try again later"),
    "500": (error(500, "api_error", "Internal server error"),
            "the Claude API answered 500: Internal server error"),
    "529 overloaded": (error(529, "overloaded_error", "Overloaded"),
                       "the Claude API answered 529: Overloaded"),
    "refusal": (httpx2.Response(200, json=message([], stop_reason="refusal")),
                "Claude declined to answer this question (refusal)"),
    "text, no tool call": (
        httpx2.Response(200, json=message([{"type": "text", "text": "Use Kafka."}], "end_turn")),
        f"Claude answered without calling the {llm.TOOL_NAME} tool"),
    "malformed scores": (
        httpx2.Response(200, json=tool_use({**TOOL_INPUT, "options": [
            {"name": "Kafka", "scores": {"Ordering": "five", "Operational load": 2, "Replay": 5},
             "pros": [], "cons": []},
            {"name": "SQS", "scores": {"Ordering": 4, "Operational load": 5, "Replay": 1},
             "pros": [], "cons": []}]})),
        "Claude's answer did not validate (option 'Kafka', criterion 'Ordering': "
        "score 'five' is not a whole number)"),
    "malformed input": (httpx2.Response(200, json=tool_use(["not", "an", "object"])),
                        "Claude's answer was malformed (tool input is not an object)"),
    "partial: no options": (
        httpx2.Response(200, json=tool_use({"criteria": TOOL_INPUT["criteria"]})),
        "Claude's answer was incomplete (no options)"),
    "partial: missing score": (
        httpx2.Response(200, json=tool_use({**TOOL_INPUT, "options": [
            TOOL_INPUT["options"][0],
            {"name": "SQS", "scores": {"Ordering": 4}, "pros": [], "cons": []}]})),
        "Claude's answer was incomplete ('SQS' has no score for 'Operational load')"),
    "partial: cut off": (httpx2.Response(200, json={**tool_use({"criteria": []}),
                                                     "stop_reason": "max_tokens"}),
                         "Claude's answer was cut off before it was complete (max_tokens)"),
    "not json": (httpx2.Response(200, text="<html>gateway</html>",
                                 headers={"content-type": "text/html"}),
                 "the Claude API sent a response archkit could not read"),
}


@pytest.mark.parametrize("case", list(FAILURES), ids=list(FAILURES))
def test_each_failure_falls_back_to_the_catalogue_with_one_line(case, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    reply, reason = FAILURES[case]
    rec = Recorder(reply)
    s = ask(rec)
    assert s.source == "catalogue" and not s.from_claude
    assert s.catalogue_id == "messaging"
    assert s.decision.option_names == load_catalogue()["messaging"].option_names
    assert s.decision.question == QUESTION
    assert s.message.startswith("Claude assist unavailable: ")
    assert s.message.endswith("Showing the built-in catalogue entry 'messaging' instead.")
    if reason is not None:
        assert s.problems == [reason]
        assert f"unavailable: {reason}." in s.message
    assert "\n" not in s.message
    assert len(rec.requests) == 1
    out = capsys.readouterr()
    for text in (s.message, repr(s), s._repr_markdown_(), caplog.text, out.out, out.err):
        assert KEY not in text


def test_no_key_falls_back_without_any_request():
    rec = Recorder(httpx2.Response(200, json=tool_use(TOOL_INPUT)))
    s = llm.suggest_options(QUESTION, http_client=rec.client())
    assert s.source == "catalogue" and rec.requests == []
    assert s.message == (
        "Claude assist unavailable: no ANTHROPIC_API_KEY set. "
        "Showing the built-in catalogue entry 'messaging' instead."
    )


def test_key_from_the_environment_is_used_but_never_shown(monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    rec = Recorder(error(401, "authentication_error", f"bad key {KEY}"))
    s = llm.suggest_options(QUESTION, http_client=rec.client(), max_retries=0)
    sent = rec.requests[0].headers
    assert KEY in (sent.get("x-api-key", "") + sent.get("authorization", ""))
    assert s.problems == ["the API key was rejected (401)"]
    assert KEY not in s.message + repr(s) + caplog.text


def test_retries_are_made_and_then_fall_back():
    # retry-after-ms keeps the SDK's backoff at a millisecond.
    busy = error(429, "rate_limit_error", "slow down", **{"retry-after-ms": "1"})
    rec = Recorder(busy, busy, busy)
    s = ask(rec, max_retries=2)
    assert len(rec.requests) == 3
    assert s.source == "catalogue" and "429" in s.message


def test_a_retry_that_succeeds_gives_claude_answer():
    busy = error(503, "api_error", "unavailable", **{"retry-after-ms": "1"})
    rec = Recorder(busy, httpx2.Response(200, json=tool_use(TOOL_INPUT)))
    s = ask(rec, max_retries=1)
    assert s.source == "claude" and len(rec.requests) == 2


def test_question_without_a_catalogue_match_says_so():
    rec = Recorder(httpx2.ConnectError("down"))
    s = llm.suggest_options("Which colour for the logo?", http_client=rec.client(), api_key=KEY,
                            max_retries=0)
    assert s.source == "none" and s.decision is None
    assert "No catalogue entry matches this question" in s.message
    assert "messaging" in s.message


def test_empty_question_is_bad_usage():
    with pytest.raises(ArchkitError, match="needs a question"):
        llm.suggest_options("  ")


def test_an_unexpected_client_error_still_falls_back():
    class Broken:
        class messages:  # noqa: N801 - mimics the SDK's attribute
            @staticmethod
            def create(**kwargs):
                raise RuntimeError(f"boom {KEY}")

    s = llm.suggest_options(QUESTION, client=Broken())
    assert s.source == "catalogue"
    assert s.problems == ["unexpected error in the Claude client (RuntimeError)"]
    assert KEY not in s.message
