"""The playground in a real browser, talking to a real (fake) bot over webhooks.

Chromium (Debian's) is driven by Playwright; the bot is ``FakeBot``, a werkzeug
webhook receiver that checks signatures and answers through webexpythonsdk.
Every wait is on a selector or an expectation: no sleeps, no timing asserts.

The README's screenshot comes from the real bot (test_demo_in_browser.py).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from emulator import playground
from emulator.server import EmulatorConfig, ServerHandle, run_in_thread
from tests.browser.fake_bot import EXPIRING_COMMAND, FILE_COMMAND, FakeBot

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - the dev extra installs it
    if os.environ.get("CI"):
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

pytestmark = pytest.mark.browser

BOT_TOKEN = "BOT_TOKEN"
BOT_EMAIL = "statusbot@webex.bot"
ALICE_TOKEN = "ALICE_TOKEN"
TIMEOUT_MS = 10_000


@pytest.fixture
def emulator() -> Iterator[ServerHandle]:
    config = EmulatorConfig(
        bot_token=BOT_TOKEN,
        bot_email=BOT_EMAIL,
        bot_name="Statusbot",
        users=(("alice@example.com", ALICE_TOKEN),),
        delivery_timeout_seconds=5.0,
    )
    handle = run_in_thread(config)
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def fake_bot(emulator: ServerHandle) -> Iterator[FakeBot]:
    bot = FakeBot(api_url=emulator.api_url, token=BOT_TOKEN).start()
    try:
        yield bot
    finally:
        bot.stop()
    assert bot.errors == []


def open_playground(browser: Browser, url: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + "/")
    expect(page.get_by_test_id("playground")).to_have_attribute("data-ready", "true")
    try:
        yield page
    finally:
        context.close()
    assert errors == [], f"errors in the page: {errors}"


@pytest.fixture
def page(browser: Browser, emulator: ServerHandle, fake_bot: FakeBot) -> Iterator[Page]:
    yield from open_playground(browser, emulator.url)


def send(page: Page, text: str) -> None:
    composer = page.get_by_test_id("composer-input")
    composer.fill(text)
    composer.press("Enter")
    expect(composer).to_have_value("")


def test_a_card_from_the_bot_renders_and_its_button_reaches_the_bot(
    renderer: bool, page: Page, emulator: ServerHandle, fake_bot: FakeBot, tmp_path: Path
) -> None:
    expect(page.get_by_test_id("person-select")).to_contain_text("alice@example.com")
    expect(page.get_by_test_id("renderer-missing")).to_be_hidden()
    # Live before anything happens: not "Connecting…" for a long poll's 25 s wait.
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "live")
    expect(page.get_by_test_id("connection-status")).to_have_text("Live")

    # A group space with the bot in it.
    page.get_by_test_id("new-space").click()
    page.get_by_test_id("new-space-title").fill("Renewals")
    expect(page.get_by_test_id("new-space-add-bot")).to_be_checked()
    page.get_by_test_id("new-space-create").click()
    expect(page.get_by_test_id("room-title")).to_have_text("Renewals")
    expect(page.get_by_test_id("room-item")).to_have_count(1)
    expect(page.get_by_test_id("mention-toggle-label")).to_be_visible()
    expect(page.get_by_test_id("mention-toggle")).to_be_checked()

    # Mentioned, so the bot hears it; its card comes back over the live event stream.
    send(page, EXPIRING_COMMAND)
    mine = page.get_by_test_id("message").filter(has_text=EXPIRING_COMMAND)
    expect(mine.locator(".mention")).to_have_text("Statusbot")
    card_message = page.locator('[data-testid="message"][data-has-card="true"]')
    card = card_message.locator(".ac-adaptiveCard")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Expiring within 30 days")
    expect(card).to_contain_text("Borealis AB")

    # Action.OpenUrl opens a new tab.
    with page.context.expect_page() as opened:
        card.locator(".ac-pushButton", has_text="Open the list").click()
    assert opened.value.url == fake_bot.open_url
    opened.value.close()

    # Fill the card's input and press its Action.Submit button.
    card.locator("input").fill("call on Monday")
    card.get_by_role("button", name="Show Acme Oy").click()
    expect(card_message.get_by_test_id("card-status")).to_have_attribute("data-state", "sent")
    inputs = {"command": "show", "customer": "acme", "note": "call on Monday"}
    follow_up = page.get_by_test_id("message-text").filter(has_text="clicked:")
    expect(follow_up).to_have_text(f"clicked: {json.dumps(inputs, sort_keys=True)}")

    card_id = card_message.get_attribute("data-message-id")
    assert fake_bot.actions == [{"messageId": card_id, "inputs": inputs}]
    state = requests.get(emulator.url + "/_emulator/state", timeout=5).json()
    sent = next(m for m in state["messages"] if m["personEmail"] == "alice@example.com")
    assert sent["markdown"] == f"<@personEmail:{BOT_EMAIL}|Statusbot> {EXPIRING_COMMAND}"
    assert state["attachmentActions"][0]["inputs"] == inputs

    page.mouse.move(0, 0)
    shot = tmp_path / "playground.png"
    page.get_by_test_id("composer-input").focus()
    page.screenshot(path=str(shot), animations="disabled")
    assert shot.stat().st_size > 10_000


def test_a_direct_space_threads_and_files(page: Page, fake_bot: FakeBot) -> None:
    page.get_by_test_id("direct-bot").click()
    expect(page.get_by_test_id("room-title")).to_have_text("Statusbot")
    expect(page.get_by_test_id("mention-toggle-label")).to_be_hidden()

    # The first message opens the 1:1 space; the bot answers in its thread.
    send(page, "hello there")
    expect(page.locator('[data-testid="room-item"][data-room-type="direct"]')).to_have_count(1)
    parent = page.get_by_test_id("message").filter(has_text="hello there")
    thread = parent.get_by_test_id("thread-replies")
    expect(thread.get_by_test_id("message-text")).to_have_text(["echo: hello there"])

    # Alice answers in that thread; so does the bot.
    parent.get_by_test_id("reply-button").click()
    expect(page.get_by_test_id("reply-target")).to_contain_text("hello there")
    send(page, "more please")
    expect(page.get_by_test_id("reply-target")).to_be_hidden()
    expect(thread.get_by_test_id("message-text")).to_have_text(
        ["echo: hello there", "more please", "echo: more please"]
    )

    # A file from the bot: a download link that fetches with alice's token.
    send(page, FILE_COMMAND)
    link = page.get_by_test_id("message-file")
    expect(link).to_contain_text("expiring.csv")
    with page.expect_download() as download:
        link.click()
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert saved == "customer,expires\nAcme Oy,2026-12-10\n"
    assert download.value.suggested_filename == "expiring.csv"


def test_without_the_renderer_cards_show_as_text_with_the_install_command(
    browser: Browser,
    emulator: ServerHandle,
    fake_bot: FakeBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(playground, "renderer_available", lambda: False)
    for page in open_playground(browser, emulator.url):
        notice = page.get_by_test_id("renderer-missing")
        expect(notice).to_be_visible()
        expect(page.get_by_test_id("renderer-install-command")).to_have_text(
            playground.install_command()
        )
        page.get_by_test_id("direct-bot").click()
        send(page, EXPIRING_COMMAND)
        fallback = page.get_by_test_id("card-fallback")
        expect(fallback).to_contain_text("renderer not installed")
        card_message = page.locator('[data-testid="message"][data-has-card="true"]')
        expect(card_message.get_by_test_id("message-text")).to_have_text(
            "Expiring within 30 days: Acme Oy, Borealis AB"
        )
        expect(page.locator(".ac-adaptiveCard")).to_have_count(0)
