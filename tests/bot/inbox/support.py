"""What the inbox tests share: a clock they move and an event's data (the ``clock`` and
``inbox`` fixtures are in conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def message(n: int) -> dict[str, str]:
    return {"id": f"msg-{n}", "roomId": "room-1", "personId": "alice"}
