"""Injected failures: API errors and stalls, and delivery duplicates, delays and drops.

API rules match ``method`` (any when omitted) and ``path``, an ``fnmatch``
pattern on the request path (``/v1/messages`` exactly, ``/v1/messages*`` for
everything below it; every ``/v1/`` path when omitted). The first matching
rule that fires wins; ``count`` rules vanish once used up.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import deque
from dataclasses import asdict, dataclass, fields
from fnmatch import fnmatchcase
from typing import Any

JsonDict = dict[str, Any]
#: How much of a post's text a fired fault keeps (its first line: which answer it was).
FIRED_TEXT_CHARS = 160


@dataclass
class ApiFault:
    id: str
    path: str = "/v1/*"
    method: str | None = None
    status: int | None = None
    retry_after: int | None = None
    message: str | None = None
    stall_seconds: float = 0.0
    count: int | None = None
    percent: float = 100.0
    token: str | None = None  # only calls made with this bearer token (limits are per user)
    skip: int = 0  # let this many matching calls through first (a fault mid-way through paging)
    hits: int = 0


@dataclass
class DeliveryFault:
    """``duplicate``: copies of each delivery sent (2 = every event twice)."""

    id: str
    duplicate: int = 1
    delay_seconds: float = 0.0
    drop: bool = False
    resource: str | None = None
    count: int | None = None
    percent: float = 100.0
    hits: int = 0


def _number(spec: JsonDict, key: str, kind: type, low: float, high: float) -> Any:
    value = spec.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"'{key}' must be a number")
    if kind is int and not float(value).is_integer():
        raise ValueError(f"'{key}' must be an integer")
    if not low <= value <= high:
        raise ValueError(f"'{key}' must be between {low} and {high}")
    return kind(value)


def _check_keys(spec: JsonDict, cls: type) -> None:
    known = {f.name for f in fields(cls)} - {"id", "hits"}
    unknown = set(spec) - known
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")


def api_fault_from(spec: JsonDict) -> ApiFault:
    _check_keys(spec, ApiFault)
    status = _number(spec, "status", int, 400, 599)
    stall = _number(spec, "stall_seconds", float, 0, 600) or 0.0
    if status is None and not stall:
        raise ValueError("give 'status' or 'stall_seconds'")
    retry_after = _number(spec, "retry_after", int, 0, 86400)
    if status == 429 and retry_after is None:
        retry_after = 1
    method = spec.get("method")
    return ApiFault(
        id=str(uuid.uuid4()),
        path=str(spec.get("path") or "/v1/*"),
        method=str(method).upper() if method else None,
        status=status,
        retry_after=retry_after,
        message=str(spec["message"]) if spec.get("message") else None,
        stall_seconds=stall,
        count=_number(spec, "count", int, 1, 1_000_000),
        percent=_pct(spec),
        token=str(spec["token"]) if spec.get("token") else None,
        skip=_number(spec, "skip", int, 0, 1_000_000) or 0,
    )


def delivery_fault_from(spec: JsonDict) -> DeliveryFault:
    _check_keys(spec, DeliveryFault)
    return DeliveryFault(
        id=str(uuid.uuid4()),
        duplicate=_number(spec, "duplicate", int, 1, 100) or 1,
        delay_seconds=_number(spec, "delay_seconds", float, 0, 600) or 0.0,
        drop=bool(spec.get("drop", False)),
        resource=str(spec["resource"]) if spec.get("resource") else None,
        count=_number(spec, "count", int, 1, 1_000_000),
        percent=_pct(spec),
    )


def _pct(spec: JsonDict) -> float:
    value = _number(spec, "percent", float, 0, 100)
    return 100.0 if value is None else value


class FaultInjector:
    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self._api: list[ApiFault] = []
        self._delivery: list[DeliveryFault] = []
        self._wake = threading.Event()
        # what fired, and on which room: shows that a post the bot calls "unknown"
        # really reached Webex (bounded: the newest 10,000)
        self._fired: deque[JsonDict] = deque(maxlen=10_000)

    def add_api(self, spec: JsonDict) -> ApiFault:
        rule = api_fault_from(spec)
        with self._lock:
            self._api.append(rule)
        return rule

    def add_delivery(self, spec: JsonDict) -> DeliveryFault:
        rule = delivery_fault_from(spec)
        with self._lock:
            self._delivery.append(rule)
        return rule

    def _fires(self, rule: ApiFault | DeliveryFault) -> bool:
        return rule.percent >= 100 or self._random.uniform(0, 100) < rule.percent

    def _use(self, rules: list[Any], rule: Any) -> None:
        rule.hits += 1
        if rule.count is not None:
            rule.count -= 1
            if rule.count <= 0:
                rules.remove(rule)

    def take_api(self, method: str, path: str, token: str | None = None) -> ApiFault | None:
        with self._lock:
            for rule in list(self._api):
                if rule.method not in (None, method.upper()):
                    continue
                if rule.token is not None and rule.token != token:
                    continue
                if not fnmatchcase(path, rule.path) or not self._fires(rule):
                    continue
                if rule.skip > 0:
                    rule.skip -= 1
                    continue
                self._use(self._api, rule)
                return rule
        return None

    def record_fired(
        self, rule: ApiFault, method: str, path: str, room_id: Any, text: Any = None
    ) -> None:
        """Remember a fault that fired; for a post, its room and the start of its text
        (which question an answer that met a 500 was for)."""
        entry: JsonDict = {"faultId": rule.id, "method": method, "path": path, "roomId": room_id}
        entry |= {"status": rule.status, "stallSeconds": rule.stall_seconds, "at": time.time()}
        entry["text"] = text[:FIRED_TEXT_CHARS] if isinstance(text, str) else None
        with self._lock:
            self._fired.append(entry)

    def take_delivery(self, resource: str) -> DeliveryFault | None:
        with self._lock:
            for rule in list(self._delivery):
                if rule.resource not in (None, resource) or not self._fires(rule):
                    continue
                self._use(self._delivery, rule)
                return rule
        return None

    def sleep(self, seconds: float) -> None:
        """Stall, but wake at once when faults are cleared or the server stops."""
        with self._lock:
            wake = self._wake
        wake.wait(seconds)

    def remove(self, fault_id: str) -> bool:
        with self._lock:
            before = len(self._api) + len(self._delivery)
            self._api = [r for r in self._api if r.id != fault_id]
            self._delivery = [r for r in self._delivery if r.id != fault_id]
            return len(self._api) + len(self._delivery) < before
        return False

    def clear(self) -> None:
        with self._lock:
            self._api.clear()
            self._delivery.clear()
            self._fired.clear()
            self._wake.set()
            self._wake = threading.Event()

    def to_json(self) -> JsonDict:
        with self._lock:
            return {
                "api": [asdict(r) for r in self._api],
                "delivery": [asdict(r) for r in self._delivery],
                "fired": list(self._fired),
            }
