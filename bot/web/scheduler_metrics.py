"""Whether a scheduler runs the digests and alerts, on ``/metrics``, read from the store
at scrape time (``core.proactive.heartbeat``): the scheduler is a process of its
own, maybe on another host, so every web worker reports the same.

* ``statusbot_scheduler_leading``: 1 while a scheduler beats, 0 when none has for
  ``STALE`` (alert on it: digests and alerts are not being posted);
* ``statusbot_scheduler_last_beat_timestamp_seconds``: its last beat, once there was one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine

from core.proactive.heartbeat import last_beat

log = logging.getLogger("statusbot.scheduler")


class SchedulerCollector(Collector):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        try:
            last = last_beat(self.engine)
        except Exception as error:  # a scrape must not fail because the store is down
            log.warning("scheduler metrics unavailable (%s)", type(error).__name__)
            return
        leading = last is not None and last.fresh(datetime.now(UTC))
        yield GaugeMetricFamily(
            "statusbot_scheduler_leading",
            "1 while a scheduler runs the digests and alerts (its heartbeat is recent), else 0.",
            value=1 if leading else 0,
        )
        if last is not None:
            yield GaugeMetricFamily(
                "statusbot_scheduler_last_beat_timestamp_seconds",
                "When the leading scheduler last said it was alive.",
                value=last.at.timestamp(),
            )
