"""The scheduler carries on when PostgreSQL ends its sessions (a restart, a failover):
the lock's session and the pooled connections of the job store and the jobs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import OperationalError

from tests.conftest import end_sessions, named_sessions
from tests.core.builders import TODAY, customer, snapshot, sub
from tests.scheduler.conftest import Rig
from tests.scheduler.test_runtime import alerting_room, serving, wait_for

pytestmark = pytest.mark.postgres
NAME: list[str] = []


@pytest.fixture
def database_url(postgres_url: str) -> str:
    """PostgreSQL only, every session of the test named (the rig opens its store on it)."""
    url, name = named_sessions(postgres_url)
    NAME[:] = [name]
    return url


def test_ended_sessions_cost_the_scheduler_nothing(rig: Rig) -> None:
    room = alerting_room(rig)
    with serving(rig) as scheduler:
        # each a change into a status that needs attention: one alert each
        for posts, changed in (
            (1, sub("acme-1", left=5)),
            (2, sub("acme-1", left=5, provisioning="failed")),
        ):
            if posts == 2:
                assert end_sessions(NAME[0]) >= 2  # the lock's session and pooled ones
            imported = False
            for _ in range(2):  # the first statement on a dead pool may fail: then again
                try:
                    rig.customers.import_snapshot(
                        snapshot(customer("acme", "Acme", changed)), today=TODAY, source="t"
                    )
                    imported = True
                    break
                except OperationalError:
                    continue
            assert imported
            rig.clock.now = datetime.now(UTC)
            wait_for(lambda n=posts: len(rig.posts(room)) == n)  # type: ignore[misc]
        wait_for(scheduler.leading.is_set)  # leading again
