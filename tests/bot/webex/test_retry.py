"""WebexClient's retry policy against the emulator's injected faults, and what it logs.

The injected dependency is ``sleep``: a list's ``append`` records every wait instead of
sleeping, so the waits themselves are what the tests check.
"""

from __future__ import annotations

import logging
import socket
import time
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from webexpythonsdk import WebexAPI

from bot.webex.client import WebexClient
from bot.webex.errors import RetryPolicy, WebexError
from emulator.server import ServerHandle
from handlers.reply import Reply

POLICY = RetryPolicy(attempts=4, base_delay=0.5, max_delay=30.0, max_retry_after=60.0)


def client(
    emulator: ServerHandle, waits: list[float], *, timeout: float = 20.0, api_url: str = ""
) -> WebexClient:
    token = emulator.context.config.bot_token
    return WebexClient(
        token, api_url or emulator.api_url, retry=POLICY, timeout=timeout, sleep=waits.append
    )


def fault(emulator: ServerHandle, **spec: Any) -> None:
    answer = requests.post(emulator.url + "/_emulator/faults", json=spec, timeout=5)
    assert answer.status_code == 200, answer.text


def bot_messages(emulator: ServerHandle) -> list[dict[str, Any]]:
    state = requests.get(emulator.url + "/_emulator/state", timeout=5).json()
    return [m for m in state["messages"] if m["personEmail"] == "statusbot@webex.bot"]


@pytest.fixture
def room(emulator: ServerHandle) -> str:
    alice = WebexAPI(access_token="ALICE_TOKEN", base_url=emulator.api_url)
    room_id = str(alice.rooms.create("Retries").id)
    alice.memberships.create(roomId=room_id, personEmail="statusbot@webex.bot")
    return room_id


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_429_waits_retry_after_then_succeeds(emulator: ServerHandle, room: str) -> None:
    waits: list[float] = []
    fault(emulator, path="/v1/messages", method="POST", status=429, retry_after=2, count=2)
    message_id = client(emulator, waits).send(room, Reply(markdown="hello"))
    assert waits == [2.0, 2.0]
    assert [m["id"] for m in bot_messages(emulator)] == [message_id]


def test_429_longer_than_max_retry_after_fails_at_once(emulator: ServerHandle) -> None:
    waits: list[float] = []
    fault(emulator, path="/v1/people/me", status=429, retry_after=3600, count=1)
    with pytest.raises(WebexError) as failed:
        client(emulator, waits).me()
    assert waits == []
    assert failed.value.status_code == 429
    assert failed.value.retryable and failed.value.retry_after == 3600
    assert failed.value.tracking_id


def test_a_503_burst_is_retried_with_bounded_backoff(emulator: ServerHandle) -> None:
    waits: list[float] = []
    fault(emulator, path="/v1/people/me", status=503, count=3)
    assert client(emulator, waits).me().emails == ("statusbot@webex.bot",)
    assert len(waits) == 3
    for attempt, wait in enumerate(waits, start=1):
        ceiling = min(POLICY.max_delay, POLICY.base_delay * 2 ** (attempt - 1))
        assert ceiling / 2 <= wait <= ceiling


def test_a_burst_longer_than_the_attempts_is_a_retryable_error(emulator: ServerHandle) -> None:
    waits: list[float] = []
    fault(emulator, path="/v1/people/me", status=503, count=10)
    with pytest.raises(WebexError) as failed:
        client(emulator, waits).me()
    assert len(waits) == POLICY.attempts - 1
    error = failed.value
    assert error.retryable and error.status_code == 503 and error.tracking_id
    assert not error.ambiguous  # a GET has no effect to worry about
    assert error.reason == "get me: HTTP 503 (Injected fault: HTTP 503.)"


def test_a_404_fails_at_once_and_is_not_retryable(emulator: ServerHandle) -> None:
    waits: list[float] = []
    with pytest.raises(WebexError) as failed:
        client(emulator, waits).message("no-such-message")
    assert waits == []
    assert failed.value.status_code == 404
    assert not failed.value.retryable
    assert failed.value.tracking_id


def test_a_stalled_request_times_out_and_is_retried(emulator: ServerHandle) -> None:
    waits: list[float] = []
    fault(emulator, path="/v1/people/me", stall_seconds=3, count=1)
    assert client(emulator, waits, timeout=0.5).me().display_name == "Statusbot"
    assert len(waits) == 1  # the stalled attempt timed out and the second one answered


def test_a_timed_out_post_may_have_posted_so_retrying_it_can_post_twice(
    emulator: ServerHandle, room: str
) -> None:
    """Why ``retry_ambiguous`` exists: Webex has no idempotency key for messages."""
    fault(emulator, path="/v1/messages", method="POST", stall_seconds=2, count=1)
    client(emulator, [], timeout=1).send(room, Reply(markdown="once?"))
    deadline = time.monotonic() + 5
    while len(bot_messages(emulator)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)  # the stalled request goes on after the client gave up
    assert [m["markdown"] for m in bot_messages(emulator)] == ["once?", "once?"]


def test_at_most_once_send_reports_an_ambiguous_timeout_instead_of_retrying(
    emulator: ServerHandle, room: str
) -> None:
    waits: list[float] = []
    fault(emulator, path="/v1/messages", method="POST", stall_seconds=2, count=1)
    with pytest.raises(WebexError) as failed:
        client(emulator, waits, timeout=1).send(room, Reply(markdown="once"), retry_ambiguous=False)
    assert waits == []
    assert failed.value.ambiguous and failed.value.retryable
    assert failed.value.reason == "post message: timeout"


@pytest.mark.parametrize("status", [429, 503])
def test_at_most_once_send_still_retries_what_was_surely_not_posted(
    emulator: ServerHandle, room: str, status: int
) -> None:
    """A 429 or a 503 means Webex did not take the request: retrying cannot post twice."""
    waits: list[float] = []
    fault(emulator, path="/v1/messages", method="POST", status=status, retry_after=1, count=1)
    client(emulator, waits).send(room, Reply(markdown="once"), retry_ambiguous=False)
    assert len(waits) == 1
    assert len(bot_messages(emulator)) == 1


@pytest.mark.parametrize("status", [500, 502, 504])
def test_at_most_once_send_stops_at_a_server_error_that_may_hide_a_post(
    emulator: ServerHandle, room: str, status: int
) -> None:
    waits: list[float] = []
    fault(emulator, path="/v1/messages", method="POST", status=status, count=1)
    with pytest.raises(WebexError) as failed:
        client(emulator, waits).send(room, Reply(markdown="once"), retry_ambiguous=False)
    assert waits == []
    assert failed.value.ambiguous and failed.value.status_code == status


def test_an_unreachable_api_is_retried_then_retryable(emulator: ServerHandle) -> None:
    waits: list[float] = []
    dead = f"http://127.0.0.1:{closed_port()}/v1/"
    with pytest.raises(WebexError) as failed:
        client(emulator, waits, api_url=dead).me()
    assert len(waits) == POLICY.attempts - 1
    assert failed.value.retryable and failed.value.status_code is None
    assert failed.value.reason == "get me: connection error"


def test_backoff_is_capped_and_jittered() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=30.0)
    assert policy.backoff(1, 0.0) == 0.25 and policy.backoff(1, 1.0) == 0.5
    assert policy.backoff(4, 0.5) == pytest.approx(3.0)
    assert all(policy.backoff(n, 1.0) <= 30.0 for n in range(1, 60))
    with pytest.raises(ValueError):
        RetryPolicy(attempts=0)


def test_the_token_never_reaches_logs_or_errors(
    emulator: ServerHandle, room: str, caplog: pytest.LogCaptureFixture
) -> None:
    token = emulator.context.config.bot_token
    errors: list[WebexError] = []
    caplog.set_level(logging.DEBUG)  # root: urllib3, requests and the SDK included
    for name in ("urllib3", "requests", "webexpythonsdk", "statusbot.webex"):
        caplog.set_level(logging.DEBUG, logger=name)  # restored after the test
    webex = client(emulator, [], timeout=1)
    webex.me()
    webex.send(room, Reply(markdown="a reply"))
    fault(emulator, path="/v1/people/me", status=503, count=10)
    fault(emulator, path="/v1/messages/*", status=429, retry_after=999, count=1)
    fault(emulator, path="/v1/rooms/*", stall_seconds=2, count=5)
    for failing in (
        webex.me,
        lambda: webex.message("whatever"),
        lambda: webex.message("no-such-message"),
        lambda: webex.list_recent_bot_messages(room, datetime.now(UTC)),
        client(emulator, [], api_url=f"http://127.0.0.1:{closed_port()}/v1/").me,
    ):
        with pytest.raises(WebexError) as failed:
            failing()
        errors.append(failed.value)
    assert {e.status_code for e in errors} == {503, 429, 404, None}
    assert any("HTTP" in r.getMessage() for r in caplog.records)  # there were logs to check
    assert any(r.name.startswith("urllib3") for r in caplog.records)
    for record in caplog.records:
        assert token not in record.getMessage()
    assert token not in caplog.text
    for error in errors:
        assert token not in f"{error} {error!r} {error.reason} {error.args}"
        assert error.__cause__ is None and error.__suppress_context__
