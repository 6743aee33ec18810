"""The inbox on SQLite and PostgreSQL: dedupe, claims, leases, reply states."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from bot.inbox.store import Inbox
from tests.bot.inbox.support import Clock, message


def test_a_duplicate_delivery_is_stored_once(inbox: Inbox) -> None:
    assert inbox.record("messages", "created", message(1))
    assert not inbox.record("messages", "created", message(1))
    assert inbox.record("messages", "deleted", message(1))  # another event of the same id
    assert inbox.counts() == {"pending": 2}


def test_claims_are_exclusive_and_leases_expire(inbox: Inbox, clock: Clock) -> None:
    for n in range(3):
        inbox.record("messages", "created", message(n))
    first = inbox.claim("a", limit=2)
    second = inbox.claim("b", limit=2)
    assert [c.event.data_id for c in first] == ["msg-0", "msg-1"]
    assert [c.event.data_id for c in second] == ["msg-2"]
    assert inbox.claim("c") == []
    first[0].finish("sent", reply_state="sent", message_id="reply-0")
    clock.now += timedelta(seconds=61)  # worker "a" died holding msg-1
    again = inbox.claim("c", limit=5)
    assert sorted(c.event.data_id for c in again) == ["msg-1", "msg-2"]
    assert {c.event.data_id: c.event.attempts for c in again} == {"msg-1": 2, "msg-2": 2}


def test_reply_state_survives_a_crash(inbox: Inbox, clock: Clock) -> None:
    inbox.record("messages", "created", message(1))
    (claim,) = inbox.claim("a")
    claim.sending("f" * 32)
    clock.now += timedelta(minutes=5)
    (again,) = inbox.claim("b")
    assert again.event.reply_state == "sending"
    assert again.event.reply_fingerprint == "f" * 32
    assert again.event.reply_started_at == datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_many_claimers_at_once_never_share_an_event(inbox: Inbox) -> None:
    for n in range(60):
        inbox.record("messages", "created", message(n))
    seen: list[str] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        while claimed := inbox.claim(name, limit=3):
            with lock:
                seen.extend(c.event.data_id for c in claimed)
            for c in claimed:
                c.finish("sent", reply_state="sent")

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(seen) == sorted(f"msg-{n}" for n in range(60))
    assert inbox.counts() == {"done": 60}


def test_space_language_is_remembered(inbox: Inbox) -> None:
    assert inbox.space_language("room-1") is None
    inbox.set_space_language("room-1", "sv")
    inbox.set_space_language("room-1", "en")
    assert inbox.space_language("room-1") == "en"


def test_old_finished_events_are_forgotten_and_unfinished_ones_kept(
    inbox: Inbox, clock: Clock
) -> None:
    for n in range(4):
        inbox.record("messages", "created", message(n))
    done, failed, working = inbox.claim("a", limit=3)
    done.finish("sent", reply_state="sent")
    failed.finish("failed", reply_state="failed", error="HTTP 500")
    clock.now += timedelta(days=8)
    inbox.record("messages", "created", message(9))  # new, pending
    assert inbox.prune(timedelta(days=7)) == 2
    assert sorted(e["data_id"] for e in inbox.events()) == ["msg-2", "msg-3", "msg-9"]
    assert working.event.data_id == "msg-2"
    assert inbox.prune(timedelta(days=7)) == 0


def test_the_workers_prune_at_most_once_per_period(inbox: Inbox, clock: Clock) -> None:
    from bot.answering.worker import WorkerPool

    inbox.record("messages", "created", message(1))
    (claim,) = inbox.claim("a")
    claim.finish("sent", reply_state="sent")
    clock.now += timedelta(days=30)
    pool = WorkerPool(inbox, processor=None, retention=timedelta(days=7), prune_every=3600)  # type: ignore[arg-type]
    assert pool.prune_if_due() == 1
    inbox.record("messages", "created", message(2))
    (later,) = inbox.claim("a")
    later.finish("sent", reply_state="sent")
    clock.now += timedelta(days=30)
    assert pool.prune_if_due() == 0  # not due yet: the period has not passed
    assert len(inbox.events()) == 1


def test_processes_starting_together_create_the_tables_once(database_url: str) -> None:
    """statusbot run's workers open the store and the inbox at the same moment."""
    from core.store import Store

    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def start() -> None:
        try:
            barrier.wait()
            Store.open(database_url).close()
            Inbox.open(database_url).close()
        except BaseException as error:  # collected, then asserted
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_a_group_of_events_is_stored_in_one_go_and_the_first_ones_claimed(
    inbox: Inbox, clock: Clock
) -> None:
    inbox.record("messages", "created", message(1))
    events = [("messages", "created", message(n)) for n in (2, 3, 1, 2, 4)]
    answers = inbox.record_many(events, worker="here", claim=2)
    # msg-1 was stored before; the second msg-2 is a duplicate of the first
    assert [type(a).__name__ if not isinstance(a, bool) else a for a in answers] == [
        "Claim", "Claim", False, False, True,
    ]  # fmt: skip
    claims = [a for a in answers if not isinstance(a, bool)]
    assert [c.event.data_id for c in claims] == ["msg-2", "msg-3"]
    assert all(c.event.attempts == 1 and c.event.id for c in claims)
    assert inbox.counts() == {"pending": 2, "working": 2}
    assert [c.event.data_id for c in inbox.claim("other", limit=5)] == ["msg-1", "msg-4"]
    claims[0].finish("sent", reply_state="sent")  # the token is the row's: fenced writes work
    clock.now += timedelta(seconds=61)  # the process holding msg-3 died: it is claimed again
    assert [c.event.data_id for c in inbox.claim("other", limit=5)] == ["msg-1", "msg-3", "msg-4"]
    claims[1].renew()
    assert claims[1].lost
