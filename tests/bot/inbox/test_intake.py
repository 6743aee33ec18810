"""Receiving in groups (bot.inbox.intake) and handing over to this process's workers
(bot.answering.worker), on SQLite and PostgreSQL: each request answered once committed."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import event

from bot.answering.worker import WorkerPool
from bot.inbox.intake import Intake
from bot.inbox.leases import LeaseKeeper
from bot.inbox.store import Inbox
from tests.bot.inbox.support import message


def _commits(inbox: Inbox) -> list[int]:
    seen: list[int] = []
    event.listen(inbox.engine, "commit", lambda _connection: seen.append(1))
    return seen


def test_requests_that_arrive_while_one_commits_share_the_next_commit(inbox: Inbox) -> None:
    intake = Intake(inbox)
    commits = _commits(inbox)
    answers: dict[int, bool] = {}
    blocker = threading.Lock()
    blocker.acquire()
    gate = inbox._gate
    inbox._gate = _Held(blocker, gate)  # the first commit waits until all have queued

    def ask(n: int) -> None:
        answers[n] = intake.record("messages", "created", message(n % 5))  # 0-4 twice

    threads = [threading.Thread(target=ask, args=(n,), daemon=True) for n in range(10)]
    threads[0].start()
    _until(lambda: intake.group.busy)
    for thread in threads[1:]:
        thread.start()
    try:
        _until(lambda: intake.group.queued == 9)  # the first one's batch is taken
    finally:
        blocker.release()
    for thread in threads:
        thread.join(timeout=30)
    inbox._gate = gate
    # the first request alone, then the nine queued behind it in one transaction
    assert len(commits) == 2
    assert sorted(n % 5 for n, stored in answers.items() if stored) == [0, 1, 2, 3, 4]
    assert len(answers) == 10
    assert inbox.counts() == {"pending": 5}


def test_a_store_that_fails_fails_every_request_of_the_group(inbox: Inbox) -> None:
    intake = Intake(inbox)
    inbox.engine.dispose()
    with inbox.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE inbox_events")
    with pytest.raises(Exception) as raised:
        intake.record("messages", "created", message(1))
    assert "inbox_events" in str(raised.value)
    assert not intake.group.busy and not intake.group.queued  # the next request leads again


def test_events_handed_over_but_not_started_go_back_to_the_inbox_on_stop(inbox: Inbox) -> None:
    processor: Any = SimpleNamespace(keeper=LeaseKeeper(60))
    pool = WorkerPool(inbox, processor, threads=2, name="here")
    pool._idle = 2  # as if both threads waited: the intake claims for them
    intake = Intake(inbox, pool)
    assert intake.record("messages", "created", message(1))
    assert inbox.counts() == {"working": 1}
    (row,) = inbox.events()
    assert (row["worker"], row["attempts"]) == ("here", 1)
    pool.stop()  # never started: the claim is still in the queue
    assert inbox.counts() == {"pending": 1}
    (again,) = inbox.claim("elsewhere")
    assert again.event.data_id == "msg-1" and again.event.error == (
        "not started: the process stopped"
    )


class _Held:
    """The inbox's write gate, entered only once ``blocker`` is free."""

    def __init__(self, blocker: threading.Lock, gate: Any) -> None:
        self.blocker, self.gate = blocker, gate

    def __enter__(self) -> None:
        with self.blocker:
            pass
        self.gate.__enter__()

    def __exit__(self, *exc: object) -> None:
        self.gate.__exit__(*exc)


def _until(check: Any, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)
