"""Render the bot's cards with the official Adaptive Cards renderer and save PNGs.

    .venv/bin/python -m tests.cardcheck.screenshot [--lang en|sv] [--out docs/cards]

Cards come from the sample data (core/data/sample.csv, today 2026-11-27)
through a real Store on SQLite, exactly as the bot answers. The renderer is
the playground's adaptivecards dist JS (installed by
``emulator.playground.ensure_renderer`` when missing), run in headless
Chromium (Debian's /usr/bin/chromium) via Playwright,
with a Webex-like host config: light theme, Webex font stack, Webex colours.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from core.ingest.snapshot import read_snapshot
from core.query import Query
from core.store.store import Store
from emulator.playground import RENDERER_SCRIPT, ensure_renderer, install_command
from handlers.commands.customer import ShowCustomer
from handlers.commands.filter import ShowFilter
from handlers.commands.list import ListCustomers
from handlers.commands.summary import ShowSummary
from handlers.context import Context
from handlers.registry import handle
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TODAY = date(2026, 11, 27)
FONT = "CiscoSansTT, 'Inter', 'Helvetica Neue', Helvetica, Arial, sans-serif"


def _colors(default: str, subtle: str) -> dict[str, Any]:
    palette = {
        "default": (default, subtle),
        "dark": ("#000000", "#545454"),
        "light": ("#ffffff", "#f0f0f0"),
        "accent": ("#0a78cc", "#5aa7e0"),
        "good": ("#1d805f", "#5fa88b"),
        "warning": ("#c06a00", "#d89a4f"),
        "attention": ("#d4371c", "#e27361"),
    }
    return {name: {"default": d, "subtle": s} for name, (d, s) in palette.items()}


def _style(background: str, text: str, subtle: str) -> dict[str, Any]:
    return {"backgroundColor": background, "foregroundColors": _colors(text, subtle)}


HOST_CONFIG: dict[str, Any] = {
    "fontFamily": FONT,
    "supportsInteractivity": True,
    "spacing": {
        "small": 6,
        "default": 10,
        "medium": 16,
        "large": 22,
        "extraLarge": 28,
        "padding": 16,
    },
    "separator": {"lineThickness": 1, "lineColor": "#e6e6e6"},
    "fontSizes": {"small": 13, "default": 14, "medium": 16, "large": 20, "extraLarge": 24},
    "fontWeights": {"lighter": 300, "default": 400, "bolder": 600},
    "containerStyles": {
        "default": {
            "backgroundColor": "#ffffff",
            "foregroundColors": _colors("#121212", "#6b6b6b"),
        },
        "emphasis": {
            "backgroundColor": "#f7f7f7",
            "foregroundColors": _colors("#121212", "#6b6b6b"),
        },
        "accent": _style("#e8f3fc", "#121212", "#6b6b6b"),
        "good": _style("#e9f6f0", "#0f5c43", "#3d7a63"),
        "attention": {
            "backgroundColor": "#fdecea",
            "foregroundColors": _colors("#a8281a", "#c0584a"),
        },
        "warning": {
            "backgroundColor": "#fff4e5",
            "foregroundColors": _colors("#8a4b00", "#a8702e"),
        },
    },
    "actions": {
        "maxActions": 5,
        "spacing": "medium",
        "buttonSpacing": 8,
        "actionsOrientation": "horizontal",
        "actionAlignment": "left",
        "showCard": {"actionMode": "inline"},
    },
    "inputs": {"label": {"inputSpacing": "small", "requiredInputs": {"weight": "bolder"}}},
}

CSS = f"""
body {{ margin: 0; padding: 24px; background: #f2f2f2; font-family: {FONT}; }}
.frame {{ width: 480px; background: #fff; border-radius: 10px; overflow: hidden;
          box-shadow: 0 1px 4px rgba(0,0,0,.12); }}
.ac-pushButton {{ font-family: {FONT}; font-size: 14px; border-radius: 18px; padding: 6px 14px;
                  border: 1px solid #b5b5b5; background: #fff; color: #121212; cursor: pointer; }}
.ac-pushButton.style-positive {{ background: #1d805f; border-color: #1d805f; color: #fff; }}
.ac-selectable:hover {{ background: #f5f9fd; }}
.ac-input {{ font-family: {FONT}; font-size: 14px; }}
.ac-richTextBlock {{ line-height: 1.35; }}
"""

RENDER = """
([card, hostConfig]) => {
  const adaptive = new AdaptiveCards.AdaptiveCard();
  adaptive.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
  adaptive.parse(card);
  const frame = document.getElementById("frame");
  frame.innerHTML = "";
  frame.appendChild(adaptive.render());
}
"""


def build_cards(lang: str, workdir: Path) -> dict[str, dict[str, Any]]:
    store = Store.open(f"sqlite:///{workdir / 'screens.db'}")
    store.import_snapshot(
        read_snapshot(ROOT / "core" / "data" / "sample.csv"), today=TODAY, source="sample"
    )
    first = store.query(Query(needing_attention=True), TODAY, limit=1).rows[0]
    commands = {
        "list": ListCustomers(query=Query(expiring_within_days=30)),
        "detail": ShowCustomer(name=first.id),
        "filter": ShowFilter(),
        "summary": ShowSummary(),
    }
    cards = {}
    for name, command in commands.items():
        now = datetime.combine(TODAY, time(12), UTC)
        context = Context(store=store, lang=lang, today=TODAY, now=now)  # type: ignore[arg-type]
        reply = handle(command, context)
        assert reply.card is not None
        cards[name] = reply.card
    store.close()
    return cards


def screenshot(cards: dict[str, dict[str, Any]], out: Path, suffix: str = "") -> list[Path]:
    from playwright.sync_api import sync_playwright

    if not ensure_renderer(quiet=False):
        raise SystemExit(f"the card renderer is missing: run {install_command()}")
    script = RENDERER_SCRIPT
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(device_scale_factor=2, viewport={"width": 560, "height": 800})
        page.set_content(
            f"<html><head><style>{CSS}</style></head>"
            "<body><div class='frame' id='frame'></div></body></html>"
        )
        page.add_script_tag(path=str(script))
        for name, card in cards.items():
            page.evaluate(RENDER, [card, HOST_CONFIG])
            target = out / f"{name}{suffix}.png"
            page.locator("#frame").screenshot(path=str(target))
            written.append(target)
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", choices=("en", "sv"), default="en")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "cards")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        cards = build_cards(args.lang, Path(workdir))
    suffix = "" if args.lang == "en" else f"-{args.lang}"
    for path in screenshot(cards, args.out, suffix):
        print(path)


if __name__ == "__main__":
    main()
