"""Things that happened, kept for the playground to poll and handed to delivery."""

from __future__ import annotations

import dataclasses
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]


@dataclass(frozen=True)
class Event:
    """One change, as Webex would announce it.

    ``data`` is what a webhook carries; ``record`` is the full object (a
    message with its text) for the local event log only. ``audience`` is the
    room's members when it happened: a webhook's owner must be one of them.
    """

    resource: str
    event: str
    actor_id: str
    room_id: str
    room_type: str
    data: JsonDict
    record: JsonDict
    audience: frozenset[str]
    created: str
    card_author_id: str | None = None
    seq: int = 0


@dataclass
class EventLog:
    """A bounded, numbered log that readers can long-poll with ``since``."""

    size: int
    _items: deque[Event] = field(init=False)
    _cond: threading.Condition = field(init=False, default_factory=threading.Condition)
    _last: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self._items = deque(maxlen=self.size)

    @property
    def last_seq(self) -> int:
        with self._cond:
            return self._last

    def append(self, event: Event) -> Event:
        with self._cond:
            self._last += 1
            numbered = dataclasses.replace(event, seq=self._last)
            self._items.append(numbered)
            self._cond.notify_all()
            return numbered

    def since(self, seq: int, wait_seconds: float = 0.0) -> list[Event]:
        with self._cond:
            if wait_seconds > 0 and self._last <= seq:
                self._cond.wait_for(lambda: self._last > seq, timeout=wait_seconds)
            return [e for e in self._items if e.seq > seq]

    def clear(self) -> None:
        with self._cond:
            self._items.clear()
            self._cond.notify_all()


class EventBus:
    """``publish`` logs the event and tells every subscriber (delivery) at once."""

    def __init__(self, log: EventLog) -> None:
        self.log = log
        self._subscribers: list[Callable[[Event], None]] = []

    def subscribe(self, subscriber: Callable[[Event], None]) -> None:
        self._subscribers.append(subscriber)

    def publish(self, event: Event) -> Event:
        numbered = self.log.append(event)
        for subscriber in self._subscribers:
            subscriber(numbered)
        return numbered


def event_json(event: Event) -> JsonDict:
    return {
        "seq": event.seq,
        "resource": event.resource,
        "event": event.event,
        "actorId": event.actor_id,
        "roomId": event.room_id,
        "roomType": event.room_type,
        "created": event.created,
        "data": event.record,
    }
