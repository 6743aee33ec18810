"""Refusals, written down the same way wherever the bot declines (issue 11 item 6).

An operator has to be able to answer "who was refused what, and when" from the
``statusbot run`` logs and metrics alone. So every refusal (a typed question or
a card click from someone not allowed or in a space with someone not allowed,
a card payload that was changed or is outdated, a space an outsider added the
bot to; retractions log in ``bot.retraction``) is one warning under
``statusbot.audit`` carrying the inbox event id and a reason key, and one count
of ``statusbot_access_refused_total{reason}``; the event's outcome is its own
(``refused``, ``rejected``), never ``sent``. The line holds ids and the reason
only: never the question, the card's inputs or any customer data.
"""

from __future__ import annotations

import logging

from bot.web.metrics import Metrics

log = logging.getLogger("statusbot.audit")


def refused(metrics: Metrics, event_id: int, reason: str, *, outcome: str = "refused") -> None:
    """Log and count one refusal of inbox event ``event_id`` for ``reason``."""
    metrics.refusals.labels(reason).inc()
    log.warning(
        "event %s refused: %s",
        event_id,
        reason,
        extra={"event_id": event_id, "outcome": outcome, "reason": reason},
    )
