"""Configuration of one emulated Webex organisation."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class EmulatorConfig:
    """Everything the emulator needs at start.

    ``users`` holds ``(email, token)`` pairs; the bot is added from ``bot_*``.
    ``failure_threshold`` failed deliveries within ``failure_window_seconds``
    turn a webhook ``inactive`` (Webex: 100 within five minutes).
    ``delivery_concurrency`` POSTs are in flight at once, in no promised order.
    """

    bot_token: str = "BOT_TOKEN"
    bot_email: str = "statusbot@webex.bot"
    bot_name: str = "Statusbot"
    users: tuple[tuple[str, str], ...] = ()
    failure_threshold: int = 100
    failure_window_seconds: float = 300.0
    delivery_timeout_seconds: float = 5.0
    #: Deliveries in flight at once (Webex sends several and promises no order).
    delivery_concurrency: int = 4
    max_message_bytes: int = 7439
    event_log_size: int = 10_000
    admin_local_only: bool = True
    random_seed: int | None = None
    clock: Callable[[], float] = field(default=time.time, compare=False)


def display_name_from_email(email: str) -> str:
    """``alice.smith@example.com`` → ``Alice Smith`` (as a profile would show it)."""
    local = email.split("@", 1)[0]
    words = [w for w in local.replace("_", ".").replace("-", ".").split(".") if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) or email


def is_bot_email(email: str) -> bool:
    """Webex bots are the accounts whose address ends with ``@webex.bot``."""
    return email.lower().endswith("@webex.bot")
