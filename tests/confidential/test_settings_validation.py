"""Issue 11 item 5: every setting is checked in one place before anything touches
Webex; all problems at once, one line each, exit 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from bot.cli.doctor import run_checks
from bot.settings import RUN_NEEDS, SettingsError, load_settings
from emulator.server import EmulatorConfig, ServerHandle, run_in_thread

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "WEBEX_ACCESS_TOKEN": "BOT_TOKEN_SETTINGS",
    "STATUSBOT_PUBLIC_URL": "https://bot.example.com",
    "STATUSBOT_WEBHOOK_SECRET": "0123456789abcdef-long-enough",
    "STATUSBOT_ALLOWED": "alice@example.com",
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("STATUSBOT_") or name == "WEBEX_ACCESS_TOKEN":
            monkeypatch.delenv(name)


@pytest.fixture
def emulator() -> Iterator[ServerHandle]:
    handle = run_in_thread(
        EmulatorConfig(bot_token="BOT_TOKEN_SETTINGS", bot_email="statusbot@webex.bot"),
        "127.0.0.1",
        0,
    )
    try:
        yield handle
    finally:
        handle.stop()


def problems_with(monkeypatch: pytest.MonkeyPatch, **values: str) -> list[str]:
    for name, value in {**GOOD, **values}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings(needs=RUN_NEEDS)
    return caught.value.problems


def test_good_settings_load(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in GOOD.items():
        monkeypatch.setenv(name, value)
    assert load_settings(needs=RUN_NEEDS).public_url == "https://bot.example.com"


def test_a_short_secret_is_refused_without_showing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    (problem,) = problems_with(monkeypatch, STATUSBOT_WEBHOOK_SECRET="fifteen-chars!!")
    assert problem.startswith("STATUSBOT_WEBHOOK_SECRET is invalid (shorter than 16 characters)")
    assert "fifteen-chars" not in problem


@pytest.mark.parametrize(
    ("url", "allow_http", "ok"),
    [
        ("https://bot.example.com", "false", True),
        ("http://bot.example.com", "false", False),
        ("http://10.0.0.5:8080", "false", False),
        ("http://127.0.0.1:8080", "false", True),
        ("http://localhost:8080", "false", True),
        ("http://[::1]:8080", "false", True),
        ("http://bot.example.com", "true", True),
        ("ftp://bot.example.com", "true", False),
    ],
)
def test_the_public_url_is_https_unless_loopback_or_allowed(
    monkeypatch: pytest.MonkeyPatch, url: str, allow_http: str, ok: bool
) -> None:
    monkeypatch.setenv("STATUSBOT_ALLOW_HTTP", allow_http)
    if ok:
        for name, value in {**GOOD, "STATUSBOT_PUBLIC_URL": url}.items():
            monkeypatch.setenv(name, value)
        assert load_settings(needs=RUN_NEEDS).public_url == url
    else:
        (problem,) = problems_with(monkeypatch, STATUSBOT_PUBLIC_URL=url)
        assert problem.startswith("STATUSBOT_PUBLIC_URL is invalid")


def test_the_webex_api_url_follows_the_same_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    (problem,) = problems_with(monkeypatch, STATUSBOT_WEBEX_API_URL="http://webex.example/v1/")
    assert problem.startswith("STATUSBOT_WEBEX_API_URL is invalid (http:// is only accepted")


def test_a_bad_allow_list_names_the_entry_and_every_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    (problem,) = problems_with(monkeypatch, STATUSBOT_ALLOWED="alice@example.com, nonsense")
    assert problem.startswith("STATUSBOT_ALLOWED is invalid ('nonsense' is not an email")
    assert "organization ids" in problem


def test_every_problem_is_listed_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    problems = problems_with(
        monkeypatch,
        STATUSBOT_WEBHOOK_SECRET="a",
        STATUSBOT_PUBLIC_URL="http://bot.example.com",
        STATUSBOT_ALLOWED="nonsense",
        STATUSBOT_TIMEZONE="Mars/Olympus",
        WEBEX_ACCESS_TOKEN="",
    )
    named = [problem.split(" ", 1)[0] for problem in problems]
    assert sorted(named) == sorted(
        [
            "STATUSBOT_WEBHOOK_SECRET",
            "STATUSBOT_PUBLIC_URL",
            "STATUSBOT_ALLOWED",
            "STATUSBOT_TIMEZONE",
            "WEBEX_ACCESS_TOKEN",
        ]
    )
    assert all("\n" not in problem for problem in problems)


def statusbot(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("STATUSBOT_") and k != "WEBEX_ACCESS_TOKEN"
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        timeout=120,
    )


def test_run_with_weak_settings_stops_before_touching_webex(
    emulator: ServerHandle, tmp_path: Path
) -> None:
    weak = {
        **GOOD,
        "STATUSBOT_WEBEX_API_URL": emulator.api_url,
        "STATUSBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'weak.sqlite3'}",
        "STATUSBOT_WEBHOOK_SECRET": "a",
        "STATUSBOT_PUBLIC_URL": "http://bot.example.com",
        "STATUSBOT_ALLOWED": "alice@example.com, not-an-entry",
    }
    for verb in ("run", "doctor"):
        done = statusbot(verb, env=weak)
        assert done.returncode == 2, (verb, done.stdout, done.stderr)
        output = done.stdout + done.stderr
        assert "Traceback" not in output and "all set" not in output
        for name in ("STATUSBOT_WEBHOOK_SECRET", "STATUSBOT_PUBLIC_URL", "STATUSBOT_ALLOWED"):
            assert sum(name + " is invalid" in line for line in output.splitlines()) == 1
    state = requests.get(emulator.url + "/_emulator/state", timeout=10).json()
    assert state["webhooks"] == []


def test_doctor_in_process_lists_each_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {**GOOD, "STATUSBOT_WEBHOOK_SECRET": "short"}.items():
        monkeypatch.setenv(name, value)
    checks = run_checks()
    assert [(check.name, check.ok) for check in checks] == [("settings", False)]
    assert checks[0].detail.startswith("STATUSBOT_WEBHOOK_SECRET is invalid")
