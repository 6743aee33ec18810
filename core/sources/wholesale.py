"""The Webex Wholesale source: ``GET /v1/wholesale/customers`` and the names of
their organizations.

Every page (``offset``/``max``, strings in Cisco's spec) is fetched before
anything is returned, so a 500 on page three applies nothing. A 429 is waited
out (its ``Retry-After``, bounded) a few times, then reported. Customers have
no name: ``GET /v1/organizations/{orgId}`` gives ``displayName``, remembered
for a day; before the organization exists (no ``orgId``) the ``externalId``
stands in. The admin token is a setting of its own (a bot token cannot hold
``spark-admin:wholesale_customers_read``) and is never logged or shown.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from pydantic import ValidationError

from core.ingest.problems import SnapshotInvalid
from core.ingest.snapshot import snapshot_from_customers
from core.sources.base import Fetched, SourceError, SourceKind
from core.sources.wholesale_map import WholesaleCustomer, to_customer

PAGE_SIZE = 100
MAX_PAGES = 10_000
MAX_RATE_LIMIT_WAITS = 3
MAX_WAIT_SECONDS = 60.0
NAME_TTL = timedelta(hours=24)


class WholesaleSource:
    kind: SourceKind = "wholesale"

    def __init__(
        self,
        api_url: str,
        token: str,
        *,
        timeout: float = 30.0,
        page_size: int = PAGE_SIZE,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api_url = api_url if api_url.endswith("/") else api_url + "/"
        self._token = token
        self.timeout = timeout
        self.page_size = page_size
        self._sleep = sleep
        self._session = requests.Session()
        self._session.trust_env = False
        self._names: dict[str, tuple[str | None, datetime]] = {}

    @property
    def name(self) -> str:
        return f"wholesale ({urlsplit(self.api_url).hostname})"

    def fetch(self, now: datetime) -> Fetched:
        items = self._all_customers()
        customers: list[WholesaleCustomer] = []
        problems: list[str] = []
        for index, item in enumerate(items):
            try:
                customers.append(WholesaleCustomer.model_validate(item))
            except ValidationError as error:
                ident = item.get("id") if isinstance(item, dict) else None
                for problem in error.errors():
                    field = ".".join(str(part) for part in problem["loc"]) or "(item)"
                    problems.append(
                        f"customer {index} (id {ident!r}), field {field}: {problem['msg']}"
                    )
        if problems:
            raise SourceError(
                self.name, f"not applied: {len(problems)} problem(s)", invalid=True,
                details=tuple(problems[:1000]),
            )  # fmt: skip
        named = [to_customer(c, self._org_name(c.orgId, now)) for c in customers]
        try:
            return Fetched(snapshot_from_customers(named))
        except SnapshotInvalid as invalid:
            details = tuple(str(error) for error in invalid.errors)
            raise SourceError(
                self.name, f"not applied: {invalid}", invalid=True, details=details
            ) from None

    def _all_customers(self) -> list[Any]:
        items: list[Any] = []
        for page in range(MAX_PAGES):
            offset = page * self.page_size
            body = self._get(
                "wholesale/customers", {"offset": str(offset), "max": str(self.page_size)}
            )
            found = body.get("items") if isinstance(body, dict) else None
            if not isinstance(found, list):
                raise SourceError(
                    self.name, f"page at offset {offset}: no 'items' list", invalid=True
                )
            items.extend(found)
            if len(found) < self.page_size:
                return items
        raise SourceError(self.name, f"more than {MAX_PAGES} pages")

    def _org_name(self, org_id: str | None, now: datetime) -> str | None:
        if not org_id:
            return None
        known = self._names.get(org_id)
        if known is not None and now - known[1] < NAME_TTL:
            return known[0]
        body = self._get(f"organizations/{org_id}", {}, missing_ok=True)
        name = body.get("displayName") if isinstance(body, dict) else None
        name = name.strip() if isinstance(name, str) and name.strip() else None
        self._names[org_id] = (name, now)
        return name

    def _get(self, path: str, params: dict[str, str], *, missing_ok: bool = False) -> Any:
        """One GET, 429 waited out a few times; SourceError for anything else."""
        where = path.split("/", 1)[0] + (f" offset {params['offset']}" if params else "")
        for _attempt in range(MAX_RATE_LIMIT_WAITS + 1):
            try:
                response = self._session.get(
                    self.api_url + path,
                    params=params,
                    headers={"Authorization": f"Bearer {self._token}"},
                    timeout=self.timeout,
                )
            except requests.Timeout:
                raise SourceError(
                    self.name, f"{where}: no answer within {self.timeout:g} s"
                ) from None
            except requests.RequestException as error:
                raise SourceError(
                    self.name, f"{where}: cannot connect ({type(error).__name__})"
                ) from None
            retry_after = _seconds(response.headers.get("Retry-After"))
            if response.status_code == 429:
                self._sleep(min(retry_after or 1.0, MAX_WAIT_SECONDS))
                continue
            if missing_ok and response.status_code in (403, 404):
                return {}
            if response.status_code in (401, 403):
                raise SourceError(
                    self.name,
                    f"{where}: HTTP {response.status_code}: check STATUSBOT_WHOLESALE_TOKEN "
                    "(an admin token with spark-admin:wholesale_customers_read)",
                )
            if response.status_code != 200:
                raise SourceError(
                    self.name, f"{where}: HTTP {response.status_code}", retry_after=retry_after
                )
            try:
                return response.json()
            except ValueError:
                raise SourceError(self.name, f"{where}: not JSON", invalid=True) from None
        raise SourceError(
            self.name, f"{where}: still rate limited (HTTP 429) after {MAX_RATE_LIMIT_WAITS} waits"
        )


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
