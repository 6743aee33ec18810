"""The suite's workload and its accounting.

20 people (``@example.com``, allowed) ask questions in 10 spaces: five 1:1 spaces
and five group spaces of three people each, one of which also holds an outsider
(its questions get the refusal). Question ``n`` asks ``show expiring before
<2001-01-01 + n days>`` and the answer's heading names that date, so every post
of the bot is traced back to its question by its text alone (no customer expired
that long ago, so every answer is the short "0 customers …" card), and a question
answered twice shows as two posts. Each run asks its own numbers, so runs can
share one emulator and one bot.

``tally`` reads the emulator (what Webex holds) and the inbox (what the bot says
happened) and counts each question once: answered once, answered twice,
apologised for, refused, unknown, unanswered. An ``unknown`` (the bot could not
tell whether its post went out: a group space) is listed, and accepted only with its
notice ("I may not have finished answering this…") in the emulator, or, when the
notice's own post was ambiguous, with that post having really reached the emulator
and met a 500/502/504 or a stall.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
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
#: Horizons long past: no customer matches, so an answer is a short card that is cheap
#: to build and to hold (the suite tests delivery, not the lists; tests/handlers do)
FIRST_DAY = date(2001, 1, 1)
#: "… expiring before D" (as asked), or "… by D − 1" as it once read
HEADING_DATE = re.compile(r"(by|before) (\d{4})\\?-(\d{2})\\?-(\d{2})")
#: The apology and the unknown outcome's notice, alike in every question.
APOLOGIES = {
    notices.failure("en").markdown,
    notices.failure("sv").markdown,
    notices.maybe_unanswered("en").markdown,
    notices.maybe_unanswered("sv").markdown,
}
REFUSAL = notices.refusal("en", space=True).markdown
AMBIGUOUS = {500, 502, 504}
#: Every run's row in this session, printed at its end (conftest.py).
RESULTS: list[Tally] = []


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


def horizon_of(text: str | None) -> date | None:
    """The date an answer's heading names, as the question's horizon."""
    found = HEADING_DATE.search(text or "")
    if not found:
        return None
    word, *ymd = found.groups()
    return date(*map(int, ymd)) + timedelta(days=1 if word == "by" else 0)


@dataclass
class Spaces:
    """The people (token per email) and the spaces."""

    tokens: dict[str, str] = field(default_factory=dict)
    direct: list[str] = field(default_factory=list)  # the emails that ask 1:1
    groups: list[str] = field(default_factory=list)  # room ids
    members: dict[str, list[str]] = field(default_factory=dict)  # room id → askers


class Workload:
    def __init__(self, emulator_url: str, api_url: str) -> None:
        self.admin = emulator_url + "/_emulator"
        self.api_url = api_url
        self.spaces = Spaces()
        self._local = threading.local()  # an SDK (a session) per thread and person

    def person(self, email: str) -> WebexAPI:
        cache: dict[str, WebexAPI] = self._local.__dict__.setdefault("people", {})
        if email not in cache:
            token = self.spaces.tokens[email]
            cache[email] = WebexAPI(
                access_token=token, base_url=self.api_url, wait_on_rate_limit=False
            )
        return cache[email]

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
        return self.spaces

    def ask(self, numbers: Iterable[int], threads: int = 8) -> list[Question]:
        """Ask questions ``numbers`` (10 spaces in turn), ``threads`` at a time."""
        with ThreadPoolExecutor(max_workers=threads) as pool:
            return list(pool.map(self.ask_one, numbers))

    def ask_lazily(self, numbers: Iterable[int], per_second: float) -> Iterator[Question]:
        """Ask at about ``per_second``, yielding each question once it is asked (in order)."""
        start = time.monotonic()

        def paced(index_n: tuple[int, int]) -> Question:
            index, n = index_n
            time.sleep(max(0.0, start + index / per_second - time.monotonic()))
            return self.ask_one(n)

        with ThreadPoolExecutor(max_workers=8) as pool:
            yield from pool.map(paced, enumerate(numbers))

    def ask_one(self, n: int) -> Question:
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

    def deliveries(self) -> list[dict[str, Any]]:
        answer = requests.get(self.admin + "/deliveries", timeout=60)
        answer.raise_for_status()
        items: list[dict[str, Any]] = answer.json()["items"]
        return items

    def redeliver(self, webhook_url: str, questions: list[Question]) -> int:
        """Deliver again, signed, each question that Webex could not deliver (a 5xx or
        no answer), as Webex does; how many. A delivery is tried until it is taken."""
        records = self.deliveries()
        delivered = {r["data_id"] for r in records if r["outcome"] == "delivered"}
        webhook = next((r["webhook_id"] for r in records if r["resource"] == "messages"), "w")
        again = [q for q in questions if q.id not in delivered]

        def deliver(question: Question) -> None:
            body = envelope(webhook, question)
            signature = signature_of(body, SECRET.encode())
            for _ in range(20):
                try:
                    answer = requests.post(
                        webhook_url, data=body, headers={"X-Spark-Signature": signature}, timeout=10
                    )
                    if answer.status_code == 200:
                        return
                except requests.RequestException:
                    pass
                time.sleep(0.5)
            raise AssertionError(f"question {question.n}: not taken in 20 deliveries")

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(deliver, again))
        return len(again)


def envelope(webhook_id: str, question: Question) -> bytes:
    """The envelope Webex POSTs for a question (``messages``/``created``)."""
    return json.dumps(
        {
            "id": webhook_id,
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
    seconds: float = 0.0
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
        "seconds",
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
            f"{self.seconds:.0f}",
        )

    @property
    def failures(self) -> list[str]:
        """The problems that fail the run (unknowns are listed, not failures)."""
        return [p for p in self.problems if not p.startswith("(listed)")]


def tally(
    run: str,
    questions: list[Question],
    events: list[dict[str, Any]],
    posts: list[dict[str, Any]],
    fired: list[dict[str, Any]],
    deliveries: list[dict[str, Any]],
) -> Tally:
    """Count every question once, from what Webex holds (``posts``: the bot's messages)
    and what the inbox recorded (``events``)."""
    result = Tally(run, questions=len(questions))
    ids = {q.id for q in questions}
    result.deliveries = sum(1 for d in deliveries if d["data_id"] in ids)
    by_date = {q.horizon: q for q in questions}
    posted_ids = {m["id"] for m in posts}
    data_posts: Counter[str] = Counter()
    for message in posts:
        day = horizon_of(message.get("markdown"))
        if day in by_date:
            data_posts[by_date[day].id] += 1
    event_of = {e["data_id"]: e for e in events if e["resource"] == "messages"}
    # refusals read alike: those posted beyond the recorded ones settle unknown outcomes
    spare_refusals = Counter(m["roomId"] for m in posts if m.get("markdown") == REFUSAL)
    spare_refusals.subtract(
        e["room_id"] for e in events if e["outcome"] == "refused" and e["reply_message_id"]
    )
    for question in questions:
        event = event_of.get(question.id)
        count = data_posts[question.id]
        if event is None:
            result.unanswered += 1
            result.problems.append(f"question {question.n}: never stored")
            continue
        refused = event["outcome"] == "refused" and event["reply_message_id"] in posted_ids
        apologised = event["apology_message_id"] in posted_ids  # or, if unknown, the notice
        unknown = event["outcome"] == "unknown"
        if count >= 2:
            result.twice += 1
            result.problems.append(f"question {question.n}: answered {count} times")
        elif count == 1 or refused:
            result.once += 1
            result.refused += refused
        elif unknown and spare_refusals[question.room_id] > 0:
            spare_refusals[question.room_id] -= 1  # its refusal is there
            result.once += 1
            result.refused += 1
        elif apologised and not unknown:
            result.apologies += 1
        elif not unknown and _notice_maybe_out(event) and _reached(question, event, fired):
            result.unknown += 1  # its apology met a 500/502/504 or a stall at the emulator
            result.problems.append(f"(listed) question {question.n}: {event['error']}")
        elif not unknown:
            result.unanswered += 1
            why = f"{event['state']}/{event['reply_state']}: {event['error']}"
            result.problems.append(f"question {question.n}: unanswered ({why})")
        if unknown:
            # never a second answer; the asker is told instead (issue 10)
            result.unknown += 1
            told = apologised or (_notice_maybe_out(event) and _reached(question, event, fired))
            if told:
                result.problems.append(f"(listed) question {question.n}: unknown, {event['error']}")
            else:
                result.problems.append(
                    f"question {question.n}: unknown, no notice: {event['error']}"
                )
    _refusals_and_apologies_once(result, posts, events, question_ids=ids)
    return result


def _notice_maybe_out(event: dict[str, Any]) -> bool:
    """The apology, or the notice, may have been posted (a 500/502/504, a timeout, a kill)."""
    return APOLOGY_MAYBE in (event["error"] or "")


def _reached(question: Question, event: dict[str, Any], fired: list[dict[str, Any]]) -> bool:
    """Whether a post for this question met an ambiguous fault at the emulator (a
    500/502/504, or a stall the bot gave up on or died in): its answer, found by the
    date in its text, or (for an apology, a notice or a refusal, alike in every
    question) a post of that kind in its room."""
    for f in fired:
        ambiguous = f["status"] in AMBIGUOUS or (f["status"] is None and f["stallSeconds"] > 0)
        if not (ambiguous and f["method"] == "POST" and f["path"] == "/v1/messages"):
            continue
        if f["roomId"] != question.room_id:
            continue
        text = f.get("text") or ""  # the start of the post's text
        if horizon_of(text) == question.horizon:
            return True
        if APOLOGY_MAYBE in (event["error"] or "") and _starts(APOLOGIES, text):
            return True
        if event["outcome"] == "unknown" and _starts({REFUSAL}, text):
            return True
    return False


def _starts(texts: set[str], start: str) -> bool:
    return bool(start) and any(text.startswith(start) for text in texts)


def _refusals_and_apologies_once(
    result: Tally, posts: list[dict[str, Any]], events: list[dict[str, Any]], question_ids: set[str]
) -> None:
    """Refusals and apologies read alike: their number in a space must not exceed the
    events there that recorded one (or may have posted one: an unknown outcome)."""
    mine = [e for e in events if e["data_id"] in question_ids]
    rooms = {e["room_id"] for e in mine}
    posted = Counter(m["roomId"] for m in posts if m.get("markdown") == REFUSAL)
    recorded = Counter(
        e["room_id"]
        for e in mine
        if (e["outcome"] == "refused" and e["reply_message_id"]) or e["outcome"] == "unknown"
    )
    for room, count in posted.items():
        if room in rooms and count > recorded[room]:
            result.twice += count - recorded[room]
            result.problems.append(f"{count - recorded[room]} refusals posted twice")
    recorded_apologies = {e["apology_message_id"] for e in events if e["apology_message_id"]}
    stray = Counter(
        m["roomId"]
        for m in posts
        if m.get("markdown") in APOLOGIES and m["id"] not in recorded_apologies
    )
    maybe = Counter(e["room_id"] for e in events if APOLOGY_MAYBE in (e["error"] or ""))
    for room, count in stray.items():
        if room in rooms and count > maybe[room]:
            result.problems.append(f"{count - maybe[room]} apologies not recorded by any event")


def table(rows: list[Tally]) -> str:
    """The rows as a text table, one line each."""
    cells = [Tally.HEADER, *[t.row() for t in rows]]
    widths = [max(len(str(row[i])) for row in cells) for i in range(len(Tally.HEADER))]
    lines = [" | ".join(str(c).rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "-|-".join("-" * w for w in widths))
    return "\n".join(lines)


def print_table(rows: list[Tally]) -> str:
    text = table(rows)
    print("\n" + text)
    return text
