"""What the phrases of one list question said, and the ``Query`` it becomes.

``handlers.grammar.phrases`` reads a question phrase by phrase into a ``Draft``;
the setters refuse contradictions ("paid trials", two horizons) with ``ValueError``,
and ``Draft.to_query`` validates the result into ``core.query.Query`` (pydantic),
so a horizon of 20 years or a name of 500 characters fails there, not in the
phrase table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from core.query import Query
from core.statuses import ProvisioningStatus as Prov
from core.statuses import SubscriptionKind as Kind
from core.statuses import SubscriptionStatus as Sub

#: "show expiring" with no horizon: Partner Hub's furthest bucket.
DEFAULT_EXPIRING_DAYS = 60


@dataclass
class Draft:
    """What the phrases of one question said so far (mutable while scanning)."""

    provisioning: set[Prov] = field(default_factory=set)
    subscription: set[Sub] = field(default_factory=set)
    kind: Kind | None = None
    within_days: int | None = None
    by: date | None = None
    before: date | None = None  # "before D": D itself, as typed
    expiring: bool = False
    needing_attention: bool = False
    name: str | None = None
    page: int | None = None
    #: Saw a verb, a noun or a filter, not only fillers ("me", "som").
    content: bool = False

    def set_kind(self, kind: Kind) -> None:
        if self.kind not in (None, kind):
            raise ValueError("both paid and trial")
        self.kind = kind

    def set_within(self, days: int) -> None:
        if self.within_days is not None:
            raise ValueError("two horizons in days")
        self.within_days = days

    def set_by(self, last_day: date) -> None:
        if self.by is not None or self.before is not None:
            raise ValueError("two horizon dates")
        self.by = last_day

    def set_before(self, first_day_not_covered: date) -> None:
        self.set_by(first_day_not_covered - timedelta(days=1))  # validates the pair
        self.by, self.before = None, first_day_not_covered

    def to_query(self) -> Query:
        within = self.within_days
        if self.expiring and within is None and self.by is None and self.before is None:
            within = DEFAULT_EXPIRING_DAYS
        return Query(
            provisioning=frozenset(self.provisioning),
            subscription=frozenset(self.subscription),
            expiring_within_days=within,
            expiring_by=self.by,
            expiring_before=self.before,
            kind=self.kind,
            name=self.name,
            needing_attention=self.needing_attention,
        )
