"""Fixtures for the emulator suite: a live emulator on a free port, SDK clients for
the bot and two people, a webhook receiver, and Cisco's schemas."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from webexpythonsdk import WebexAPI

from emulator.server import EmulatorConfig, ServerHandle, run_in_thread
from tests.emulator.emulator_support import (
    ALICE_TOKEN,
    BOB_TOKEN,
    BOT_EMAIL,
    BOT_TOKEN,
    FAILURE_THRESHOLD,
    Receiver,
    SchemaChecker,
    load_schema_document,
    sdk,
    serve_receiver,
)


@pytest.fixture
def emulator_config() -> EmulatorConfig:
    return EmulatorConfig(
        bot_token=BOT_TOKEN,
        bot_email=BOT_EMAIL,
        bot_name="Statusbot",
        users=(("alice@example.com", ALICE_TOKEN), ("bob@example.com", BOB_TOKEN)),
        failure_threshold=FAILURE_THRESHOLD,
        delivery_timeout_seconds=2.0,
        random_seed=7,
    )


@pytest.fixture
def emulator(emulator_config: EmulatorConfig) -> Iterator[ServerHandle]:
    handle = run_in_thread(emulator_config, "127.0.0.1", 0)
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def bot(emulator: ServerHandle) -> WebexAPI:
    return sdk(emulator, BOT_TOKEN)


@pytest.fixture
def alice(emulator: ServerHandle) -> WebexAPI:
    return sdk(emulator, ALICE_TOKEN)


@pytest.fixture
def bob(emulator: ServerHandle) -> WebexAPI:
    return sdk(emulator, BOB_TOKEN)


@pytest.fixture
def http() -> Iterator[requests.Session]:
    """Plain HTTP for what the SDK hides (headers, raw bodies, /_emulator/)."""
    session = requests.Session()
    session.trust_env = False
    yield session
    session.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    target = Receiver()
    stop = serve_receiver(target)
    try:
        yield target
    finally:
        stop()


@pytest.fixture(scope="session")
def schemas() -> SchemaChecker:
    return SchemaChecker(load_schema_document())
