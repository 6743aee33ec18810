"""``/readyz`` in ``statusbot run`` while Webex fails (issue 11, item 2; issue 14's
untested "/readyz answering 503"): probes cost at most one Webex call per period,
answer with ok/unreachable only, and never hold up a signed delivery or /healthz.

Before, a failed check was neither cached nor bounded: under a 429 with a long
Retry-After every /readyz slept it out on one of gunicorn's threads, so a few
probes starved the webhook. The clients here give up after 15 s: a delivery that
waited out the Retry-After (50 s) fails the test.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from webexpythonsdk import WebexAPI

from emulator.server import ServerHandle
from tests.e2e.conftest import BOT_EMAIL
from tests.operations.process import SECRET, StatusbotRun, wait_until
from tests.operations.test_readiness import NOT_READY, fault, hits

PROBES = 12
PATIENCE = 15.0  # seconds any client here waits for an answer


def delivery_request(url: str, emulator: ServerHandle) -> dict[str, Any]:
    """``requests.post`` arguments: a real question's envelope, signed as Webex signs it."""
    alice = WebexAPI(access_token="ALICE_TOKEN", base_url=emulator.api_url)
    message = alice.messages.create(toPersonEmail=BOT_EMAIL, text="help")
    body = json.dumps(
        {
            "id": "webhook-under-test",
            "resource": "messages",
            "event": "created",
            "actorId": message.personId,
            "data": {"id": message.id, "roomId": message.roomId, "personId": message.personId},
        }
    ).encode()
    signature = hmac.new(SECRET.encode(), body, hashlib.sha1).hexdigest()
    return {
        "url": url + "/webhooks/webex",
        "data": body,
        "headers": {"Content-Type": "application/json", "X-Spark-Signature": signature},
    }


def probe(bot: StatusbotRun) -> tuple[int, Any]:
    response = bot.get("/readyz", timeout=PATIENCE)
    return response.status_code, response.json()


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 429, "retry_after": 50},
        {"status": 503, "message": "upstream connect error, internal detail"},
        {"stall_seconds": 50},
    ],
    ids=["429-retry-after-50", "503", "stalled"],
)
def test_probes_during_a_webex_failure_cost_one_call_and_stall_nothing(
    bot: StatusbotRun, emulator: ServerHandle, failure: dict[str, Any]
) -> None:
    failing = fault(emulator, **failure)
    with ThreadPoolExecutor(PROBES) as pool:
        probes = [pool.submit(probe, bot) for _ in range(PROBES)]
        wait_until(lambda: hits(emulator, failing) >= 1, what="a probe to call Webex")
        delivered = requests.post(**delivery_request(bot.url, emulator), timeout=PATIENCE)
        assert delivered.status_code == 200
        assert bot.get("/healthz", timeout=PATIENCE).status_code == 200
        answers = [future.result() for future in probes]
    assert answers == [(503, NOT_READY)] * PROBES
    assert hits(emulator, failing) == 1
    # more probes within the period: the failure is kept, Webex is not asked again
    assert [probe(bot) for _ in range(5)] == [(503, NOT_READY)] * 5
    assert hits(emulator, failing) == 1
    log = bot.log.read_text()
    assert "internal detail" not in json.dumps(answers) and "Bearer" not in log
