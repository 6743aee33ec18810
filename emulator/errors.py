"""The one exception endpoints raise to answer with a Webex error body."""

from __future__ import annotations


class ErrorAnswer(Exception):
    """Answered as ``{"message", "errors": [{"description"}], "trackingId"}``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
