"""Who would read a reply, asked of Webex right before each post attempt.

A reply is read by everyone in the space, so the whole space must be allowed
(security-and-reliability.md, "Who may see customer data"). The answer is
never cached: someone may have been added a moment ago, or between two
attempts of a retried post (issue 11), and another process may have seen it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot import audit
from bot.access import AccessPolicy, Person, Verdict
from bot.web.metrics import Metrics
from bot.webex.client import WebexClient
from bot.webex.models import BotIdentity

log = logging.getLogger("statusbot.worker")


@dataclass(frozen=True)
class Audience:
    webex: WebexClient
    policy: AccessPolicy
    identity: BotIdentity
    metrics: Metrics

    def asker(self, person_id: str, email: str | None) -> Person:
        """The asker, with the organization only when the policy allows by organization
        (it costs a call) and the email when the event did not carry it."""
        if email is not None and not self.policy.org_ids:
            return Person(email)
        person = self.webex.person(person_id)
        return Person(email or (person.emails[0] if person.emails else None), person.org_id)

    def check(
        self, event_id: int, room_id: str, room_type: str | None, asker: Person
    ) -> Callable[[], Verdict]:
        """The check to run right before each post of customer data to ``room_id``."""

        def verdict() -> Verdict:
            members = self._members_of(room_id, room_type, asker)
            decided = self.policy.decide(room_id, asker, members)
            if decided is not Verdict.ALLOWED:
                audit.refused(self.metrics, event_id, decided.value)
            return decided

        return verdict

    def space_check(self, room_id: str, what: str) -> Callable[[], Verdict]:
        """The check for a post nobody asked for (a digest, an alert): every member of
        the space must be allowed, or the space itself. ``what`` names it in the log."""

        def verdict() -> Verdict:
            if self.policy.room_allowed(room_id):
                return Verdict.ALLOWED
            members = self._members_of(room_id, None, Person(None))
            if all(self.policy.person_allowed(member) for member in members):
                return Verdict.ALLOWED
            self.metrics.refusals.labels(Verdict.MEMBER_NOT_ALLOWED.value).inc()
            log.warning("%s withheld: %s", what, Verdict.MEMBER_NOT_ALLOWED.value)
            return Verdict.MEMBER_NOT_ALLOWED

        return verdict

    def _members_of(self, room_id: str, room_type: str | None, asker: Person) -> Iterable[Person]:
        if room_type == "direct":
            return [asker]  # a direct space holds the asker and the bot
        # lazy: a space allowed by id needs no member list
        return (
            Person(member.email, member.person_org_id)
            for member in self.webex.room_members(room_id)
            if member.person_id != self.identity.id
        )
