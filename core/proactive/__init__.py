"""Proactive posts, the domain half: digests, alert rules, change batches, the day change.

No Flask, no Webex SDK: the scheduler (``bot.scheduler``) drives these, and the
replies (``handlers``) read the models. The models import nothing heavy; the
store (SQLAlchemy) is imported when first asked for, so a reply that only reads
the models (``statusbot ask``) does not load the database layer.
"""

from typing import TYPE_CHECKING, Any

from core.proactive.models import (
    AlertEntry,
    AlertRule,
    Digest,
    DigestEntry,
    DigestQuestion,
    Frequency,
    Schedule,
    StatusChange,
)

if TYPE_CHECKING:
    from core.proactive.store import ProactiveStore

__all__ = [
    "AlertEntry",
    "AlertRule",
    "Digest",
    "DigestEntry",
    "DigestQuestion",
    "Frequency",
    "ProactiveStore",
    "Schedule",
    "StatusChange",
]


def __getattr__(name: str) -> Any:
    if name == "ProactiveStore":
        from core.proactive.store import ProactiveStore

        return ProactiveStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
