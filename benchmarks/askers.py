"""People asking the bot, open loop, in a process of its own.

    python benchmarks/askers.py --api http://127.0.0.1:PORT/v1 --people 50 \
        --rate 20 --seconds 10

Question *i* is due at ``start + i / rate`` and is posted by person
``i % people`` in their 1:1 space with the bot, through the emulator's
Messaging API, as a Webex client would. Prints one JSON object: for each
question its message id and its due time (Unix seconds), so the round trip is
measured from when the question was due, not from when a thread was free to
send it (coordinated omission). At most ``rate * seconds`` questions; sending
threads are bounded, and a question still unsent ``--grace`` seconds after the
last was due is reported as not asked.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

QUESTIONS = (
    "show expiring in 30 days",
    "customer Acme",
    "show failed provisioning",
    "summary",
    "visa går ut inom 30 dagar",
    "show customers needing attention",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", required=True, help="the emulator's /v1 URL (loopback)")
    parser.add_argument("--bot-email", default="statusbot@webex.bot")
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--grace", type=float, default=20.0)
    args = parser.parse_args()
    if not args.api.startswith(("http://127.0.0.1", "http://localhost")):
        raise SystemExit("askers: loopback only")
    local = threading.local()
    asked: list[dict[str, object]] = []
    lock = threading.Lock()
    count = int(args.rate * args.seconds)
    start = time.time() + 0.2
    give_up = start + args.seconds + args.grace

    def ask(number: int, due: float) -> None:
        if time.time() > give_up:
            return
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
            session.trust_env = False
        person = number % args.people
        answer = session.post(
            f"{args.api.rstrip('/')}/messages",
            json={"toPersonEmail": args.bot_email, "text": QUESTIONS[number % len(QUESTIONS)]},
            headers={"Authorization": f"Bearer ASKER_TOKEN_{person}"},
            timeout=30,
        )
        if answer.ok:
            with lock:
                asked.append({"id": answer.json()["id"], "due": due, "person": person})

    with ThreadPoolExecutor(args.threads) as pool:
        for number in range(count):
            due = start + number / args.rate
            delay = due - time.time()
            if delay > 0:
                time.sleep(delay)
            pool.submit(ask, number, due)
    print(json.dumps({"due": count, "asked": asked}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
