"""Receiving first (bot.inbox.pacing): the inbox workers start an event when no webhook
is being received, and never wait for that longer than the pacing allows."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace
from typing import Any

from bot.answering.worker import WorkerPool
from bot.inbox.claims import Claim
from bot.inbox.intake import Intake
from bot.inbox.leases import LeaseKeeper
from bot.inbox.pacing import Receiving
from bot.inbox.store import Inbox
from tests.bot.inbox.support import message
from tests.bot.inbox.test_intake import _until


def test_a_worker_waits_while_a_webhook_is_received_and_goes_on_when_it_is_done() -> None:
    receiving = Receiving(longest=60)
    went_on = threading.Event()
    waiter = threading.Thread(target=lambda: (receiving.wait_turn(), went_on.set()), daemon=True)
    with receiving.request():
        assert receiving.in_flight == 1
        waiter.start()
        assert not went_on.wait(0.3)
    assert went_on.wait(10)
    assert receiving.in_flight == 0


def test_requests_that_kept_the_process_busy_hold_workers_back_a_moment_after_them() -> None:
    receiving = Receiving(longest=60, window=0.5, busiest=0.1)
    assert receiving.quiet()
    with receiving.request():
        time.sleep(0.2)
    assert not receiving.quiet()  # none in flight, but busy for most of the last 0.5 s
    assert receiving.busy_share() > 0.1
    _until(receiving.quiet)
    receiving.wait_turn()


def test_under_an_endless_burst_a_worker_still_goes_on_after_the_longest_wait() -> None:
    receiving = Receiving(longest=0.05)
    with receiving.request():
        receiving.wait_turn()  # returns although the request never ends
        receiving.wait_turn()


def test_an_event_received_during_a_request_is_answered_once_the_request_is_done(
    inbox: Inbox,
) -> None:
    receiving = Receiving(longest=60)
    answered: list[Claim] = []
    done = threading.Event()

    def process(claim: Claim) -> str:
        claim.finish("ignored")
        answered.append(claim)
        done.set()
        return "ignored"

    processor: Any = SimpleNamespace(keeper=LeaseKeeper(60), process=process)
    pool = WorkerPool(inbox, processor, threads=2, poll_seconds=0.05, pace=receiving.wait_turn)
    intake = Intake(inbox, pool)
    pool.start()
    try:
        with receiving.request():
            assert intake.record("messages", "created", message(1))
            assert not done.wait(0.3)  # stored, not started: the request goes first
        assert done.wait(10)
    finally:
        pool.stop()
    assert [claim.event.data_id for claim in answered] == ["msg-1"]
    assert inbox.counts() == {"ignored": 1}
