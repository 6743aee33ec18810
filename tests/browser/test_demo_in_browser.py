"""``statusbot demo`` in a real browser: the real bot, its real cards.

Opens the playground, types "show expiring in 30 days" in the demo space,
sees the list card rendered by the official renderer, clicks a customer on it
(the card's select action becomes an attachment action, as in Webex), and sees
the bot's detail card arrive. ``docs/playground.png`` (the README's picture) is
rewritten when it is missing or ``UPDATE_SCREENSHOTS=1`` is set.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli.demo import Demo, start_demo
from core.ingest.snapshot import read_snapshot
from core.sample import SAMPLE_TODAY
from core.store import Store
from tests.hostile_data import ACME, BACKTICK, INITECH, sample_with_hostile_names

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - the dev extra installs it
    if os.environ.get("CI"):
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "playground.png"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    running = start_demo(port=0, data_dir=tmp_path)
    yield running
    running.stop()


@pytest.fixture
def page(browser: Browser, renderer: bool, demo: Demo) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto(demo.playground_url)
    expect(opened.get_by_test_id("playground")).to_have_attribute("data-ready", "true")
    yield opened
    context.close()
    assert errors == [], f"errors in the page: {errors}"


def test_ask_the_real_bot_and_click_its_card(page: Page, demo: Demo, tmp_path: Path) -> None:
    page.get_by_test_id("room-item").filter(has_text="Statusbot demo").click()
    expect(page.get_by_test_id("room-title")).to_have_text("Statusbot demo")
    greeting = page.locator('[data-testid="message"][data-has-card="true"]').first
    expect(greeting.locator(".ac-adaptiveCard")).to_contain_text("Statusbot")

    composer = page.get_by_test_id("composer-input")
    composer.fill("show expiring in 30 days")
    composer.press("Enter")
    cards = page.locator('[data-testid="message"][data-has-card="true"] .ac-adaptiveCard')
    listing = cards.filter(has_text="customers with subscriptions expiring within 30 days")
    expect(listing).to_contain_text("4 customers with subscriptions expiring within 30 days")
    expect(listing).to_contain_text("Göteborgs Energi")

    listing.get_by_text("Göteborgs Energi").first.click()
    detail = cards.filter(has_text="Webex Calling").filter(has_text="Göteborgs Energi")
    expect(detail.first).to_be_visible()

    page.mouse.move(0, 0)
    listing.scroll_into_view_if_needed()
    shot = tmp_path / "playground.png"
    page.screenshot(path=str(shot), animations="disabled")
    assert shot.stat().st_size > 10_000
    if os.environ.get("UPDATE_SCREENSHOTS") or not SCREENSHOT.exists():
        shutil.copyfile(shot, SCREENSHOT)

    # Names that would be markdown, HTML or a mention are shown as typed.
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(sample_with_hostile_names(), encoding="utf-8")
    store = Store.open(f"sqlite:///{demo.database}")
    store.import_snapshot(read_snapshot(hostile), today=SAMPLE_TODAY, source="test")
    store.close()
    composer.fill("show expiring in 30 days")
    composer.press("Enter")
    again = cards.filter(has_text="7 customers with subscriptions expiring within 30 days")
    for name in (ACME, INITECH, BACKTICK):
        expect(again).to_contain_text(name)
