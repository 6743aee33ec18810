"""Sync outcomes on ``/metrics``, read from the store at scrape time.

Syncs run in their own process (``statusbot sync``, the scheduler), often on
another host than the web worker that serves ``/metrics``; counting in
process memory would show nothing there. The store holds each source's
counts (``core.sources.state``), so the scrape reads them: every worker and
host reports the same numbers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine

from core.sources import state

log = logging.getLogger("statusbot.sync")


class SourcesCollector(Collector):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        try:
            states = state.read_all(self.engine)
        except Exception as error:  # a scrape must not fail because the store is down
            log.warning("sync metrics unavailable (%s)", type(error).__name__)
            return
        failures = CounterMetricFamily(
            "statusbot_source_failures",
            "Failed fetches per source ((snapshot): syncs not applied).",
            labels=["source"],
        )
        in_a_row = GaugeMetricFamily(
            "statusbot_source_failures_in_a_row",
            "Failures since the source's last success.",
            labels=["source"],
        )
        success = GaugeMetricFamily(
            "statusbot_source_last_success_timestamp_seconds",
            "When the source (or the whole snapshot) last synced successfully.",
            labels=["source"],
        )
        for row in states:
            failures.add_metric([row.name], row.failures_total)
            in_a_row.add_metric([row.name], row.failures)
            if row.last_success is not None:
                success.add_metric([row.name], row.last_success.timestamp())
        yield from (failures, in_a_row, success)
        snapshot = next((row for row in states if row.name == state.SNAPSHOT), None)
        if snapshot is not None and snapshot.last_success is not None:
            yield GaugeMetricFamily(
                "statusbot_data_age_seconds",
                "Seconds since the data last synced whole (alert on it: stale data).",
                value=time.time() - snapshot.last_success.timestamp(),
            )
