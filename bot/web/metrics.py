"""Prometheus metrics (prometheus_client: the standard exposition, and its
multiprocess mode for gunicorn's several workers).

Each Service gets its own registry, so tests and several apps in one process
never share counters. Under ``statusbot run``, PROMETHEUS_MULTIPROC_DIR is set
and /metrics adds up every worker process.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector


class ProcessFiles(Collector):
    """prometheus_client's multiprocess collector over this instance's folder, minus
    the files that are still empty.

    A process creates its file before it sizes it; a worker killed in between
    leaves it empty for good, and prometheus_client's own collector then fails
    every scrape (prometheus/client_python#1199, open). An empty file holds no
    values, so nothing is lost by leaving it out.
    """

    def __init__(self, folder: str) -> None:
        self._folder = Path(folder)

    def collect(self) -> Iterable[Metric]:
        files = []
        for file in self._folder.glob("*.db"):
            with contextlib.suppress(FileNotFoundError):  # a dead worker's, just removed
                if file.stat().st_size > 0:
                    files.append(str(file))
        merged: Iterable[Metric] = multiprocess.MultiProcessCollector.merge(files)  # type: ignore[no-untyped-call]
        return merged


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.shared: list[Collector] = []
        self.webhooks = Counter(
            "statusbot_webhook_events",
            "Webhook deliveries by outcome: stored, duplicate, own (the bot's own message, "
            "not stored), bad_signature, malformed, too_large.",
            ["outcome"],
            registry=self.registry,
        )
        self.replies = Counter(
            "statusbot_replies",
            "Events worked on by outcome: sent, failed (the asker got the apology), refused, "
            "rejected (a card payload refused), retracted, ignored, unknown (the reply may be "
            "out and a group space can't be checked: not posted again, the asker got a notice "
            "instead), retrying (released for a later try).",
            ["outcome"],
            registry=self.registry,
        )
        self.refusals = Counter(
            "statusbot_access_refused",
            "Refusals by reason: asker_not_allowed, member_not_allowed, outsider_space, "
            "card_invalid, card_outdated, retraction (someone not allowed joined a space "
            "with customer data).",
            ["reason"],
            registry=self.registry,
        )
        self.retracted = Counter(
            "statusbot_retracted_messages",
            "Data-bearing messages the bot deleted because someone not allowed joined "
            "their space (bot.retraction).",
            registry=self.registry,
        )
        self.receive_seconds = Histogram(
            "statusbot_webhook_receive_seconds",
            "Time to verify, store and answer a webhook delivery.",
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
            registry=self.registry,
        )
        self.reply_seconds = Histogram(
            "statusbot_reply_seconds",
            "Time from a webhook's arrival to the reply being posted.",
            buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
            registry=self.registry,
        )
        self.web_processes = Gauge(
            "statusbot_web_processes",
            "Web processes serving (statusbot run's gunicorn workers that are alive).",
            registry=self.registry,
            multiprocess_mode="livesum",
        )

    def share(self, collector: Collector) -> None:
        """Add a collector that reads shared state (the store) at scrape time: the
        same in every worker, so it is not summed over processes."""
        self.shared.append(collector)
        self.registry.register(collector)

    def exposition(self) -> tuple[bytes, str]:
        """The text to serve at /metrics, and its content type."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            registry.register(ProcessFiles(os.environ["PROMETHEUS_MULTIPROC_DIR"]))
            for collector in self.shared:
                registry.register(collector)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
