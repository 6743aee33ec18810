"""The suite's workload and its accounting.

20 people (``@example.com``, allowed) ask 1,000 questions in 10 spaces: five 1:1
spaces and five group spaces of three people each, one of which also holds an
outsider (its questions get the refusal). Each question asks for a different
horizon, ``show expiring before <date>``, and the answer's heading names the date,
so every post of the bot is traced back to its question by its text alone, and a
question answered twice shows as two posts.

``Tally`` reads the emulator (what Webex holds) and the inbox (what the bot says
happened) and counts each question once: answered once, answered twice,
apologised for, refused, unknown (listed, and accepted only when its post really
reached the emulator), unanswered.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import requests
from webexpythonsdk import WebexAPI

from bot.answering.apology import APOLOGY_MAYBE
from bot.web.receiver import signature_of
from handlers import notices
from tests.e2e.conftest import BOT_EMAIL, SECRET

MENTION = f"<@personEmail:{BOT_EMAIL}|Statusbot>"
FIRST_DAY = date(2027, 1, 1)
HEADING_DATE = re.compile(r"by (\d{4})\\?-(\d{2})\\?-(\d{2})")
APOLOGIES = {notices.failure("en").markdown, notices.failure("sv").markdown}
AMBIGUOUS = {500, 502, 504}


@dataclass(frozen=True)
class Question:
    n: int
    id: str
    room_id: str
    person_id: str
    created: str
    group: bool

    @property
    def horizon(self) -> date:
        return FIRST_DAY + timedelta(days=self.n)


@dataclass
class Spaces:
    """The people (token per email) and the spaces; ``askers[i]`` asks in ``rooms[i]``."""

    tokens: dict[str, str] = field(default_factory=dict)
    direct: list[str] = field(default_factory=list)  # the emails that ask 1:1
    groups: list[str] = field(default_factory=list)  # room ids
    members: dict[str, list[str]] = field(default_factory=dict)  # room id → askers
    refused_room: str = ""


class Workload:
    def __init__(self, emulator_url: str, api_url: str) -> None:
        self.admin = emulator_url + "/_emulator"
        self.api_url = api_url
        self.spaces = Spaces()

    def person(self, email: str) -> WebexAPI:
        token = self.spaces.tokens[email]
        return WebexAPI(access_token=token, base_url=self.api_url, wait_on_rate_limit=False)

    def setup(self) -> Spaces:
        """20 people, 5 direct askers, 5 group spaces (the last with an outsider)."""
        emails = [f"user{n:02d}@example.com" for n in range(20)] + ["outsider@evil.com"]
        for email in emails:
            token = "TOKEN_" + email.split("@")[0].upper()
            answer = requests.post(
                self.admin + "/people", json={"email": email, "token": token}, timeout=10
            )
            answer.raise_for_status()
            self.spaces.tokens[email] = token
        self.spaces.direct = emails[:5]
        for index in range(5):
            askers = emails[5 + 3 * index : 8 + 3 * index]
            owner = self.person(askers[0])
            room = owner.rooms.create(title=f"Renewals {index}")
            extra = ["outsider@evil.com"] if index == 4 else []
            for email in [*askers[1:], *extra, BOT_EMAIL]:
                owner.memberships.create(roomId=room.id, personEmail=email)
            self.spaces.groups.append(room.id)
            self.spaces.members[room.id] = askers
        self.spaces.refused_room = self.spaces.groups[-1]
        return self.spaces

    def ask(self, numbers: Iterable[int]) -> list[Question]:
        """Ask questions ``numbers`` (10 spaces in turn), eight at a time."""
        with ThreadPoolExecutor(max_workers=8) as pool:
            return list(pool.map(self._ask_one, numbers))

    def _ask_one(self, n: int) -> Question:
        space = n % 10
        text = f"show expiring before {(FIRST_DAY + timedelta(days=n)).isoformat()}"
        if space < 5:
            email = self.spaces.direct[space]
            sent = self.person(email).messages.create(toPersonEmail=BOT_EMAIL, text=text)
        else:
            room = self.spaces.groups[space - 5]
            email = self.spaces.members[room][(n // 10) % 3]
            sent = self.person(email).messages.create(roomId=room, markdown=f"{MENTION} {text}")
        return Question(n, sent.id, sent.roomId, sent.personId, str(sent.created), space >= 5)

    def redeliver(self, webhook_url: str, questions: list[Question]) -> int:
        """Deliver again what Webex failed to deliver (as Webex would), signed; how many."""
        records = requests.get(self.admin + "/deliveries", timeout=30).json()["items"]
        delivered = {r["data_id"] for r in records if r["outcome"] == "delivered"}
        webhook = next((r["webhook_id"] for r in records if r["resource"] == "messages"), "w")
        again = 0
        for question in questions:
            if question.id in delivered:
                continue
            body = json.dumps(
                {
                    "id": webhook,
                    "name": "statusbot",
                    "resource": "messages",
                    "event": "created",
                    "data": {
                        "id": question.id,
                        "roomId": question.room_id,
                        "personId": question.person_id,
                        "roomType": "group" if question.group else "direct",
                        "created": question.created,
                    },
                }
            ).encode()
            signature = signature_of(body, SECRET.encode())
            for _ in range(20):
                try:
                    answer = requests.post(
                        webhook_url, data=body, headers={"X-Spark-Signature": signature}, timeout=10
                    )
                    if answer.status_code == 200:
                        break
                except requests.RequestException:
                    pass
            again += 1
        return again


@dataclass
class Tally:
    run: str
    questions: int = 0
    deliveries: int = 0
    once: int = 0
    twice: int = 0
    unanswered: int = 0
    apologies: int = 0
    refused: int = 0
    unknown: int = 0
    problems: list[str] = field(default_factory=list)

    HEADER = (
        "run",
        "questions",
        "deliveries",
        "answered once",
        "answered twice",
        "unanswered",
        "apologies",
        "refused",
        "unknown",
    )

    def row(self) -> tuple[object, ...]:
        return (
            self.run,
            self.questions,
            self.deliveries,
            self.once,
            self.twice,
            self.unanswered,
            self.apologies,
            self.refused,
            self.unknown,
        )


def tally(
    run: str,
    questions: list[Question],
    events: list[dict[str, Any]],
    state: dict[str, Any],
    fired: list[dict[str, Any]],
    deliveries: list[dict[str, Any]],
    bot_id: str,
) -> Tally:
    """Count every question once, from what Webex holds and what the inbox recorded."""
    result = Tally(run, questions=len(questions))
    ids = {q.id for q in questions}
    result.deliveries = sum(1 for d in deliveries if d["data_id"] in ids)
    by_date = {q.horizon - timedelta(days=1): q for q in questions}
    posts = [m for m in state["messages"] if m["personId"] == bot_id]
    posted_ids = {m["id"] for m in posts}
    data_posts: Counter[str] = Counter()
    for message in posts:
        found = HEADING_DATE.search(message.get("markdown") or "")
        if found:
            day = date(*map(int, found.groups()))
            if day in by_date:
                data_posts[by_date[day].id] += 1
    event_of = {e["data_id"]: e for e in events if e["resource"] == "messages"}
    for question in questions:
        event = event_of.get(question.id)
        count = data_posts[question.id]
        if event is None:
            result.unanswered += 1
            result.problems.append(f"question {question.n}: never stored")
            continue
        refused = event["outcome"] == "refused" and event["reply_message_id"] in posted_ids
        apologised = event["apology_message_id"] in posted_ids
        if count >= 2:
            result.twice += 1
            result.problems.append(f"question {question.n}: answered {count} times")
        elif count == 1 or refused:
            result.once += 1
            result.refused += refused
        elif apologised:
            result.apologies += 1
        elif _maybe_out(event) and _reached(question, fired):
            result.unknown += 1
            result.problems.append(f"(listed) question {question.n}: unknown, {event['error']}")
        else:
            result.unanswered += 1
            why = f"{event['state']}/{event['reply_state']}: {event['error']}"
            result.problems.append(f"question {question.n}: unanswered ({why})")
        if count == 1 and event["reply_state"] == "unknown":
            result.unknown += 1
            result.problems.append(f"(listed) question {question.n}: unknown, answer is there")
    _refusals_posted_once(result, posts, events, question_ids=ids)
    return result


def _maybe_out(event: dict[str, Any]) -> bool:
    """The answer, or the apology, may have been posted (a 500/502/504 or a timeout)."""
    return bool(event["reply_state"] == "unknown" or APOLOGY_MAYBE in (event["error"] or ""))


def _reached(question: Question, fired: list[dict[str, Any]]) -> bool:
    """Whether a post for this question's room met an ambiguous fault (500/502/504, a stall)."""
    return any(
        f["method"] == "POST"
        and f["path"] == "/v1/messages"
        and f["roomId"] == question.room_id
        and (f["status"] in AMBIGUOUS or (f["status"] is None and f["stallSeconds"] > 0))
        for f in fired
    )


def _refusals_posted_once(
    result: Tally, posts: list[dict[str, Any]], events: list[dict[str, Any]], question_ids: set[str]
) -> None:
    """Refusals read alike: their number in a space must equal the refused events there."""
    refusal = notices.refusal("en", space=True).markdown
    posted = Counter(m["roomId"] for m in posts if m.get("markdown") == refusal)
    # an unknown outcome there may be a refusal that did go out
    recorded = Counter(
        e["room_id"]
        for e in events
        if e["data_id"] in question_ids
        and ((e["outcome"] == "refused" and e["reply_message_id"]) or e["outcome"] == "unknown")
    )
    for room, count in posted.items():
        if count > recorded[room]:
            result.twice += count - recorded[room]
            result.problems.append(f"{count - recorded[room]} refusals posted twice")
    # an apology is recorded by its event, or its post met a 500/502/504 or a timeout
    recorded_apologies = {e["apology_message_id"] for e in events if e["apology_message_id"]}
    stray = Counter(
        m["roomId"]
        for m in posts
        if m.get("markdown") in APOLOGIES and m["id"] not in recorded_apologies
    )
    maybe = Counter(e["room_id"] for e in events if APOLOGY_MAYBE in (e["error"] or ""))
    for room, count in stray.items():
        if count > maybe[room]:
            result.problems.append(f"{count - maybe[room]} apologies not recorded by any event")


def print_table(rows: list[Tally]) -> str:
    widths = [
        max(len(str(r)) for r in col)
        for col in zip(Tally.HEADER, *[t.row() for t in rows], strict=True)
    ]
    lines = [" | ".join(str(c).rjust(w) for c, w in zip(Tally.HEADER, widths, strict=True))]
    lines.append("-|-".join("-" * w for w in widths))
    for t in rows:
        lines.append(" | ".join(str(c).rjust(w) for c, w in zip(t.row(), widths, strict=True)))
    text = "\n".join(lines)
    print("\n" + text)
    return text
