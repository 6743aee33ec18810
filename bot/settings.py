"""Settings from the environment (pydantic-settings), with errors a person can act on.

The names are an interface (architecture.md): ``WEBEX_ACCESS_TOKEN`` (the
SDK's own variable), ``STATUSBOT_DATABASE_URL``, ``STATUSBOT_WEBEX_API_URL``,
``STATUSBOT_PUBLIC_URL``, ``STATUSBOT_WEBHOOK_SECRET``, ``STATUSBOT_ALLOWED``,
``STATUSBOT_TIMEZONE``, ``STATUSBOT_TODAY``. Commands ask only for what they
use: ``statusbot ask`` needs no token, ``statusbot run`` needs all of them.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.classify import Clock, today_in

DEFAULT_DATABASE_URL = "sqlite:///statusbot.sqlite3"
DEFAULT_WEBEX_API_URL = "https://webexapis.com/v1/"

#: How to fix each setting, said once where it is checked.
HOW_TO_FIX = {
    "WEBEX_ACCESS_TOKEN": "set it to the bot's access token from developer.webex.com (My Apps)",
    "STATUSBOT_DATABASE_URL": "use sqlite:///path/to/file.sqlite3 or postgresql+psycopg://user@host/db",
    "STATUSBOT_WEBEX_API_URL": "use an http(s) URL such as https://webexapis.com/v1/",
    "STATUSBOT_PUBLIC_URL": "set it to the https URL where Webex can reach this bot",
    "STATUSBOT_WEBHOOK_SECRET": "set it to a random string of at least 16 characters",
    "STATUSBOT_ALLOWED": "list emails, @domains and room ids, separated by commas",
    "STATUSBOT_TIMEZONE": "use an IANA time zone name such as Europe/Stockholm or UTC",
    "STATUSBOT_TODAY": "use a date as YYYY-MM-DD, or leave it unset to use the real date",
    "STATUSBOT_LEAVE_OUTSIDER_SPACES": "use true or false",
    "STATUSBOT_WORKER_THREADS": "use a whole number from 1 to 64",
    "STATUSBOT_INBOX_LEASE_SECONDS": "use a number of seconds from 1 to 3600",
    "STATUSBOT_WEB_WORKERS": "use a whole number from 1 to 64",
    "STATUSBOT_INBOX_RETENTION_DAYS": "use a number of days from 1 to 3650",
    "STATUSBOT_LOG_FORMAT": "use json or text",
    "STATUSBOT_LANGUAGE": "use en or sv",
}


class SettingsError(Exception):
    """A setting is missing or malformed; ``str()`` is one line saying how to fix it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STATUSBOT_", extra="ignore")

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
    # Operations (optional): leave spaces that outsiders add the bot to; inbox
    # worker threads per process; the default reply language of a space.
    leave_outsider_spaces: bool = False
    worker_threads: int = Field(default=4, ge=1, le=64)
    inbox_lease_seconds: float = Field(default=120.0, ge=1.0, le=3600.0)
    inbox_retention_days: float = Field(default=7.0, ge=1.0, le=3650.0)
    web_workers: int = Field(default=2, ge=1, le=64)  # gunicorn processes of statusbot run
    log_format: Literal["json", "text"] = "json"
    language: Literal["en", "sv"] = "en"

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql")):
            raise ValueError("not a sqlite: or postgresql URL")
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            # psycopg 3 is the driver we ship; SQLAlchemy's default would be psycopg2.
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        return value

    @field_validator("webex_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("not an http(s) URL")
        return value if value.endswith("/") else value + "/"  # the SDK joins with urljoin

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("not an http(s) URL")
        return value.rstrip("/") if value else value

    @field_validator("allowed", mode="before")
    @classmethod
    def _allowed(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(
                part.strip() for part in value.replace(";", ",").split(",") if part.strip()
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not a known time zone") from None
        return value

    def today_date(self, clock: Clock | None = None) -> date:
        """The fixed date when STATUSBOT_TODAY is set, else today in the time zone."""
        return self.today or today_in(self.timezone, clock)

    def require(self, *names: str) -> None:
        """Raise SettingsError for the first of ``names`` that is unset."""
        for name in names:
            field = name.removeprefix("STATUSBOT_").lower()
            value = getattr(self, field)
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            if value in (None, "", ()):
                raise SettingsError(f"{name} is not set: {HOW_TO_FIX[name]}")


def load_settings() -> Settings:
    """Settings from the environment, or SettingsError naming the bad one."""
    try:
        return Settings()
    except ValidationError as error:
        problem = error.errors()[0]
        field = str(problem["loc"][0]) if problem["loc"] else ""
        name = (
            "WEBEX_ACCESS_TOKEN"
            if field in ("webex_access_token", "WEBEX_ACCESS_TOKEN")
            else ("STATUSBOT_" + field.upper())
        )
        fix = HOW_TO_FIX.get(name, "check its value")
        reason = str(problem["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"{name} is invalid ({reason}): {fix}") from None
