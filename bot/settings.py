"""Settings from the environment (pydantic-settings), checked in one place.

The names are an interface (architecture.md): ``WEBEX_ACCESS_TOKEN`` (the
SDK's own variable), ``STATUSBOT_DATABASE_URL``, ``STATUSBOT_WEBEX_API_URL``,
``STATUSBOT_PUBLIC_URL``, ``STATUSBOT_WEBHOOK_SECRET``, ``STATUSBOT_ALLOWED``,
``STATUSBOT_TIMEZONE``, ``STATUSBOT_TODAY``, and the operational ones below.

Every command (``run``, ``doctor``, ``scheduler``, the web workers, ``import``,
``ask``) loads them through :func:`load_settings`, so a value is checked the
same way everywhere and before anything touches Webex. Commands ask only for
what they use (``require``, with the tuples ``RUN_NEEDS`` and friends):
``statusbot ask`` needs no token, ``statusbot run`` needs all of them. A
person fixing a deployment wants every problem at once, so ``SettingsError``
carries all of them, one line each, and never a value (secrets stay secret).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.access import AccessPolicy
from core.clock import Clock, today_in

DEFAULT_DATABASE_URL = "sqlite:///statusbot.sqlite3"
DEFAULT_WEBEX_API_URL = "https://webexapis.com/v1/"
#: Webex recommends a strong secret; 16 characters is what ``doctor`` always asked for.
MIN_SECRET_LENGTH = 16

#: What each command needs set (checked after the values themselves).
RUN_NEEDS = (
    "WEBEX_ACCESS_TOKEN",
    "STATUSBOT_PUBLIC_URL",
    "STATUSBOT_WEBHOOK_SECRET",
    "STATUSBOT_ALLOWED",
)
WORKER_NEEDS = ("WEBEX_ACCESS_TOKEN", "STATUSBOT_WEBHOOK_SECRET", "STATUSBOT_ALLOWED")
SCHEDULER_NEEDS = ("WEBEX_ACCESS_TOKEN", "STATUSBOT_ALLOWED")

#: How to fix each setting, said once where it is checked.
HOW_TO_FIX = {
    "WEBEX_ACCESS_TOKEN": "set it to the bot's access token from developer.webex.com (My Apps)",
    "STATUSBOT_DATABASE_URL": "use sqlite:///path/to/file.sqlite3 or postgresql+psycopg://user@host/db",
    "STATUSBOT_WEBEX_API_URL": "use an https URL such as https://webexapis.com/v1/",
    "STATUSBOT_PUBLIC_URL": "set it to the https URL where Webex can reach this bot",
    "STATUSBOT_WEBHOOK_SECRET": (
        f"set it to a random string of at least {MIN_SECRET_LENGTH} characters "
        "(e.g. the output of `openssl rand -hex 24`)"
    ),
    "STATUSBOT_ALLOWED": (
        "list emails, @domains, room ids and organization ids, separated by commas"
    ),
    "STATUSBOT_ALLOW_HTTP": "use true or false (true accepts http:// URLs on other hosts)",
    "STATUSBOT_TIMEZONE": "use an IANA time zone name such as Europe/Stockholm or UTC",
    "STATUSBOT_TODAY": "use a date as YYYY-MM-DD, or leave it unset to use the real date",
    "STATUSBOT_LEAVE_OUTSIDER_SPACES": "use true or false",
    "STATUSBOT_RETRACT_ON_OUTSIDER_JOIN": "use true or false",
    "STATUSBOT_RETRACT_WINDOW_DAYS": "use a number of days from 1 to 3650",
    "STATUSBOT_WORKER_THREADS": "use a whole number from 1 to 64",
    "STATUSBOT_INBOX_LEASE_SECONDS": "use a number of seconds from 1 to 3600",
    "STATUSBOT_WEB_WORKERS": "use a whole number from 1 to 64",
    "STATUSBOT_INBOX_RETENTION_DAYS": "use a number of days from 1 to 3650",
    "STATUSBOT_LOG_FORMAT": "use json or text",
    "STATUSBOT_RETRY_WINDOW_SECONDS": "use a number of seconds from 5 to 86400 (default 900)",
    "STATUSBOT_RETRY_FIRST_SECONDS": "use a number of seconds from 0.05 to 600 (default 5)",
    "STATUSBOT_REPLAY_WINDOW_HOURS": "use a number of hours, less than the inbox retention",
    "STATUSBOT_WEBEX_TIMEOUT_SECONDS": "use a number of seconds from 1 to 120 (default 20)",
    "STATUSBOT_LANGUAGE": "use en or sv",
    "STATUSBOT_SOURCES": "list file:///path, https://… URLs or wholesale, separated by commas",
    "STATUSBOT_SYNC_MINUTES": "use a whole number of minutes from 1 to 1440",
    "STATUSBOT_SOURCES_ALLOW_PRIVATE": "use true (only for sources on your own network) or false",
    "STATUSBOT_SOURCES_TOKEN": "set it to the bearer token your export URL expects, or unset it",
    "STATUSBOT_SOURCES_MAX_MB": "use a size in megabytes from 1 to 2048",
    "STATUSBOT_WHOLESALE_TOKEN": "set it to a token with spark-admin:wholesale_customers_read",
    "STATUSBOT_STALE_MINUTES": "use a whole number of minutes from 1 to 100000",
    "STATUSBOT_COLUMNS": "set it to the path of a column mapping file (TOML), or unset it",
    "STATUSBOT_METRICS_DIR": "use a folder this user owns, e.g. /run/statusbot/metrics",
}


class SettingsError(Exception):
    """Settings are missing or malformed: ``problems`` holds one line per setting,
    each saying which and how to fix it; ``str()`` is those lines."""

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


def is_loopback_url(url: str) -> bool:
    """True when ``url`` points at this machine (where plain http stays on the host)."""
    host = (urlsplit(url).hostname or "").strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url(value: str, info: ValidationInfo) -> str:
    """An https URL; http only on loopback or when STATUSBOT_ALLOW_HTTP says so, because
    the token (API URL) and the signed deliveries (public URL) would travel in clear."""
    scheme = urlsplit(value).scheme
    if scheme not in ("http", "https") or not urlsplit(value).hostname:
        raise ValueError("not an http(s) URL")
    if scheme == "http" and not is_loopback_url(value) and not info.data.get("allow_http"):
        raise ValueError("http:// is only accepted for 127.0.0.1 or localhost")
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STATUSBOT_", extra="ignore")

    # First, so the URL checks below can read it.
    allow_http: bool = False
    webex_access_token: SecretStr | None = Field(
        default=None, validation_alias="WEBEX_ACCESS_TOKEN"
    )
    database_url: str = DEFAULT_DATABASE_URL
    webex_api_url: str = DEFAULT_WEBEX_API_URL
    public_url: str | None = None
    webhook_secret: SecretStr | None = None
    allowed: Annotated[tuple[str, ...], NoDecode] = ()
    timezone: str = "UTC"
    today: date | None = None
    # Operations (optional): leave spaces that outsiders add the bot to; take back
    # data-bearing messages when an outsider joins (bot.retraction) and how far back;
    # inbox worker threads per process; the default reply language of a space.
    leave_outsider_spaces: bool = False
    retract_on_outsider_join: bool = True
    retract_window_days: float = Field(default=30.0, ge=1.0, le=3650.0)
    worker_threads: int = Field(default=4, ge=1, le=64)
    inbox_lease_seconds: float = Field(default=120.0, ge=1.0, le=3600.0)
    inbox_retention_days: float = Field(default=7.0, ge=1.0, le=3650.0)
    web_workers: int = Field(default=2, ge=1, le=64)  # gunicorn processes of statusbot run
    log_format: Literal["json", "text"] = "json"
    # Patient retries (bot.inbox.retry_plan) and the replay window (bot.answering.responder).
    retry_window_seconds: float = Field(default=900.0, ge=5.0, le=86400.0)
    retry_first_seconds: float = Field(default=5.0, ge=0.05, le=600.0)
    replay_window_hours: float = Field(default=24.0, gt=0.0, le=87600.0)
    webex_timeout_seconds: float = Field(default=20.0, ge=1.0, le=120.0)  # per Webex request
    language: Literal["en", "sv"] = "en"
    # Sources (issue 9): where data comes from by itself, how often, how old is too old.
    sources: Annotated[tuple[str, ...], NoDecode] = ()
    sync_minutes: int = Field(default=15, ge=1, le=1440)
    sources_allow_private: bool = False
    sources_token: SecretStr | None = None  # bearer token of URL sources (never logged)
    sources_max_mb: int = Field(default=64, ge=1, le=2048)
    wholesale_token: SecretStr | None = None  # Webex admin token (never logged)
    stale_minutes: int = Field(default=60, ge=1, le=100_000)
    columns: str | None = None
    # statusbot run: where each instance keeps its metrics folder (bot.web.metrics_folder)
    metrics_dir: Path | None = None

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        from core.dialect.urls import database_url

        return database_url(value)

    @field_validator("replay_window_hours")
    @classmethod
    def _replay_window(cls, value: float, info: ValidationInfo) -> float:
        """A replay is refused by its age only while its inbox row could be gone: the
        window must end before the retention does (bot.responder)."""
        retention = info.data.get("inbox_retention_days")  # absent when itself invalid
        if retention is not None and value >= retention * 24:
            raise ValueError("not shorter than the inbox retention")
        return value

    @field_validator("webex_api_url")
    @classmethod
    def _api_url(cls, value: str, info: ValidationInfo) -> str:
        value = _url(value, info)
        return value if value.endswith("/") else value + "/"  # the SDK joins with urljoin

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        if not value:
            return None
        return _url(value, info).rstrip("/")

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and 0 < len(value.get_secret_value()) < MIN_SECRET_LENGTH:
            raise ValueError(f"shorter than {MIN_SECRET_LENGTH} characters")
        return value

    @field_validator("sources", mode="before")
    @classmethod
    def _sources(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("allowed", mode="before")
    @classmethod
    def _allowed(cls, value: object) -> object:
        if isinstance(value, str):
            value = tuple(
                part.strip() for part in value.replace(";", ",").split(",") if part.strip()
            )
        if isinstance(value, list | tuple):
            AccessPolicy.from_entries(str(entry) for entry in value)  # ValueError names it
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not a known time zone") from None
        return value

    def access_policy(self) -> AccessPolicy:
        """The parsed STATUSBOT_ALLOWED (already checked when the settings loaded)."""
        return AccessPolicy.from_entries(self.allowed)

    def today_date(self, clock: Clock | None = None) -> date:
        """The fixed date when STATUSBOT_TODAY is set, else today in the time zone."""
        return self.today or today_in(self.timezone, clock)

    def missing(self, *names: str) -> list[str]:
        """One line for each of ``names`` that is unset."""
        problems = []
        for name in names:
            value = getattr(self, _field_of(name))
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            if value in (None, "", ()):
                problems.append(f"{name} is not set: {HOW_TO_FIX[name]}")
        return problems

    def require(self, *names: str) -> None:
        """Raise SettingsError listing every one of ``names`` that is unset."""
        problems = self.missing(*names)
        if problems:
            raise SettingsError(problems)


def _field_of(name: str) -> str:
    return "webex_access_token" if name == "WEBEX_ACCESS_TOKEN" else name[10:].lower()


def _name_of(field: str) -> str:
    if field in ("webex_access_token", "WEBEX_ACCESS_TOKEN"):
        return "WEBEX_ACCESS_TOKEN"
    return "STATUSBOT_" + field.upper()


def load_settings(*, needs: Sequence[str] = ()) -> Settings:
    """Settings from the environment; SettingsError listing every bad value and then
    every one of ``needs`` that is unset, each once, one line each."""
    try:
        settings = Settings()
    except ValidationError as error:
        problems: list[str] = []
        for problem in error.errors():
            name = _name_of(str(problem["loc"][0])) if problem["loc"] else "settings"
            reason = str(problem["msg"]).removeprefix("Value error, ")
            line = f"{name} is invalid ({reason}): {HOW_TO_FIX.get(name, 'check its value')}"
            if line not in problems:
                problems.append(line)
        bad = {line.split(" ", 1)[0] for line in problems}
        unset = [
            f"{name} is not set: {HOW_TO_FIX[name]}"
            for name in needs
            if name not in bad and not os.environ.get(name, "").strip()
        ]
        raise SettingsError(problems + unset) from None
    settings.require(*needs)
    return settings
