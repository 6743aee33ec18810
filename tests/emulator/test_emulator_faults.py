"""Fault injection and the ``/_emulator/`` controls, seen through the real SDK."""

from __future__ import annotations

import socket
import threading

import pytest
import requests
from webexpythonsdk import WebexAPI
from webexpythonsdk.exceptions import ApiError, RateLimitError

from emulator.server import ServerHandle, config_from_args, main, parse_args
from tests.emulator.emulator_support import ALICE_TOKEN, BOT_EMAIL, sdk


def add_fault(http: requests.Session, emulator: ServerHandle, **spec: object) -> dict:
    answer = http.post(emulator.url + "/_emulator/faults", json=spec)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_rate_limit_with_retry_after_then_recovery(
    emulator: ServerHandle, alice: WebexAPI, http: requests.Session
) -> None:
    room = alice.rooms.create("Busy").id
    add_fault(
        http, emulator, path="/v1/messages", method="POST", status=429, retry_after=3, count=2
    )
    for _ in range(2):
        with pytest.raises(RateLimitError) as limited:
            alice.messages.create(roomId=room, text="hello")
        assert limited.value.retry_after == 3
        assert limited.value.status_code == 429
        assert limited.value.response.headers["Retry-After"] == "3"
        assert limited.value.tracking_id
    assert list(alice.messages.list(roomId=room)) == []  # GET is not affected
    assert alice.messages.create(roomId=room, text="hello").text == "hello"
    faults = http.get(emulator.url + "/_emulator/faults").json()
    assert faults["api"] == []
    # what fired, for which room and which post (a test tells its answers apart by text)
    fired = [(f["status"], f["method"], f["roomId"], f["text"]) for f in faults["fired"]]
    assert fired == [(429, "POST", room, "hello")] * 2


def test_429_gets_a_default_retry_after(
    emulator: ServerHandle, alice: WebexAPI, http: requests.Session
) -> None:
    add_fault(http, emulator, status=429, count=1)
    with pytest.raises(RateLimitError) as limited:
        alice.people.me()
    assert limited.value.response.headers["Retry-After"] == "1"


def test_glob_paths_percent_and_clearing(
    emulator: ServerHandle, alice: WebexAPI, http: requests.Session
) -> None:
    add_fault(http, emulator, path="/v1/rooms*", status=503, percent=100)
    add_fault(http, emulator, path="/v1/people/me", status=500, percent=0)
    for _ in range(3):
        with pytest.raises(ApiError) as unavailable:
            list(alice.rooms.list())
        assert unavailable.value.status_code == 503
    assert alice.people.me().emails == ["alice@example.com"]
    assert http.get(emulator.url + "/_emulator/state").status_code == 200  # never faulted
    assert http.delete(emulator.url + "/_emulator/faults").status_code == 204
    assert list(alice.rooms.list()) == []


def test_a_stall_holds_the_answer_until_released_then_it_is_normal(
    emulator: ServerHandle, alice: WebexAPI, http: requests.Session
) -> None:
    """The stalled request is still waiting once the emulator has taken the fault
    (an ignored stall would have answered), and answers normally when faults are
    cleared; no test waits out the stall itself."""
    add_fault(http, emulator, path="/v1/people/me", stall_seconds=600, count=1)
    answers: list[list[str]] = []
    asking = threading.Thread(target=lambda: answers.append(alice.people.me().emails))
    asking.start()
    while http.get(emulator.url + "/_emulator/faults").json()["api"]:
        asking.join(0.01)  # until the request has reached the emulator and taken the fault
    asking.join(0.2)  # time enough for an answer that was not held
    stalled = asking.is_alive()
    assert http.delete(emulator.url + "/_emulator/faults").status_code == 204
    asking.join(30)
    assert stalled
    assert answers == [["alice@example.com"]]


def test_a_long_stall_times_the_client_out(emulator: ServerHandle, http: requests.Session) -> None:
    add_fault(http, emulator, stall_seconds=30, count=1)
    impatient = WebexAPI(
        access_token=ALICE_TOKEN,
        base_url=emulator.api_url,
        single_request_timeout=1,
        wait_on_rate_limit=False,
    )
    with pytest.raises(requests.exceptions.Timeout):
        impatient.people.me()
    http.delete(emulator.url + "/_emulator/faults")  # wakes the stalled request


@pytest.mark.parametrize(
    "spec",
    [{}, {"status": 200}, {"status": 503, "percent": 150}, {"status": 503, "colour": "red"}],
)
def test_bad_fault_specs_are_refused(
    emulator: ServerHandle, http: requests.Session, spec: dict
) -> None:
    answer = http.post(emulator.url + "/_emulator/faults", json=spec)
    assert answer.status_code == 400 and "error" in answer.json()


def test_reset_keeps_configured_people(
    emulator: ServerHandle, bot: WebexAPI, alice: WebexAPI, http: requests.Session
) -> None:
    bot_id = bot.people.me().id
    alice.messages.create(toPersonEmail=BOT_EMAIL, text="hi")
    http.post(emulator.url + "/_emulator/people", json={"email": "carol@example.com"})
    assert http.post(emulator.url + "/_emulator/reset").json() == {"reset": True}
    assert bot.people.me().id == bot_id
    assert list(bot.rooms.list()) == []
    state = http.get(emulator.url + "/_emulator/state").json()
    assert sorted(p["emails"][0] for p in state["people"]) == [
        "alice@example.com",
        "bob@example.com",
        BOT_EMAIL,
    ]


def test_people_added_at_runtime(emulator: ServerHandle, http: requests.Session) -> None:
    answer = http.post(
        emulator.url + "/_emulator/people",
        json={"email": "dana.lee@example.com", "token": "DANA"},
    )
    assert answer.status_code == 200
    assert answer.json()["displayName"] == "Dana Lee"
    dana = sdk(emulator, "DANA")
    assert dana.people.me().firstName == "Dana"
    again = http.post(emulator.url + "/_emulator/people", json={"email": "dana.lee@example.com"})
    assert again.status_code == 400


def test_state_dump(emulator: ServerHandle, alice: WebexAPI, http: requests.Session) -> None:
    sent = alice.messages.create(toPersonEmail=BOT_EMAIL, text="hi")
    state = http.get(emulator.url + "/_emulator/state").json()
    assert [m["text"] for m in state["messages"]] == ["hi"]
    assert len(state["rooms"][0]["memberIds"]) == 2
    assert state["rooms"][0]["id"] == sent.roomId
    assert {"people", "webhooks", "faults", "deliveries", "lastEventSeq"} <= set(state)


def test_event_log_for_the_playground(
    emulator: ServerHandle, alice: WebexAPI, http: requests.Session
) -> None:
    url = emulator.url + "/_emulator/events"
    sent = alice.messages.create(toPersonEmail=BOT_EMAIL, text="hi")
    first = http.get(url, params={"since": 0}).json()
    kinds = [(e["resource"], e["event"]) for e in first["events"]]
    assert kinds == [
        ("rooms", "created"),
        ("memberships", "created"),
        ("memberships", "created"),
        ("messages", "created"),
    ]
    message_event = first["events"][-1]
    assert message_event["data"]["text"] == "hi" and message_event["data"]["id"] == sent.id
    assert first["last"] == message_event["seq"]
    assert http.get(url, params={"since": first["last"]}).json()["events"] == []

    poller: dict = {}
    waiting = threading.Thread(
        target=lambda: poller.update(
            http.get(url, params={"since": first["last"], "wait": 10}).json()
        )
    )
    waiting.start()
    alice.messages.create(roomId=sent.roomId, text="second")
    waiting.join(timeout=15)
    assert [e["data"]["text"] for e in poller["events"]] == ["second"]


def test_command_line_arguments() -> None:
    args = parse_args(
        [
            "--port",
            "9100",
            "--bot-token",
            "T",
            "--bot-email",
            "sb@webex.bot",
            "--bot-name",
            "Status Bot",
            "--user",
            "alice@example.com=A",
            "--user",
            "bob@example.com=B",
        ]
    )
    config = config_from_args(args)
    assert (args.host, args.port) == ("127.0.0.1", 9100)
    assert (config.bot_token, config.bot_email, config.bot_name) == (
        "T",
        "sb@webex.bot",
        "Status Bot",
    )
    assert config.users == (("alice@example.com", "A"), ("bob@example.com", "B"))
    with pytest.raises(SystemExit):
        parse_args(["--user", "no-token"])


def test_main_reports_a_busy_port() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["--port", str(taken.getsockname()[1])]) == 1
