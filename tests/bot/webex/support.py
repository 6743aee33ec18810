"""Helpers shared by the bot's edge tests."""

from __future__ import annotations

from bot.webex.client import WebexClient
from bot.webex.errors import RetryPolicy
from emulator.server import ServerHandle


def bot_client(emulator: ServerHandle, *, attempts: int = 2) -> WebexClient:
    """The bot's client against the emulator, retrying quickly."""
    token = emulator.context.config.bot_token
    return WebexClient(
        token, emulator.api_url, retry=RetryPolicy(attempts=attempts, base_delay=0.01)
    )
