"""Proactive posts, the domain half: digests, alert rules, change batches, the day change.

No Flask, no Webex SDK: the scheduler (``bot.scheduler``) drives these, and the
replies (``handlers``) read the models.
"""

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
