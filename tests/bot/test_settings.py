from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "WEBEX_ACCESS_TOKEN",
        "STATUSBOT_DATABASE_URL",
        "STATUSBOT_TIMEZONE",
        "STATUSBOT_TODAY",
        "STATUSBOT_ALLOWED",
        "STATUSBOT_WEBEX_API_URL",
        "STATUSBOT_PUBLIC_URL",
        "STATUSBOT_WEBHOOK_SECRET",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults_need_nothing() -> None:
    settings = load_settings()
    assert settings.database_url.startswith("sqlite:///")
    assert settings.webex_api_url == "https://webexapis.com/v1/"
    assert settings.timezone == "UTC"


def test_values_are_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATUSBOT_DATABASE_URL", "postgresql://bot@db/statusbot")
    monkeypatch.setenv("STATUSBOT_WEBEX_API_URL", "http://127.0.0.1:9000/v1")
    monkeypatch.setenv("STATUSBOT_ALLOWED", "alice@example.com, @partner.se;  ")
    monkeypatch.setenv("STATUSBOT_PUBLIC_URL", "https://bot.example.com/")
    settings = load_settings()
    assert settings.database_url == "postgresql+psycopg://bot@db/statusbot"
    assert settings.webex_api_url == "http://127.0.0.1:9000/v1/"  # the SDK joins with urljoin
    assert settings.allowed == ("alice@example.com", "@partner.se")
    assert settings.public_url == "https://bot.example.com"


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://bot@db/statusbot", "postgresql+psycopg://bot@db/statusbot"),
        ("postgresql+psycopg://bot@db/statusbot", "postgresql+psycopg://bot@db/statusbot"),
        ("sqlite:///statusbot.sqlite3", "sqlite:///statusbot.sqlite3"),
    ],
)
def test_database_urls_as_hosts_hand_them_out(
    monkeypatch: pytest.MonkeyPatch, given: str, used: str
) -> None:
    monkeypatch.setenv("STATUSBOT_DATABASE_URL", given)
    assert load_settings().database_url == used


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        (
            "STATUSBOT_TIMEZONE",
            "Mars/Olympus",
            "STATUSBOT_TIMEZONE is invalid (not a known time zone): use an IANA",
        ),
        ("STATUSBOT_TODAY", "27/11/2026", "STATUSBOT_TODAY is invalid"),
        (
            "STATUSBOT_DATABASE_URL",
            "mysql://x",
            "STATUSBOT_DATABASE_URL is invalid (not a sqlite: or postgresql URL)",
        ),
        (
            "STATUSBOT_WEBEX_API_URL",
            "webexapis.com",
            "STATUSBOT_WEBEX_API_URL is invalid (not an http(s) URL)",
        ),
    ],
)
def test_a_bad_setting_is_one_line_saying_how_to_fix_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, says: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(says)
    assert "\n" not in message


def test_a_missing_setting_names_itself_and_the_fix() -> None:
    with pytest.raises(SettingsError, match=r"^WEBEX_ACCESS_TOKEN is not set: set it to the bot's"):
        Settings().require("WEBEX_ACCESS_TOKEN")


def test_the_token_never_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBEX_ACCESS_TOKEN", "SECRET-TOKEN-VALUE")
    monkeypatch.setenv("STATUSBOT_WEBHOOK_SECRET", "SECRET-HOOK-VALUE")
    settings = load_settings()
    shown = repr(settings) + str(settings) + str(settings.model_dump())
    assert "SECRET-TOKEN-VALUE" not in shown and "SECRET-HOOK-VALUE" not in shown
