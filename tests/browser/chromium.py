"""Debian's Chromium, headless, as this machine can run it (no network at start)."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("STATUSBOT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
