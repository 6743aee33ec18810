"""Webhook load, in a process of its own: open-loop at a fixed rate, or closed-loop to saturate.

    python benchmarks/loadgen.py --url http://127.0.0.1:PORT/webhooks/webex \
        --secret S --rate 200 --seconds 10      # open loop: ack latency at 200/s
    python benchmarks/loadgen.py ... --closed --connections 32 --seconds 10  # saturation

Prints one JSON object. Why its numbers hold on two cores shared with the servers:

* It is a separate process, so its CPU is its own (it reports it) and never
  counted as the server's.
* Open loop: request *i* is due at ``start + i / rate`` whatever happened to
  the others, and its latency is measured from that due time, not from when a
  connection was free to send it. A server that stalls therefore shows the
  whole stall in every request that waited behind it (coordinated omission,
  Gil Tene's term, is accounted for, as wrk2 does).
* Bounded: at most ``rate * seconds`` requests, and every request still open
  ``--grace`` seconds after the last one was due is counted as lost.
* Loopback only, plain HTTP/1.1 keep-alive on asyncio streams: a few tens of
  microseconds of client CPU per request, which the report states.

Each envelope is a Webex ``messages/created`` webhook with its own id, signed
with the secret as Webex signs it (HMAC-SHA1 of the raw body).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import hmac
import json
import resource
import statistics
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0

    async def send(self, connection: Connection, request: bytes, since: float) -> None:
        """Send, and record the status and the latency counted from ``since``."""
        try:
            status = await connection.send(request)
        except OSError:
            self.errors += 1
            return
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.latencies.append(time.perf_counter() - since)


def envelope(run: str, number: int, secret: bytes, host: str, path: str) -> bytes:
    """One signed POST, ready to write to the socket."""
    body = json.dumps(
        {
            "id": "Y2lzY29zcGFyazovL3VzL1dFQkhPT0svYmVuY2g",
            "name": "statusbot messages",
            "targetUrl": f"http://{host}{path}",
            "resource": "messages",
            "event": "created",
            "orgId": "bench-org",
            "createdBy": "bench-bot",
            "appId": "bench-app",
            "ownedBy": "creator",
            "status": "active",
            "created": "2026-11-27T08:00:00.000Z",
            "actorId": "bench-person",
            "data": {
                "id": f"bench-{run}-{number}",
                "roomId": f"bench-room-{number % 500}",
                "roomType": "direct",
                "personId": "bench-person",
                "personEmail": "bench@example.com",
                "created": "2026-11-27T08:00:00.000Z",
            },
        },
        separators=(",", ":"),
    ).encode()
    signature = hmac.new(secret, body, hashlib.sha1).hexdigest()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"X-Spark-Signature: {signature}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class Connection:
    """One keep-alive connection; reconnects when the server closed it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, request: bytes) -> int:
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            assert self.reader is not None
            try:
                self.writer.write(request)
                return await _response(self.reader)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def open_loop(args: argparse.Namespace, requests: list[bytes], tally: Tally) -> float:
    """Send request i at start + i/rate; latency from that due time."""
    queue: asyncio.Queue[tuple[int, float]] = asyncio.Queue()
    host, port = _address(args.url)

    async def worker() -> None:
        connection = Connection(host, port)
        try:
            while True:
                number, due = await queue.get()
                try:
                    await tally.send(connection, requests[number], due)
                finally:
                    queue.task_done()
        finally:
            connection.close()

    workers = [asyncio.create_task(worker()) for _ in range(args.connections)]
    start = time.perf_counter() + 0.05
    for number in range(len(requests)):
        due = start + number / args.rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((number, due))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(queue.join(), timeout=args.grace)
    for task in workers:
        task.cancel()
    return time.perf_counter() - start


async def closed_loop(args: argparse.Namespace, requests: list[bytes], tally: Tally) -> float:
    """``connections`` clients, each sending its next request when the last is answered."""
    host, port = _address(args.url)
    next_number = iter(range(len(requests)))
    stop_at = time.perf_counter() + args.seconds

    async def client() -> None:
        connection = Connection(host, port)
        try:
            for number in next_number:
                if time.perf_counter() >= stop_at:
                    return
                await tally.send(connection, requests[number], time.perf_counter())
        finally:
            connection.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(args.connections)))
    return time.perf_counter() - start


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loadgen: loopback targets only")
    return parts.hostname, parts.port or 80


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--run", default=str(time.time_ns()), help="makes the envelope ids unique")
    parser.add_argument("--rate", type=float, default=100.0, help="open loop: requests/s")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--closed", action="store_true", help="closed loop, to saturate")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--grace", type=float, default=10.0, help="open loop: drain time")
    args = parser.parse_args()
    split = urlsplit(args.url)
    count = args.max_requests if args.closed else int(args.rate * args.seconds)
    count = min(count, args.max_requests)
    requests = [
        envelope(args.run, n, args.secret.encode(), split.netloc, split.path) for n in range(count)
    ]
    tally = Tally()
    before = resource.getrusage(resource.RUSAGE_SELF)
    runner = closed_loop if args.closed else open_loop
    elapsed = asyncio.run(runner(args, requests, tally))
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    done = len(tally.latencies)
    ok = sum(n for status, n in tally.statuses.items() if 200 <= status < 300)
    ordered = sorted(tally.latencies)
    print(
        json.dumps(
            {
                "mode": "closed" if args.closed else "open",
                "target_rate": None if args.closed else args.rate,
                "due": count if not args.closed else None,
                "answered": done,
                "ok": ok,
                "statuses": {str(k): v for k, v in tally.statuses.items()},
                "errors": tally.errors,
                "lost": (count - done - tally.errors) if not args.closed else 0,
                "seconds": elapsed,
                "rate": ok / elapsed if elapsed else 0.0,
                "p50_ms": 1000 * statistics.median(ordered) if ordered else None,
                "p99_ms": 1000 * ordered[int(0.99 * (len(ordered) - 1))] if ordered else None,
                "max_ms": 1000 * ordered[-1] if ordered else None,
                "client_cpu_ms_per_request": 1000 * cpu / done if done else None,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
