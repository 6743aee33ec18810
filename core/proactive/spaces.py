"""What happens to a space's items when the space itself changes.

Both are driven by Webex events (``bot.answering.space_events``): the bot removed from a
space (memberships deleted) drops everything there; a space migrated by Webex
(rooms migrated) carries its items, zone and numbers over to the new id.
Each function runs in the caller's transaction and is safe to repeat, since
Webex may deliver an event twice.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection

from core.dialect.statements import upsert
from core.proactive.schema import items, spaces

IT = items.c
SP = spaces.c


def ensure_space(connection: Connection, room_id: str) -> None:
    connection.execute(
        upsert(connection, spaces)
        .values(room_id=room_id, last_number=0)
        .on_conflict_do_nothing(index_elements=["room_id"])
    )


def drop_space(connection: Connection, room_id: str) -> int:
    """Forget the space's items and settings; how many items were dropped."""
    removed = connection.execute(delete(items).where(IT.room_id == room_id))
    connection.execute(delete(spaces).where(SP.room_id == room_id))
    return int(removed.rowcount or 0)


def move_space(connection: Connection, old: str, new: str) -> int:
    """Move the items of ``old`` to ``new``; how many moved.

    Usually the new id is unknown and the rows simply change id, numbers kept.
    If someone already used the new space (a command reached it before the
    migration event), its own items and zone win: the moved items get the next
    free numbers there and an alert rule of the old id gives way to the new one's.
    """
    if old == new:
        return 0
    old_zone = connection.execute(select(SP.timezone).where(SP.room_id == old)).first()
    if old_zone is None:
        return 0  # nothing there, or moved already
    ensure_space(connection, new)
    if connection.execute(select(IT.id).where(IT.alerts_room == new)).first():
        connection.execute(delete(items).where(IT.alerts_room == old))
    # numbers are never reused in a space: moved items go above the new space's last
    offset = int(connection.execute(select(SP.last_number).where(SP.room_id == new)).scalar_one())
    old_last = connection.execute(select(SP.last_number).where(SP.room_id == old)).scalar_one()
    moved = connection.execute(
        update(items)
        .where(IT.room_id == old)
        .values(room_id=new, number=IT.number + offset)
        .execution_options(synchronize_session=False)
    )
    connection.execute(update(items).where(IT.alerts_room == old).values(alerts_room=new))
    connection.execute(
        update(spaces)
        .where(SP.room_id == new)
        .values(
            last_number=int(old_last) + offset,
            timezone=func.coalesce(SP.timezone, old_zone[0]),
        )
    )
    connection.execute(delete(spaces).where(SP.room_id == old))
    return int(moved.rowcount or 0)
