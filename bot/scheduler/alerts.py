"""Alerts: each change batch becomes at most one card per space that watches it.

An import (in any process: ``statusbot import``, a sync, the web tier), or the
day change, records its transitions in one transaction: a *change batch*
(``core.proactive.ledger``). ``AlertRunner.tick`` runs every few seconds: it
finds batches recorded within ``ALERT_GRACE`` that are not worked through,
and for each space with an alert rule, filters the batch by the rule
(``core.proactive.watch``) and posts one card with what is left, keyed by
(space, batch). A space that watches nothing in the batch gets nothing.

A batch is closed only when every space was served, so a scheduler that dies
halfway leaves it open and the next one finishes it; the keys make sure the
spaces already served are not served twice. A rule made after the batch was
recorded does not see it (switching alerts on is not a request for history).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import wait
from dataclasses import dataclass
from datetime import timedelta

from bot.scheduler.posting import Outgoing, Result, Runner
from core.proactive.ledger import BatchHeader
from core.proactive.models import AlertEntry, StatusChange
from core.proactive.watch import watches
from handlers.reply import Reply

log = logging.getLogger("statusbot.scheduler")

#: How late an alert may still be posted. Alerts are news: two hours late they still
#: say something; later, the change is in every list and in the morning digest anyway.
ALERT_GRACE = timedelta(hours=2)

#: ``alert_reply(changes, lang, *, batch=, zone=)`` from handlers (see alerts-ui).
AlertReply = Callable[..., Reply]


def alert_key(room_id: str, batch: str) -> str:
    return f"alert:{room_id}:{batch}"


@dataclass(kw_only=True, eq=False)
class AlertRunner(Runner):
    reply: AlertReply
    grace: timedelta = ALERT_GRACE

    def tick(self) -> dict[str, Result]:
        """Work through every pending batch; the outcome per post key."""
        results: dict[str, Result] = {}
        for header in self.ledger.pending_batches(self.clock() - self.grace):
            results |= self.work_through(header)
        return results

    def work_through(self, header: BatchHeader) -> dict[str, Result]:
        self.ledger.take_batch(header)
        rules = [
            entry
            for entry in self.proactive.alert_rules()
            if entry.created_at <= header.recorded_at
        ]
        changes = self.ledger.batch_changes(header) if rules else ()
        today = self.today()
        futures = {}
        for entry in rules:
            watched = [change for change in changes if watches(entry.rule.query, change, today)]
            if watched:
                key = alert_key(entry.rule.room_id, header.key)
                futures[key] = self.pool.submit(self._post, entry, header.key, watched, key)
        wait(futures.values())
        results = {key: future.result() for key, future in futures.items()}
        self.ledger.close_batch(header.key)
        if results:
            log.info("batch %s: %d alert(s)", header.key, len(results))
        return results

    def _post(
        self, entry: AlertEntry, batch: str, changes: Sequence[StatusChange], key: str
    ) -> Result:
        room_id = entry.rule.room_id
        zone = self.proactive.zone_of(room_id)
        outgoing = Outgoing(
            key=key,
            kind="alert",
            room_id=room_id,
            build=lambda lang: self.reply(changes, lang, batch=batch, zone=zone),
        )
        result = self.poster.post(outgoing)
        if result != "taken":
            self.proactive.record_run(room_id, entry.rule.number, self.clock(), result)
        return result
