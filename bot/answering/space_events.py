"""Webex events about the space itself, and what they mean for its proactive items.

* ``memberships``/``deleted`` of the bot's own membership: the bot was removed
  from the space (Webex sends it for group spaces only). Its digests and alert
  rule there are dropped: nobody could read them, and they would fail forever.
* ``rooms``/``migrated``: Webex moved the space and it has a new id. Webex
  documents only that the id changed; the event's data is the room as it is
  now (``id``, the new id) and we read the previous id from ``previousRoomId``
  (``oldRoomId`` and ``previousId`` are accepted too, since the field is not
  documented). Without one, the event is logged and ignored: the items stay
  under the old id rather than being guessed onto another space.

Both are safe to repeat: a duplicate delivery finds nothing left to do.
"""

from __future__ import annotations

import logging
from typing import Any

from core.proactive.store import ProactiveStore

log = logging.getLogger("statusbot.worker")

SPACE_EVENTS = frozenset({("memberships", "deleted"), ("rooms", "migrated")})
PREVIOUS_ID_FIELDS = ("previousRoomId", "oldRoomId", "previousId")


def handle_space_event(
    resource: str, event: str, data: dict[str, Any], *, bot_id: str, proactive: ProactiveStore
) -> str:
    """Apply the event; the outcome to record (``dropped``, ``moved`` or ``ignored``)."""
    if (resource, event) == ("memberships", "deleted"):
        room_id = str(data.get("roomId") or "")
        if data.get("personId") != bot_id or not room_id:
            return "ignored"  # someone else left
        dropped = proactive.drop_space(room_id)
        log.info("removed from a space: %d proactive item(s) dropped", dropped)
        return "dropped"
    if (resource, event) == ("rooms", "migrated"):
        new_id = str(data.get("id") or "")
        old_id = next((str(data[name]) for name in PREVIOUS_ID_FIELDS if data.get(name)), "")
        if not new_id or not old_id:
            log.warning("a room migrated, but the event does not name both ids; nothing moved")
            return "ignored"
        moved = proactive.move_space(old_id, new_id)
        log.info("a space migrated: %d proactive item(s) follow it", moved)
        return "moved"
    return "ignored"
