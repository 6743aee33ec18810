"""An HTTPS URL source: an export served by the partner's own systems.

Polite and careful: conditional requests (``If-None-Match`` with the last
``ETag``, ``If-Modified-Since`` with the last ``Last-Modified``) so an unchanged
export costs a 304; a timeout per step and a deadline for the whole body; a
size cap; an optional bearer token (never logged, never shown); redirects
followed by hand, only to the same host and never from https down to http; and
(``netguard``) no private, loopback or link-local peer unless allowed.
"""

from __future__ import annotations

import time
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import requests

from core.ingest.columns import ColumnMapping
from core.ingest.staging import Snapshot
from core.sources import netguard
from core.sources.base import Fetched, SourceError, SourceKind, parse_payload

DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024


def safe_url(url: str) -> str:
    """The URL as it may be shown: scheme, host, port and path; no user, password,
    query or fragment (any of which may carry a credential)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


class UrlSource:
    kind: SourceKind = "export"

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        allow_private: bool = False,
        columns: ColumnMapping | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError(f"{safe_url(url)}: not an https URL")
        if parts.scheme == "http" and not allow_private:
            # plain http only for local test servers: a token or an export in clear text
            raise ValueError(
                f"{safe_url(url)}: use https (http only with STATUSBOT_SOURCES_ALLOW_PRIVATE=true)"
            )
        self.url = url
        self._token = token
        self.columns = columns
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._session = netguard.session(allow_private=allow_private)
        self._last: Snapshot | None = None
        self._etag: str | None = None
        self._modified: str | None = None

    @property
    def name(self) -> str:
        return safe_url(self.url)

    def fetch(self, now: datetime) -> Fetched:
        response = self._get()
        with response:
            if response.status_code == 304 and self._last is not None:
                return Fetched(self._last, changed=False)
            self._check_status(response)
            body = self._read(response)
            hint = response.headers.get("Content-Type", "") + " " + urlsplit(response.url).path
            etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
        snapshot = parse_payload(self.name, body, hint=hint, columns=self.columns)
        self._last, self._etag, self._modified = snapshot, etag, modified
        return Fetched(snapshot)

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json, text/csv;q=0.9, */*;q=0.5"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        if self._last is not None:
            if self._etag:
                headers["If-None-Match"] = self._etag
            if self._modified:
                headers["If-Modified-Since"] = self._modified
        return headers

    def _get(self) -> requests.Response:
        url, origin = self.url, urlsplit(self.url)
        for _hop in range(MAX_REDIRECTS + 1):
            response = self._request(url)
            if not response.is_redirect:
                return response
            target = urljoin(url, response.headers.get("Location", ""))
            response.close()
            moved = urlsplit(target)
            if (moved.hostname, moved.port) != (origin.hostname, origin.port) or (
                origin.scheme == "https" and moved.scheme != "https"
            ):
                raise SourceError(
                    self.name,
                    f"redirected to another host ({safe_url(target)}): refused, "
                    "only redirects to the same host are followed",
                )
            url = target
        raise SourceError(self.name, f"more than {MAX_REDIRECTS} redirects")

    def _request(self, url: str) -> requests.Response:
        try:
            return self._session.get(
                url,
                headers=self._headers(),
                timeout=self.timeout,
                stream=True,
                allow_redirects=False,
            )
        except netguard.BlockedAddress as blocked:
            raise SourceError(
                self.name,
                f"refused: {blocked.address} is a private, loopback or link-local address "
                "(set STATUSBOT_SOURCES_ALLOW_PRIVATE=true to allow it)",
            ) from None
        except requests.Timeout:
            raise SourceError(self.name, f"no answer within {self.timeout:g} s") from None
        except requests.RequestException as error:
            raise SourceError(self.name, f"cannot connect ({type(error).__name__})") from None

    def _check_status(self, response: requests.Response) -> None:
        status = response.status_code
        if status == 200:
            return
        if status in (401, 403):
            raise SourceError(
                self.name, f"HTTP {status}: the server refused; check STATUSBOT_SOURCES_TOKEN"
            )
        retry_after = response.headers.get("Retry-After", "")
        raise SourceError(
            self.name,
            f"HTTP {status}",
            retry_after=float(retry_after) if retry_after.isdigit() else None,
        )

    def _read(self, response: requests.Response) -> bytes:
        """The whole body, refused beyond ``max_bytes`` or past the deadline."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise SourceError(self.name, self._too_big(int(declared)))
        deadline = time.monotonic() + self.timeout * 4
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(_CHUNK):
                size += len(chunk)
                if size > self.max_bytes:
                    raise SourceError(self.name, self._too_big(size))
                if time.monotonic() > deadline:
                    raise SourceError(self.name, f"body not complete within {self.timeout * 4:g} s")
                chunks.append(chunk)
        except requests.RequestException as error:
            raise SourceError(self.name, f"body not received ({type(error).__name__})") from None
        return b"".join(chunks)

    def _too_big(self, size: int) -> str:
        return (
            f"the answer is larger than the cap ({size:,} > {self.max_bytes:,} bytes; "
            "raise STATUSBOT_SOURCES_MAX_MB if it is right)"
        )
