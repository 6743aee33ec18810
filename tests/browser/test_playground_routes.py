"""The playground's routes and ``ensure_renderer``, without a browser."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from emulator import playground
from emulator.app import context_of, create_app
from emulator.server import EmulatorConfig, ServerHandle, run_in_thread

CONFIG = EmulatorConfig(
    bot_token="BOT_TOKEN",
    bot_email="statusbot@webex.bot",
    bot_name="Statusbot",
    users=(("alice@example.com", "ALICE_TOKEN"), ("bob.smith@example.com", "BOB_TOKEN")),
)


@pytest.fixture
def emulator() -> Iterator[ServerHandle]:
    handle = run_in_thread(CONFIG)
    try:
        yield handle
    finally:
        handle.stop()


def test_the_page_and_its_assets_are_served(emulator: ServerHandle) -> None:
    page = requests.get(emulator.url + "/", timeout=5)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert 'data-testid="playground"' in page.text
    for name, kind in (("playground.js", "javascript"), ("playground.css", "text/css")):
        asset = requests.get(f"{emulator.url}/playground/{name}", timeout=5)
        assert asset.status_code == 200
        assert kind in asset.headers["Content-Type"]
    for name in ("package.json", "..%2Fplayground.py", ".hidden.js", "nothing.js"):
        assert requests.get(f"{emulator.url}/playground/{name}", timeout=5).status_code == 404


def test_people_lists_whom_the_page_may_act_as(emulator: ServerHandle) -> None:
    answer = requests.get(emulator.url + "/_emulator/playground/people", timeout=5).json()
    assert [(p["email"], p["displayName"], p["token"]) for p in answer["items"]] == [
        ("alice@example.com", "Alice", "ALICE_TOKEN"),
        ("bob.smith@example.com", "Bob Smith", "BOB_TOKEN"),
    ]
    assert answer["bot"]["email"] == "statusbot@webex.bot"
    assert answer["bot"]["displayName"] == "Statusbot"
    assert "token" not in answer["bot"]
    alice = answer["items"][0]
    me = requests.get(
        emulator.api_url + "people/me",
        headers={"Authorization": f"Bearer {alice['token']}"},
        timeout=5,
    ).json()
    assert me["id"] == alice["id"]


def test_people_added_at_run_time_appear_but_tokenless_invitees_do_not(
    emulator: ServerHandle,
) -> None:
    requests.post(
        emulator.url + "/_emulator/people",
        json={"email": "carol@example.com", "token": "CAROL_TOKEN"},
        timeout=5,
    ).raise_for_status()
    requests.post(
        emulator.api_url + "messages",
        json={"toPersonEmail": "stranger@example.com", "text": "hi"},
        headers={"Authorization": "Bearer ALICE_TOKEN"},
        timeout=5,
    ).raise_for_status()
    answer = requests.get(emulator.url + "/_emulator/playground/people", timeout=5).json()
    assert [p["email"] for p in answer["items"]] == [
        "alice@example.com",
        "bob.smith@example.com",
        "carol@example.com",
    ]


def test_config_tells_the_event_sequence_and_the_renderer(emulator: ServerHandle) -> None:
    before = requests.get(emulator.url + "/_emulator/playground/config", timeout=5).json()
    requests.post(
        emulator.api_url + "rooms",
        json={"title": "Renewals"},
        headers={"Authorization": "Bearer ALICE_TOKEN"},
        timeout=5,
    ).raise_for_status()
    after = requests.get(emulator.url + "/_emulator/playground/config", timeout=5).json()
    assert after["lastEventSeq"] > before["lastEventSeq"]
    assert after["bot"]["email"] == "statusbot@webex.bot"
    renderer = after["renderer"]
    assert renderer["available"] == playground.renderer_available()
    assert renderer["installCommand"] == f"npm ci --prefix {playground.STATIC_DIR}"
    script = requests.get(emulator.url + renderer["script"], timeout=5)
    assert script.status_code == (200 if renderer["available"] else 404)


def test_the_renderer_route_is_404_until_installed(
    emulator: ServerHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(playground, "renderer_available", lambda: False)
    answer = requests.get(emulator.url + "/playground/vendor/adaptivecards.min.js", timeout=5)
    assert answer.status_code == 404
    config = requests.get(emulator.url + "/_emulator/playground/config", timeout=5).json()
    assert config["renderer"]["available"] is False


def test_tokens_are_for_loopback_callers_only() -> None:
    app = create_app(CONFIG)
    try:
        remote = app.test_client()
        remote.environ_base["REMOTE_ADDR"] = "192.0.2.7"
        assert remote.get("/_emulator/playground/people").status_code == 403
        assert remote.get("/_emulator/playground/config").status_code == 403
        assert remote.get("/").status_code == 200  # the page itself holds no secret
        local = app.test_client()
        assert local.get("/_emulator/playground/people").status_code == 200
    finally:
        context_of(app).dispatcher.stop()


# -- ensure_renderer ---------------------------------------------------------------------
@pytest.fixture
def not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A static folder of our own, with the package files but no node_modules."""
    static = tmp_path / "static"
    static.mkdir()
    for name in ("package.json", "package-lock.json"):
        (static / name).write_bytes((playground.STATIC_DIR / name).read_bytes())
    script = static / "node_modules" / "adaptivecards" / "dist" / "adaptivecards.min.js"
    monkeypatch.setattr(playground, "STATIC_DIR", static)
    monkeypatch.setattr(playground, "RENDERER_SCRIPT", script)
    return script


def test_ensure_renderer_without_npm_says_so(
    not_installed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert playground.ensure_renderer(quiet=True) is False
    assert capsys.readouterr().out == ""
    assert playground.ensure_renderer(quiet=False) is False
    assert f"npm ci --prefix {not_installed.parents[3]}" in capsys.readouterr().out


def test_ensure_renderer_runs_npm_ci_in_the_static_folder(
    not_installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[list[str], Any]] = []

    def fake_run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        calls.append((command, kwargs["cwd"]))
        not_installed.parent.mkdir(parents=True)
        not_installed.write_text("/* adaptivecards */")
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/npm")
    monkeypatch.setattr(subprocess, "run", fake_run)
    static = not_installed.parents[3]
    assert playground.ensure_renderer() is True
    assert calls == [
        (
            [
                "/usr/bin/npm",
                "ci",
                "--prefix",
                str(static),
                "--no-audit",
                "--no-fund",
                "--ignore-scripts",
            ],
            static,
        )
    ]
    assert playground.ensure_renderer() is True  # installed: npm is not run again
    assert len(calls) == 1


def test_ensure_renderer_reports_a_failed_install(
    not_installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_run(command: list[str], **kwargs: Any) -> None:
        raise subprocess.CalledProcessError(1, command)

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/npm")
    monkeypatch.setattr(subprocess, "run", failing_run)
    assert playground.ensure_renderer(quiet=True) is False
