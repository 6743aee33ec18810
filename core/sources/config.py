"""``STATUSBOT_SOURCES`` entries → sources.

Entries are ``file:///srv/statusbot/customers.csv`` (or a plain path),
``https://…`` and ``wholesale`` (the Webex Wholesale API). Options are the
settings that apply to them; the bot reads them from the environment, so this
module stays free of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from core.ingest.columns import ColumnMapping
from core.sources.base import Source
from core.sources.file import DEFAULT_SETTLE_SECONDS, FileSource
from core.sources.url import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_SECONDS, UrlSource

WHOLESALE = "wholesale"


class SourceConfigError(ValueError):
    """An entry of STATUSBOT_SOURCES that cannot be used; ``str()`` says why."""


@dataclass(frozen=True)
class SourceOptions:
    allow_private: bool = False
    url_token: str | None = None
    wholesale_token: str | None = None
    webex_api_url: str = "https://webexapis.com/v1/"
    columns: ColumnMapping | None = None
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    max_bytes: int = DEFAULT_MAX_BYTES
    settle_seconds: float = DEFAULT_SETTLE_SECONDS


def build_sources(entries: Iterable[str], options: SourceOptions) -> list[Source]:
    """One source per entry, in order; SourceConfigError for the first bad one."""
    return [build_source(entry.strip(), options) for entry in entries if entry.strip()]


def build_source(entry: str, options: SourceOptions) -> Source:
    scheme = urlsplit(entry).scheme.lower()
    if entry.lower() == WHOLESALE:
        from core.sources.wholesale import WholesaleSource

        if not options.wholesale_token:
            raise SourceConfigError(
                "wholesale needs STATUSBOT_WHOLESALE_TOKEN (an admin token with "
                "spark-admin:wholesale_customers_read)"
            )
        return WholesaleSource(
            options.webex_api_url, options.wholesale_token, timeout=options.timeout
        )
    if scheme in ("http", "https"):
        try:
            return UrlSource(
                entry,
                token=options.url_token,
                allow_private=options.allow_private,
                columns=options.columns,
                timeout=options.timeout,
                max_bytes=options.max_bytes,
            )
        except ValueError as error:
            raise SourceConfigError(str(error)) from None
    if scheme == "file":
        path = Path(unquote(urlsplit(entry).path))
    elif scheme in ("", "c", "d"):  # a plain path (or a Windows drive letter)
        path = Path(entry)
    else:
        raise SourceConfigError(
            f"{entry.split(':', 1)[0]}:…: not a source (use file:///path, https://… or wholesale)"
        )
    return FileSource(path, columns=options.columns, settle_seconds=options.settle_seconds)
