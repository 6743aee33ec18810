"""Group commit of the workers' fenced writes (bot.inbox.group, bot.inbox.claims), and
recovery of an event stored already claimed for a process that was then killed."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from bot.inbox.claims import Claim, LostClaim
from bot.inbox.store import Inbox
from tests.bot.inbox.support import Clock, message
from tests.bot.inbox.test_intake import _Held, _until


def test_finishes_made_together_share_one_transaction_and_a_lost_claim_writes_nothing(
    inbox: Inbox, clock: Clock
) -> None:
    for n in range(5):
        inbox.record("messages", "created", message(n))
    claims = inbox.claim("slow", limit=5)
    clock.now += timedelta(seconds=61)  # every lease ran out; another worker takes the first
    (taken,) = inbox.claim("fast")
    assert taken.event.id == claims[0].event.id
    commits: list[int] = []
    event.listen(inbox.engine, "commit", lambda _connection: commits.append(1))
    outcomes: dict[int, str] = {}

    def finish(claim: Claim) -> None:
        try:
            claim.finish("ignored")
            outcomes[claim.event.id] = "finished"
        except LostClaim:
            outcomes[claim.event.id] = "lost"

    blocker = threading.Lock()
    blocker.acquire()
    gate = inbox._gate
    inbox._gate = _Held(blocker, gate)  # the first write waits until all have queued
    threads = [threading.Thread(target=finish, args=(claim,), daemon=True) for claim in claims]
    threads[-1].start()
    _until(lambda: inbox.fenced.busy)
    for thread in threads[:-1]:
        thread.start()
    try:
        _until(lambda: inbox.fenced.queued == 4)
    finally:
        blocker.release()
    for thread in threads:
        thread.join(timeout=30)
    inbox._gate = gate
    assert len(commits) == 2  # the first alone, the four queued behind it together
    assert outcomes == {
        claim.event.id: "lost" if claim is claims[0] else "finished" for claim in claims
    }
    assert claims[0].lost and not any(claim.lost for claim in claims[1:])
    assert inbox.counts() == {"ignored": 4, "working": 1}
    taken.finish("ignored")  # its new holder is not disturbed
    assert inbox.counts() == {"ignored": 5}


def test_a_failed_transaction_fails_every_write_of_its_group(inbox: Inbox) -> None:
    inbox.record("messages", "created", message(1))
    (claim,) = inbox.claim("a")
    inbox.engine.dispose()
    with inbox.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE inbox_events")
    with pytest.raises(Exception, match="inbox_events"):
        claim.finish("ignored")
    assert not claim.lost  # not known to be lost: the lease runs out, it is claimed again
    assert not inbox.fenced.busy and not inbox.fenced.queued


_DOOMED = """
import sys, time
from bot.inbox.intake import Intake
from bot.inbox.store import Inbox

class Idle:  # one idle worker: the event is stored already claimed for it
    name = "doomed"
    def room(self): return 1
    def hand(self, claim): print(claim.token, flush=True)
    def wake(self): pass

inbox = Inbox.open(sys.argv[1], lease=60)
data = {"id": "msg-1", "roomId": "room-1", "personId": "alice"}
Intake(inbox, Idle()).record("messages", "created", data)
time.sleep(600)
"""


def test_an_event_stored_claimed_for_a_process_killed_then_is_claimed_by_another(
    inbox: Inbox, clock: Clock, database_url: str
) -> None:
    doomed = subprocess.Popen(
        [sys.executable, "-c", _DOOMED, database_url], stdout=subprocess.PIPE, text=True
    )
    try:
        assert doomed.stdout is not None
        token = doomed.stdout.readline().strip()
    finally:
        doomed.kill()  # SIGKILL: nothing is given back
        doomed.wait(timeout=30)
    assert token
    (row,) = inbox.events()
    assert (row["state"], row["worker"], row["claim_token"]) == ("working", "doomed", token)
    clock.now = datetime.now(UTC)
    assert inbox.claim("survivor") == []  # its lease still holds
    clock.now += timedelta(seconds=61)
    (again,) = inbox.claim("survivor")
    assert again.event.data_id == "msg-1" and again.token != token
    assert again.event.attempts == 2  # the dead process's attempt counts
    with pytest.raises(LostClaim):  # were the dead process to write, it could not
        Claim(inbox, again.event, token).finish("ignored")
    again.finish("ignored")
    assert inbox.counts() == {"ignored": 1}
