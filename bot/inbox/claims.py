"""A worker's claim on one inbox event, and every write it may make: all fenced.

A lease alone is not enough (security-and-reliability.md, "Receiving"): a worker
whose lease ran out while it waited on Webex would still record and post, while
a second worker that claimed the event meanwhile answers it too (issue 10,
reproduction 1). So each claim gets a fresh random ``claim_token``, and every
write below is ``UPDATE … WHERE id = :id AND claim_token = :token AND state =
'working'``. When that matches no row the claim was taken over (or finished by
another worker): :class:`LostClaim` is raised and the caller stops at once,
without posting. ``sending`` is such a write and is committed right before
every post, so a worker that lost its claim never posts.

Every fenced write also renews the lease; ``bot.inbox.leases.LeaseKeeper`` renews it
in between while the work goes on.

The fenced writes of a process's workers are group-committed (:class:`FencedWrites`,
``bot.inbox.group``): those made at the same moment share one transaction, and each
returns only once committed, with the rows its own statement matched.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Update, select, update

from bot.inbox.group import GroupCommit
from bot.inbox.schema import inbox

if TYPE_CHECKING:
    from bot.inbox.store import Inbox

#: Errors are stored for operators; they are short by construction, this is a backstop.
ERROR_LIMIT = 2000


class LostClaim(Exception):
    """This worker no longer holds the event: another worker does, or it is finished."""


@dataclass(frozen=True, slots=True)
class InboxEvent:
    """An event as it was when claimed (``reply_*``: what an earlier attempt left)."""

    id: int
    resource: str
    event: str
    data_id: str
    room_id: str | None
    person_id: str | None
    data: dict[str, Any]
    received_at: datetime
    attempts: int
    reply_state: str | None
    reply_fingerprint: str | None
    reply_started_at: datetime | None
    error: str | None = None
    reply_lang: str | None = None


@dataclass
class Claim:
    """One event held by one worker under ``token`` until finished or released."""

    inbox: Inbox
    event: InboxEvent
    token: str
    lost: bool = field(default=False)
    posting: bool = field(default=False)  # this attempt committed "sending": it may be out
    fingerprint: str | None = field(default=None)  # the reply being posted, for looking for it
    started_at: datetime | None = field(default=None)
    done: bool = field(default=False)  # finished or released by this worker: nothing to renew
    lang: str | None = field(default=None)  # the reply's language, recorded with "sending"

    def renew(self) -> bool:
        """Extend the lease; False (and ``lost``) when the claim was taken over.

        A claim its own worker finished or released between the caller's look and
        this write is not lost: it is ``done``, and True (nothing to renew any more).
        """
        try:
            self._write()
        except LostClaim:
            if self._ended_by_me():
                self.lost, self.done = False, True
                return True
            return False
        return True

    def _ended_by_me(self) -> bool:
        """The row is no longer working but still carries this claim's token: its own
        worker finished or released it (a takeover would have written a new token)."""
        query = select(inbox.c.state, inbox.c.claim_token).where(inbox.c.id == self.event.id)
        with self.inbox.engine.connect() as connection:
            row = connection.execute(query).first()
        return row is not None and row.claim_token == self.token and row.state != "working"

    def sending(self, fingerprint: str) -> None:
        """Committed right before a post: after a crash we know it may be out (and in
        which language to say so, ``lang``)."""
        started = self.inbox.clock()
        values: dict[str, Any] = {"reply_fingerprint": fingerprint, "reply_started_at": started}
        if self.lang is not None:
            values["reply_lang"] = self.lang
        self._write(reply_state="sending", **values)
        self.posting, self.fingerprint, self.started_at = True, fingerprint, started

    def apologizing(self, state: str = "apologizing") -> None:
        """Committed right before the apology (or the notice, ``noticing``) is posted:
        it is posted at most once."""
        self._write(reply_state=state)

    def owe_apology(
        self, error: str, not_before: datetime, lang: str, *, due: str = "apology_due"
    ) -> None:
        """The answer failed for good (or may be out: ``due='notice_due'``) and Webex
        would not take the apology (the notice) yet: give the event back to post only
        that from ``not_before`` on. ``reply_started_at`` marks when it first became due
        (its retry window starts there)."""
        values: dict[str, Any] = {
            "state": "pending",
            "lease_until": None,
            "not_before": not_before,
            "error": error[:ERROR_LIMIT],
            "reply_state": due,
            "reply_lang": lang,
        }
        if self.event.reply_state != due:
            values["reply_started_at"] = self.inbox.clock()
        self._write(**values)

    def release(self, error: str, not_before: datetime, *, posted_maybe: bool) -> None:
        """Give the event back, to be claimed again from ``not_before`` on.

        ``posted_maybe`` keeps ``reply_state = 'sending'`` so the next claim looks
        for the reply before posting; otherwise the reply is known not to be out.
        """
        values: dict[str, Any] = {
            "state": "pending",
            "lease_until": None,
            "not_before": not_before,
            "error": error[:ERROR_LIMIT],
        }
        if not posted_maybe:
            values["reply_state"] = None
        self._write(**values)

    def finish(
        self,
        outcome: str,
        *,
        reply_state: str | None = None,
        message_id: str | None = None,
        apology_id: str | None = None,
        error: str | None = None,
    ) -> None:
        """Record the end: ``failed`` for a reply that failed or is unknown, else done."""
        values: dict[str, Any] = {
            "state": "failed" if reply_state in ("failed", "unknown") else "done",
            "outcome": outcome,
            "finished_at": self.inbox.clock(),
            "lease_until": None,
            "not_before": None,
            "error": error[:ERROR_LIMIT] if error else None,
        }
        if outcome in ("ignored", "replayed"):
            values["state"] = "ignored"
        if reply_state is not None:
            values["reply_state"] = reply_state
        if message_id is not None:
            values["reply_message_id"] = message_id
        if apology_id is not None:
            values["apology_message_id"] = apology_id
        self._write(**values)

    def _write(self, **values: Any) -> None:
        """The fenced write; it also renews the lease while the event stays working."""
        if values.get("state", "working") == "working":
            values["lease_until"] = self.inbox.clock() + self.inbox.lease
        statement = (
            update(inbox)
            .where(
                inbox.c.id == self.event.id,
                inbox.c.claim_token == self.token,
                inbox.c.state == "working",
            )
            .values(**values)
        )
        matched = self.inbox.fenced((self.event.id, statement))
        if matched != 1:
            self.lost = True
            raise LostClaim(f"event {self.event.id}: claim taken over")
        if values.get("state", "working") != "working":
            self.done = True


class FencedWrites(GroupCommit[tuple[int, Update], int]):
    """Claims' writes (event id, statement) in shared transactions; each the rows it matched.

    A batch updates its rows in the order of their ids, so two processes' batches
    lock rows in one order and never wait on each other in a circle (PostgreSQL).
    """

    def __init__(self, writing: Callable[[], AbstractContextManager[Connection]]) -> None:
        super().__init__(self._write_all)
        self._writing = writing

    def _write_all(self, writes: list[tuple[int, Update]]) -> list[int]:
        matched = [0] * len(writes)
        with self._writing() as connection:
            for index in sorted(range(len(writes)), key=lambda index: writes[index][0]):
                matched[index] = connection.execute(writes[index][1]).rowcount
        return matched
