"""Logging for the bot's processes: one JSON object per line, or plain text.

Lines carry the event id where there is one (``extra={"event_id": …}``), never
tokens or message text (the code never logs them; this format adds nothing
that was not asked for). ``statusbot run`` logs JSON for log collectors;
``statusbot demo`` logs text for a person.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

#: Extra fields a log call may attach, and that the JSON line then carries.
FIELDS = ("event_id", "resource", "outcome", "reason")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure_logging(style: str = "json", level: int = logging.INFO) -> None:
    """Set up the ``statusbot`` loggers once, for the whole process."""
    handler = logging.StreamHandler()
    if style == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("statusbot")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
