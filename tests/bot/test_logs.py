from __future__ import annotations

import json
import logging

from bot.logs import JsonFormatter


def test_json_lines_carry_the_event_id_and_nothing_unasked() -> None:
    record = logging.LogRecord(
        "statusbot.worker", logging.INFO, __file__, 1, "event %s: %s", (7, "sent"), None
    )
    record.event_id = 7
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "event 7: sent"
    assert (
        line["event_id"] == 7 and line["level"] == "info" and line["logger"] == "statusbot.worker"
    )
    assert set(line) == {"time", "level", "logger", "message", "event_id"}
