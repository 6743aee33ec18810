"""Webhook delivery: signed POSTs from background threads, never inside an API request.

An event is matched against the webhooks when it happens (so a webhook made
later never hears of it, and room membership is judged at that moment); the
POSTs happen afterwards on the dispatcher's threads. Webex delivers several
webhooks at once and promises no order, so ``delivery_concurrency`` threads
each POST one at a time: a slow target or a delayed delivery holds up one of
them, not the whole queue, and a benchmark measures the bot, not this queue.
Each failure (non-2xx or
unreachable) is counted; ``failure_threshold`` failures within
``failure_window_seconds`` set the webhook ``inactive``, as Webex does.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import queue
import threading
from collections import deque
from dataclasses import asdict, dataclass

import requests

from emulator.config import EmulatorConfig
from emulator.events import Event, JsonDict
from emulator.faults import FaultInjector
from emulator.matching import matches
from emulator.models import Webhook
from emulator.store import WebexState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    webhook_id: str
    target_url: str
    secret: str | None
    body: bytes
    resource: str
    event: str
    data_id: str


@dataclass(frozen=True)
class DeliveryRecord:
    webhook_id: str
    target_url: str
    resource: str
    event: str
    data_id: str
    outcome: str  # delivered | failed | dropped | skipped
    status_code: int | None
    error: str | None
    created: str


def envelope(webhook: Webhook, event: Event) -> JsonDict:
    """The JSON Webex POSTs: the webhook's own fields plus ``actorId`` and ``data``."""
    body: JsonDict = {
        "id": webhook.id,
        "name": webhook.name,
        "targetUrl": webhook.target_url,
        "resource": event.resource,
        "event": event.event,
    }
    if webhook.filter:
        body["filter"] = webhook.filter
    body.update(
        {
            "orgId": webhook.org_id,
            "createdBy": webhook.owner_id,
            "appId": webhook.app_id,
            "ownedBy": "creator",
            "status": webhook.status,
            "created": webhook.created,
            "actorId": event.actor_id,
            "data": event.data,
        }
    )
    return body


def signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


class Dispatcher:
    def __init__(self, store: WebexState, faults: FaultInjector, config: EmulatorConfig) -> None:
        self._store = store
        self._faults = faults
        self._config = config
        self._queue: queue.Queue[Delivery | None] = queue.Queue()
        self._idle = threading.Condition()
        self._pending = 0
        self._failures: dict[str, deque[float]] = {}
        self._records: deque[DeliveryRecord] = deque(maxlen=config.event_log_size)
        self._local = threading.local()  # a requests.Session per thread: not thread-safe
        self._sessions: list[requests.Session] = []
        self._threads: list[threading.Thread] = []

    # -- producer side (called with the store lock held) ---------------------
    def on_event(self, event: Event) -> None:
        for webhook in list(self._store.webhooks.values()):
            owner = self._store.people.get(webhook.owner_id)
            if owner is None or not matches(webhook, owner, event):
                continue
            body = json.dumps(envelope(webhook, event)).encode()
            delivery = Delivery(
                webhook_id=webhook.id,
                target_url=webhook.target_url,
                secret=webhook.secret,
                body=body,
                resource=event.resource,
                event=event.event,
                data_id=str(event.data.get("id", "")),
            )
            with self._idle:
                self._pending += 1
            self._queue.put(delivery)

    # -- lifecycle -----------------------------------------------------------
    def start(self) -> None:
        if self._threads:
            return
        for number in range(max(1, self._config.delivery_concurrency)):
            thread = threading.Thread(
                target=self._run, name=f"emulator-delivery-{number}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads = []
        with self._idle:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.trust_env = False  # targets are local; never route them via a proxy
            self._local.session = session
            with self._idle:
                self._sessions.append(session)
        return session

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every queued delivery has been attempted; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def clear(self) -> None:
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                self._done()
        with self._store.lock:
            self._failures.clear()
            self._records.clear()

    def reset_failures(self, webhook_id: str) -> None:
        with self._store.lock:
            self._failures.pop(webhook_id, None)

    def records(self) -> list[JsonDict]:
        with self._store.lock:
            return [asdict(r) for r in self._records]

    # -- consumer side ---------------------------------------------------------
    def _done(self) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def _run(self) -> None:
        while True:
            delivery = self._queue.get()
            if delivery is None:
                return
            try:
                self._process(delivery)
            except Exception:  # the thread must survive any one delivery
                log.exception("delivery to webhook %s failed", delivery.webhook_id)
            finally:
                self._done()

    def _process(self, delivery: Delivery) -> None:
        fault = self._faults.take_delivery(delivery.resource)
        if fault is not None and fault.drop:
            self._record(delivery, "dropped", None, None)
            return
        if fault is not None and fault.delay_seconds:
            self._faults.sleep(fault.delay_seconds)
        for _ in range(fault.duplicate if fault else 1):
            self._send(delivery)

    def _send(self, delivery: Delivery) -> None:
        with self._store.lock:
            webhook = self._store.webhooks.get(delivery.webhook_id)
            if webhook is None or webhook.status != "active":
                self._record(delivery, "skipped", None, "webhook deleted or inactive")
                return
        headers = {"Content-Type": "application/json", "User-Agent": "Webex-Emulator"}
        if delivery.secret:
            headers["X-Spark-Signature"] = signature(delivery.secret, delivery.body)
        try:
            response = self._session().post(
                delivery.target_url,
                data=delivery.body,
                headers=headers,
                timeout=self._config.delivery_timeout_seconds,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            self._record(delivery, "failed", None, type(exc).__name__)
            self._count_failure(delivery.webhook_id)
            return
        if 200 <= response.status_code < 300:
            self._record(delivery, "delivered", response.status_code, None)
        else:
            self._record(delivery, "failed", response.status_code, None)
            self._count_failure(delivery.webhook_id)

    def _record(self, d: Delivery, outcome: str, status: int | None, error: str | None) -> None:
        with self._store.lock:
            self._records.append(
                DeliveryRecord(
                    webhook_id=d.webhook_id,
                    target_url=d.target_url,
                    resource=d.resource,
                    event=d.event,
                    data_id=d.data_id,
                    outcome=outcome,
                    status_code=status,
                    error=error,
                    created=self._store.now(),
                )
            )

    def _count_failure(self, webhook_id: str) -> None:
        now = self._config.clock()
        window = self._config.failure_window_seconds
        with self._store.lock:
            times = self._failures.setdefault(webhook_id, deque())
            times.append(now)
            while times and times[0] < now - window:
                times.popleft()
            webhook = self._store.webhooks.get(webhook_id)
            if webhook is not None and len(times) >= self._config.failure_threshold:
                webhook.status = "inactive"
                times.clear()
                log.info("webhook %s set inactive after repeated failures", webhook_id)
