"""The fuzz run: the webhook endpoint and card submissions under random input
(hypothesis), over real HTTP with real signatures.

The webhook must answer 200 only to a signed envelope of the right types, 401 to a
forged or missing signature (storing nothing), 400 or 413 to anything else, and
never a 5xx; the bot must never reply to an unsigned event. Every card submission,
whatever its inputs, gets exactly one answer and never trips a bug.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.web.receiver import signature_of
from tests.e2e.conftest import SECRET, Stack
from tests.reliability.conftest import StackFactory
from tests.reliability.helpers import answered, ask
from tests.reliability.traffic import Tally, print_table

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
ids = st.text(min_size=1, max_size=40) | json_values
envelopes = st.fixed_dictionaries(
    {
        "id": ids,
        "resource": st.sampled_from(["messages", "attachmentActions", "memberships", "rooms"])
        | json_values,
        "event": st.sampled_from(["created", "deleted", "updated"]) | json_values,
        "data": st.fixed_dictionaries(
            {"id": ids},
            optional={"roomId": ids, "personId": ids, "roomType": ids, "created": ids},
        )
        | json_values,
    },
    optional={"actorId": ids, "name": json_values},
)
bodies = (
    envelopes.map(lambda e: json.dumps(e).encode())
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.integers(50, 5000).map(lambda n: b"[" * n + b"]" * n)
    | st.integers(10_000, 90_000).map(lambda n: json.dumps({"id": "x" * n}).encode())
    | st.binary(max_size=300)
)
signing = st.sampled_from(["signed", "forged", "missing"])


def test_fuzz_the_webhook_endpoint(make_stack: StackFactory) -> None:
    stack = make_stack()
    statuses: Counter[tuple[str, int]] = Counter()

    @FUZZ
    @given(body=bodies, how=signing)
    def one(body: bytes, how: str) -> None:
        headers = {"Content-Type": "application/json"}
        if how == "signed":
            headers["X-Spark-Signature"] = signature_of(body, SECRET.encode())
        elif how == "forged":
            headers["X-Spark-Signature"] = signature_of(body, b"not-the-secret-0123456789")
        answer = requests.post(stack.bot.webhook_url, data=body, headers=headers, timeout=30)
        statuses[(how, answer.status_code)] += 1
        assert answer.status_code < 500, answer.text
        if how != "signed":
            assert answer.status_code in (401, 413)
        else:
            assert answer.status_code in (200, 400, 413)

    before = _stored(stack)
    one()
    stack.settle()
    unsigned = sum(n for (how, _), n in statuses.items() if how != "signed")
    assert _stored(stack) - before <= sum(n for (how, code), n in statuses.items() if code == 200)
    state = stack.admin("GET", "/state")
    bot_id = stack.bot.service.identity.id
    replies = [m for m in state["messages"] if m["personId"] == bot_id]
    assert replies == [], "the bot replied to a fuzzed event"
    row = Tally("fuzz: webhook", deliveries=sum(statuses.values()), refused=unsigned)
    print_table([row])
    print("   statuses:", dict(statuses))


def test_fuzz_card_submissions(make_stack: StackFactory) -> None:
    stack = make_stack()
    listing = ask(stack, "show all customers")
    answered(stack, listing.id)
    (card,) = stack.bot_messages(listing.roomId)
    submitted: list[str] = []

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        inputs=st.dictionaries(st.text(max_size=12), json_values, max_size=6)
        | st.fixed_dictionaries(
            {"action": st.sampled_from(["page", "filter", "customer"])},
            optional={
                "page": json_values,
                "query": json_values,
                "statuses": json_values,
                "id": json_values,
            },
        )
    )
    def one(inputs: dict[str, Any]) -> None:
        action = stack.alice.attachment_actions.create(
            type="submit", messageId=card["id"], inputs=inputs
        )
        submitted.append(action.id)

    one()
    stack.settle()
    events = [e for e in stack.bot.service.inbox.events() if e["data_id"] in set(submitted)]
    assert len(events) == len(submitted)
    bugs = [e["error"] for e in events if (e["error"] or "").startswith("bug:")]
    assert bugs == []
    assert all(e["reply_state"] == "sent" for e in events), Counter(e["outcome"] for e in events)
    replies = stack.bot_messages(listing.roomId)
    assert len(replies) == 1 + len(submitted)  # one answer each, none twice
    row = Tally("fuzz: card submissions", questions=len(submitted), deliveries=len(events))
    row.once = len(events)
    print_table([row])


def _stored(stack: Stack) -> int:
    return len(stack.bot.service.inbox.events())
