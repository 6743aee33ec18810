"""Conversations with the bot through the emulator: what a partner admin sees."""

from __future__ import annotations

import json
import re

import requests

from bot.cli.local import serve_in_thread
from bot.service import build_service
from bot.web.receiver import signature_of
from bot.webex.errors import RetryPolicy
from bot.webex.webhooks import reconcile_webhooks
from tests.e2e.conftest import BOT_EMAIL, SECRET, Stack

CARD = "application/vnd.microsoft.card.adaptive"


def card_of(message: dict) -> dict:
    (attachment,) = message["attachments"]
    assert attachment["contentType"] == CARD
    return attachment["content"]


def test_a_direct_question_gets_a_card_with_the_matches(stack: Stack) -> None:
    sent = stack.alice.messages.create(toPersonEmail=BOT_EMAIL, text="show expiring in 30 days")
    stack.settle()
    (reply,) = stack.bot_messages(sent.roomId)
    assert "expiring within 30 days" in reply["markdown"]
    card = card_of(reply)
    assert card["version"] == "1.3"
    assert "Göteborgs Energi" in json.dumps(card, ensure_ascii=False)


def test_a_name_typed_as_a_list_shows_it_is_found(stack: Stack) -> None:
    """Webex strips the markdown of what people type: "customer Acme *Bold*" reaches
    the bot as "customer Acme Bold", and the customer is still found."""
    sent = stack.alice.messages.create(toPersonEmail=BOT_EMAIL, markdown="customer Acme *Bold*")
    stack.alice.messages.create(toPersonEmail=BOT_EMAIL, markdown="kund Back`tick`")
    stack.settle()
    found = sorted(reply["markdown"].split("\n")[0] for reply in stack.bot_messages(sent.roomId))
    assert found == ["**Acme \\*Bold\\* \\[x\\]\\(http\\://evil\\)**", "**Back\\`tick\\` AB**"]


def test_swedish_is_answered_in_swedish(stack: Stack) -> None:
    sent = stack.alice.messages.create(toPersonEmail=BOT_EMAIL, text="visa går ut inom 30 dagar")
    stack.settle()
    (reply,) = stack.bot_messages(sent.roomId)
    assert "30 dagar" in reply["markdown"]


def test_group_spaces_need_a_mention_and_get_a_greeting(stack: Stack) -> None:
    room = stack.alice.rooms.create(title="Partner team")
    stack.alice.memberships.create(roomId=room.id, personEmail="bob@example.com")
    stack.alice.memberships.create(roomId=room.id, personEmail=BOT_EMAIL)
    stack.settle()
    (greeting,) = stack.bot_messages(room.id)
    assert "Statusbot" in greeting["markdown"]
    stack.alice.messages.create(roomId=room.id, text="summary")  # no mention: not delivered
    stack.alice.messages.create(
        roomId=room.id, markdown=f"<@personEmail:{BOT_EMAIL}|Statusbot> summary"
    )
    stack.settle()
    greeting_again, summary = stack.bot_messages(room.id)
    assert greeting_again["id"] == greeting["id"]
    assert "need attention" in summary["markdown"]


def test_a_reply_goes_into_the_thread_of_the_question(stack: Stack) -> None:
    first = stack.alice.messages.create(toPersonEmail=BOT_EMAIL, text="help")
    stack.settle()
    in_thread = stack.alice.messages.create(
        roomId=first.roomId, parentId=first.id, text="show suspended"
    )
    stack.settle()
    help_reply, answer = stack.bot_messages(first.roomId)
    assert "parentId" not in help_reply  # a question outside a thread is answered outside
    assert answer["parentId"] == in_thread.parentId == first.id
    assert "Suspended" in answer["markdown"]  # the answer to the question in the thread


def test_card_buttons_work_like_typed_commands(stack: Stack) -> None:
    sent = stack.alice.messages.create(toPersonEmail=BOT_EMAIL, text="show all customers")
    stack.settle()
    (listing,) = stack.bot_messages(sent.roomId)
    next_page = next(
        action for action in card_of(listing)["actions"] if action["data"].get("page") == 1
    )
    stack.alice.attachment_actions.create(
        type="submit", messageId=listing["id"], inputs=next_page["data"]
    )
    stack.settle()
    _, page_two = stack.bot_messages(sent.roomId)
    assert page_two["id"] != listing["id"]
    assert "Page 1 of" in listing["markdown"] and "Page 2 of" in page_two["markdown"]
    assert page_two["markdown"].split("\n")[0] == listing["markdown"].split("\n")[0]  # same list


def test_a_tampered_card_submission_gets_a_polite_reply(stack: Stack) -> None:
    sent = stack.alice.messages.create(toPersonEmail=BOT_EMAIL, text="filter")
    stack.settle()
    (filter_card,) = stack.bot_messages(sent.roomId)
    stack.alice.attachment_actions.create(
        type="submit",
        messageId=filter_card["id"],
        inputs={"statusbot": 1, "action": "list", "page": -5, "query": {"nope": 1}},
    )
    stack.settle()
    _, answer = stack.bot_messages(sent.roomId)
    assert "couldn't use that card action" in answer["markdown"]
    assert stack.bot.service.inbox.counts().get("failed") is None


def test_outsiders_are_refused_and_shown_nothing(stack: Stack) -> None:
    sent = stack.eve.messages.create(
        toPersonEmail=BOT_EMAIL, text="show customers needing attention"
    )
    stack.settle()
    (refusal,) = stack.bot_messages(sent.roomId)
    assert "only share customer information" in refusal["markdown"]
    assert "cust-" not in json.dumps(refusal) and "Energi" not in json.dumps(refusal)
    # an allowed asker in a space that an outsider can read is refused too
    room = stack.alice.rooms.create(title="Mixed")
    stack.alice.memberships.create(roomId=room.id, personEmail="eve@evil.com")
    stack.alice.memberships.create(roomId=room.id, personEmail=BOT_EMAIL)
    stack.alice.messages.create(
        roomId=room.id, markdown=f"<@personEmail:{BOT_EMAIL}|Statusbot> show suspended"
    )
    stack.settle()
    replies = stack.bot_messages(room.id)
    # the greeting and the answer are worked on at once, so either may come first
    assert any("can't share customer information in this space" in r["markdown"] for r in replies)
    assert "Energi" not in json.dumps(replies)
    metrics = requests.get(stack.bot.url + "/metrics", timeout=10).text
    assert 'statusbot_access_refused_total{reason="asker_not_allowed"} 1.0' in metrics
    assert 'statusbot_access_refused_total{reason="member_not_allowed"} 1.0' in metrics


def test_a_forged_webhook_is_refused_and_stores_nothing(stack: Stack) -> None:
    body = json.dumps(
        {"id": "x", "resource": "messages", "event": "created", "data": {"id": "forged"}}
    ).encode()
    url = stack.bot.webhook_url
    assert requests.post(url, data=body, timeout=10).status_code == 401
    wrong = signature_of(body, b"not-the-secret")
    assert (
        requests.post(url, data=body, headers={"X-Spark-Signature": wrong}, timeout=10).status_code
        == 401
    )
    bad_json = b"{not json"
    assert (
        requests.post(
            url,
            data=bad_json,
            headers={"X-Spark-Signature": signature_of(bad_json, SECRET.encode())},
            timeout=10,
        ).status_code
        == 400
    )
    assert requests.post(url, data=b"x" * 70_000, timeout=10).status_code == 413
    assert stack.bot.service.inbox.events() == []
    # the same kind of delivery, rightly signed, is taken: the refusals were the signature's
    signed = json.dumps(
        {"id": "y", "resource": "rooms", "event": "updated", "data": {"id": "room-signed"}}
    ).encode()
    headers = {"X-Spark-Signature": signature_of(signed, SECRET.encode())}
    assert requests.post(url, data=signed, headers=headers, timeout=10).status_code == 200
    assert [e["data_id"] for e in stack.bot.service.inbox.events()] == ["room-signed"]


def test_a_duplicate_delivery_is_answered_once(stack: Stack) -> None:
    stack.admin("POST", "/faults/delivery", json={"duplicate": 3})
    sent = stack.alice.messages.create(toPersonEmail=BOT_EMAIL, text="show suspended")
    stack.settle()
    assert len(stack.bot_messages(sent.roomId)) == 1
    stored = [e for e in stack.bot.service.inbox.events() if e["data_id"] == sent.id]
    assert len(stored) == 1
    metrics = requests.get(stack.bot.url + "/metrics", timeout=10).text
    duplicates = re.search(
        r'statusbot_webhook_events_total\{outcome="duplicate"\} ([0-9.]+)', metrics
    )
    assert duplicates and float(duplicates.group(1)) >= 2


def test_the_bots_own_messages_are_acknowledged_without_being_stored(stack: Stack) -> None:
    sent = stack.alice.messages.create(toPersonEmail=BOT_EMAIL, text="show suspended")
    stack.settle()
    (reply,) = stack.bot_messages(sent.roomId)
    events = [e for e in stack.bot.service.inbox.events() if e["resource"] == "messages"]
    assert [(e["data_id"], e["state"]) for e in events] == [(sent.id, "done")]  # not the reply
    # received while the workers were idle: stored already claimed and handed to one of
    # them (the pool's name; a worker that claims from the inbox adds its number)
    assert (events[0]["worker"], events[0]["attempts"]) == (stack.bot.service.workers.name, 1)
    metrics = requests.get(stack.bot.url + "/metrics", timeout=10).text
    own = re.search(r'statusbot_webhook_events_total\{outcome="own"\} ([0-9.]+)', metrics)
    assert own and float(own.group(1)) == 1.0  # the reply was delivered, and answered 200
    assert reply["id"] not in metrics


def test_health_and_readiness(stack: Stack) -> None:
    assert requests.get(stack.bot.url + "/healthz", timeout=10).json() == {"status": "ok"}
    ready = requests.get(stack.bot.url + "/readyz", timeout=10)
    assert ready.status_code == 200 and ready.json()["webex"] == "ok"


def test_a_space_can_choose_its_language(stack: Stack) -> None:
    sent = stack.alice.messages.create(toPersonEmail=BOT_EMAIL, text="language sv")
    stack.settle()
    stack.alice.messages.create(roomId=sent.roomId, text="show suspended")
    stack.settle()
    chosen, answer = stack.bot_messages(sent.roomId)
    assert "svenska" in chosen["markdown"]
    assert "Har avbrutits" in answer["markdown"]  # English words, Swedish space


def test_language_auto_follows_each_question_again(stack: Stack) -> None:
    sent = stack.alice.messages.create(toPersonEmail=BOT_EMAIL, text="language en")
    stack.settle()
    for text in ("visa avbrutna", "språk auto", "visa avbrutna"):
        stack.alice.messages.create(roomId=sent.roomId, text=text)
        stack.settle()
    _, english, auto, swedish = stack.bot_messages(sent.roomId)
    assert "Har avbrutits" not in english["markdown"]  # English chosen: Swedish words, English
    assert "det språk frågan ställs på" in auto["markdown"]
    assert "Har avbrutits" in swedish["markdown"]


def test_words_of_both_languages_follow_the_conversation_across_processes(
    stack: Stack,
) -> None:
    """The Swedish question is answered by one bot, "filter" by another built on the
    same database (two worker processes of statusbot run): still in Swedish."""
    sent = stack.alice.messages.create(toPersonEmail=BOT_EMAIL, text="visa avbrutna")
    stack.settle()
    first = stack.bot.service
    second = serve_in_thread(
        build_service(first.settings, retry=RetryPolicy(attempts=3), poll_seconds=0.1)
    )
    try:
        reconcile_webhooks(
            first.webex, first.manifest, target_url=second.webhook_url, secret=SECRET
        )
        first.workers.stop()  # from here on, only the second one answers
        other = Stack(stack.emulator, second, stack.database_url)
        stack.alice.messages.create(roomId=sent.roomId, text="filter")
        other.settle()
        events = [e for e in other.bot.service.inbox.events() if e["resource"] == "messages"]
        assert events[-1]["worker"].startswith(second.service.workers.name)
    finally:
        second.stop()
    _, filter_reply = stack.bot_messages(sent.roomId)
    assert "Välj" in json.dumps(card_of(filter_reply), ensure_ascii=False)


def test_export_arrives_as_a_csv_file_that_reimports(stack: Stack, tmp_path) -> None:
    from core.ingest.snapshot import read_snapshot

    sent = stack.alice.messages.create(toPersonEmail=BOT_EMAIL, text="export expiring in 30 days")
    stack.settle()
    (reply,) = stack.bot_messages(sent.roomId)
    (url,) = reply["files"]
    download = requests.get(url, headers={"Authorization": "Bearer ALICE_TOKEN"}, timeout=10)
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    assert ".csv" in download.headers["Content-Disposition"]
    path = tmp_path / "export.csv"
    path.write_bytes(download.content)
    assert download.content.startswith("\ufeff".encode())  # Excel reads UTF-8 with a BOM
    assert len(read_snapshot(path).customers) == 7  # the list: 4 of the sample, 3 test names
