"""The operator's side: the demo, doctor, and spaces that outsiders make."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from webexpythonsdk import WebexAPI

from bot.cli.demo import DEMO_USERS, start_demo
from bot.cli.doctor import run_checks
from bot.settings import Settings
from tests.e2e.conftest import BOT_EMAIL, BOT_TOKEN, SECRET, Stack, start_stack, wait_until


def test_the_demo_comes_up_with_a_space_and_answers(tmp_path) -> None:
    demo = start_demo(port=0, data_dir=tmp_path)
    try:
        alice = WebexAPI(
            access_token=DEMO_USERS[0][1], base_url=demo.emulator.api_url, wait_on_rate_limit=False
        )
        (room,) = [r for r in alice.rooms.list() if r.title == "Statusbot demo"]
        bot_id = demo.bot.service.identity.id
        wait_until(
            lambda: any(m.personId == bot_id for m in alice.messages.list(roomId=room.id)),
            what="the greeting",
        )
        alice.messages.create(
            roomId=room.id, markdown=f"<@personEmail:{BOT_EMAIL}|Statusbot> summary"
        )
        wait_until(
            lambda: sum(m.personId == bot_id for m in alice.messages.list(roomId=room.id)) == 2,
            what="the summary",
        )
        assert requests.get(demo.playground_url, timeout=10).status_code == 200
        assert demo.database.exists()
    finally:
        demo.stop()


@pytest.fixture
def running(database_url: str) -> Iterator[Stack]:
    stack = start_stack(database_url)
    yield stack
    stack.bot.stop()
    stack.emulator.stop()


def settings_for(stack: Stack) -> Settings:
    return Settings(
        WEBEX_ACCESS_TOKEN=BOT_TOKEN,
        database_url=stack.database_url,
        webex_api_url=stack.emulator.api_url,
        public_url=stack.bot.url,
        webhook_secret=SECRET,
        allowed=("@example.com",),
    )


def test_doctor_says_all_is_well_then_what_to_fix(running: Stack) -> None:
    checks = {check.name: check for check in run_checks(lambda: settings_for(running))}
    assert all(check.ok for check in checks.values()), checks
    assert "Statusbot" in checks["token"].detail
    hooks = running.bot.service.webex.call("list", lambda api: list(api.webhooks.list()))
    running.bot.service.webex.call(
        "disable",
        lambda api: api.webhooks.update(
            hooks[0].id, name=hooks[0].name, targetUrl=hooks[0].targetUrl, status="inactive"
        ),
    )
    broken = settings_for(running).model_copy(update={"public_url": "http://127.0.0.1:9"})
    checks = {check.name: check for check in run_checks(lambda: broken)}
    assert not checks["public url"].ok and "is the bot running?" in checks["public url"].detail
    assert not checks["webhooks"].ok
    wrong_token = settings_for(running).model_copy(
        update={"webex_access_token": Settings(WEBEX_ACCESS_TOKEN="nope").webex_access_token}
    )
    checks = {check.name: check for check in run_checks(lambda: wrong_token)}
    assert not checks["token"].ok and "WEBEX_ACCESS_TOKEN" in checks["token"].detail


def test_a_space_made_by_an_outsider_is_left_when_so_configured(database_url: str) -> None:
    stack = start_stack(database_url, leave_outsider_spaces=True)
    try:
        room = stack.eve.rooms.create(title="Eve's space")
        stack.eve.memberships.create(roomId=room.id, personEmail=BOT_EMAIL)
        stack.settle()
        (goodbye,) = stack.bot_messages(room.id)
        assert "leaving this space" in goodbye["markdown"]
        members = [m.personEmail for m in stack.eve.memberships.list(roomId=room.id)]
        assert BOT_EMAIL not in members
    finally:
        stack.bot.stop()
        stack.emulator.stop()


def test_people_can_be_allowed_by_their_webex_organization(database_url: str) -> None:
    probe = start_stack(database_url)
    org_id = probe.eve.people.me().orgId
    probe.bot.stop()
    probe.emulator.stop()
    stack = start_stack(database_url, allowed=(org_id,))
    try:
        sent = stack.eve.messages.create(toPersonEmail=BOT_EMAIL, text="show suspended")
        stack.settle()
        (answer,) = stack.bot_messages(sent.roomId)
        assert "suspended" in answer["markdown"].lower()
        assert "only share customer information" not in answer["markdown"]
    finally:
        stack.bot.stop()
        stack.emulator.stop()
