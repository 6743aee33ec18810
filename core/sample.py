"""Deterministic, realistic sample data: a partner's customers.

The demo, ``statusbot sample`` and ``statusbot ask`` need data that looks like
a real Partner Hub export (non-ASCII names, the real Webex offers, mostly
healthy subscriptions with a tail of problems) and that never changes under
them: the same arguments give the same customers, byte for byte. So the only
randomness is a ``random.Random(seed)`` and the only clock is the ``today``
argument; every end date is an offset from ``today``, which keeps the
statuses stable for a fixed ``today``.

The first customers (``core.sample_showcase.SHOWCASE``) are written by hand:
between them they hold every provisioning status, every subscription status and
every ``days_left`` boundary of status-reference.md, on a list that reads like a
real partner's. Any sample, however small, starts with them.
After them come customers drawn from weighted distributions, named from the
word lists of ``core.sample_names``.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import TextIO

from core.ingest.columns import FIELDS
from core.models import Customer, Service, Subscription
from core.sample_names import company_name, weighted
from core.sample_showcase import (
    CALLING,
    CONTACT_CENTER,
    DEVICES,
    MEETINGS,
    MESSAGING,
    PAID,
    SERVICES,
    SHOWCASE,
    SUITE,
    TRIAL,
    WEBINARS,
    P,
    Plan,
)
from core.statuses import SubscriptionState

#: The fixed date the bundled sample is generated for (demo, ``statusbot ask``).
SAMPLE_TODAY = date(2026, 11, 27)
DEFAULT_SEED = 7
BUNDLED_SAMPLE_CUSTOMERS = 60

# Offers are sold in typical combinations; the weighted mean is about 2 services.
_BUNDLES: tuple[tuple[tuple[str, ...], int], ...] = (
    ((MEETINGS,), 14),
    ((CALLING,), 12),
    ((MESSAGING,), 4),
    ((WEBINARS,), 3),
    ((CONTACT_CENTER,), 3),
    ((CALLING, MEETINGS), 14),
    ((SUITE, DEVICES), 8),
    ((MEETINGS, WEBINARS), 5),
    ((CALLING, CONTACT_CENTER), 4),
    ((MEETINGS, MESSAGING), 5),
    ((CALLING, MEETINGS, MESSAGING), 10),
    ((SUITE, CONTACT_CENTER, DEVICES), 5),
    ((CALLING, MEETINGS, DEVICES), 6),
    ((CALLING, MEETINGS, WEBINARS, DEVICES), 4),
    ((SUITE, CONTACT_CENTER, WEBINARS, DEVICES), 3),
)
_BUNDLE_TABLE = weighted(_BUNDLES)

# Subscriptions per customer, 1..6: mean about 2.5.
_SUBSCRIPTION_COUNT_TABLE = weighted(((1, 25), (2, 30), (3, 25), (4, 12), (5, 5), (6, 3)))

# When a subscription is not fully provisioned, one service has one of these.
_PROBLEM_TABLE = weighted(
    (
        (P.PROVISIONING.rank, 30),
        (P.PENDING_DETAILS.rank, 20),
        (P.MANUAL_CISCO.rank, 15),
        (P.MANUAL_PARTNER.rank, 15),
        (P.FAILED.rank, 20),
    )
)

TRIAL_SHARE = 0.04
#: Of paid subscriptions: suspension is about not paying or not renewing.
SUSPENDED_SHARE = 0.01
EVERGREEN_SHARE = 0.20  # of paid subscriptions
#: Most customers co-terminate: their paid subscriptions renew on one date.
CO_TERM_SHARE = 0.8
#: Chance that a subscription has a service that is not provisioned yet; new
#: subscriptions (started in the last two weeks) are still being set up more often.
PROBLEM_SHARE = 0.01
NEW_PROBLEM_SHARE = 0.25
_NEW_DAYS = 14
_PAID_TERMS = (365, 1095, 1825)  # days: 1, 3 and 5 year terms
#: Days left of paid subscriptions with an end date, as (low, high) ranges:
#: 1 % past their end (not renewed, so suspended by the rules), 3 % within 30
#: days, 3 % within 31 to 60, the rest later (up to the 3-year horizon).
_PAID_DAYS_LEFT_TABLE = weighted((((-90, -1), 1), ((0, 30), 3), ((31, 60), 3), ((61, 1000), 93)))
_TRIAL_LENGTH_TABLE = weighted(((30, 3), (60, 3), (90, 4)))  # days

# Services are frozen, so every subscription shares one validated instance per
# (name, status): this is what keeps 100,000 customers fast while every model is
# still built with full pydantic validation. Indexed by status rank, because
# hashing enum members is slow enough to show in a profile.
_SERVICE_TABLE: dict[str, tuple[Service, ...]] = {
    name: tuple(Service(name=name, provisioning_status=status) for status in P) for name in SERVICES
}
_PROVISIONED = P.PROVISIONED.rank


def _services(names: Sequence[str], problem: int, at: int) -> list[Service]:
    """Services of ``names``, all provisioned but ``names[at]``, which has rank ``problem``."""
    return [
        _SERVICE_TABLE[name][problem if i == at else _PROVISIONED] for i, name in enumerate(names)
    ]


def _paid_start(end: date | None, today: date, term: int) -> date:
    """Start of a paid term ending at ``end``; evergreen ones started ``term`` days ago."""
    return today - timedelta(days=term) if end is None else end - timedelta(days=term - 1)


def _showcase_customer(number: int, name: str, plans: tuple[Plan, ...], today: date) -> Customer:
    subscriptions = []
    for k, plan in enumerate(plans, start=1):
        end = None if plan.days_left is None else today + timedelta(days=plan.days_left)
        if plan.kind is TRIAL:
            assert end is not None  # a trial needs an end date
            start = end - timedelta(days=89)  # 90-day trials
        else:
            term = next(t for t in _PAID_TERMS if plan.days_left is None or t > plan.days_left + 30)
            start = _paid_start(end, today, term)
        subscriptions.append(
            Subscription(
                id=_subscription_id(number, k),
                kind=plan.kind,
                state=SubscriptionState.SUSPENDED if plan.suspended else SubscriptionState.ACTIVE,
                start_date=start,
                end_date=end,
                services=_services(plan.services, (plan.problem or P.PROVISIONED).rank, 0),
            )
        )
    return Customer(id=_customer_id(number), name=name, subscriptions=subscriptions)


def _customer_id(number: int) -> str:
    return f"cust-{number:06d}"


def _subscription_id(customer_number: int, k: int) -> str:
    return f"sub-{customer_number:06d}-{k}"


def _paid_days_left(rng: random.Random) -> int | None:
    """Days left of a paid contract, or None for an evergreen one."""
    if rng.random() < EVERGREEN_SHARE:
        return None
    low, high = rng.choice(_PAID_DAYS_LEFT_TABLE)
    return rng.randint(low, high)


def _random_subscription(
    rng: random.Random, sub_id: str, today: date, contract: int | None
) -> Subscription:
    """One subscription drawn from the distribution described in the module constants.

    ``contract`` is the customer's co-terminated days left (None: evergreen).
    """
    state = SubscriptionState.ACTIVE
    if rng.random() < TRIAL_SHARE:
        kind = TRIAL
        length = rng.choice(_TRIAL_LENGTH_TABLE)
        # Expired trials stay listed for a while; show up to 30 days of them.
        elapsed = rng.randint(0, length + 29)
        start: date = today - timedelta(days=elapsed)
        end: date | None = start + timedelta(days=length - 1)
    else:
        kind = PAID
        if rng.random() < SUSPENDED_SHARE:
            state = SubscriptionState.SUSPENDED
        left = contract if rng.random() < CO_TERM_SHARE else _paid_days_left(rng)
        if left is None:
            end = None
            start = today - timedelta(days=rng.randint(30, 2500))
        else:
            end = today + timedelta(days=left)
            term = rng.choice([t for t in _PAID_TERMS if t > left + 30])
            start = _paid_start(end, today, term)
    names = rng.choice(_BUNDLE_TABLE)
    new = (today - start).days < _NEW_DAYS
    problem = _PROVISIONED
    if rng.random() < (NEW_PROBLEM_SHARE if new else PROBLEM_SHARE):
        problem = rng.choice(_PROBLEM_TABLE)
    at = rng.randrange(len(names))
    return Subscription(
        id=sub_id,
        kind=kind,
        state=state,
        start_date=start,
        end_date=end,
        services=_services(names, problem, at),
    )


def generate(customers: int, *, today: date, seed: int = DEFAULT_SEED) -> Iterator[Customer]:
    """Yield ``customers`` validated customers, the same ones for the same arguments.

    The first ``len(SHOWCASE)`` are the hand-written ones; a smaller sample is a
    prefix of a bigger one (``generate(30)`` is the first 30 of ``generate(60)``).
    """
    if customers < 0:
        raise ValueError("customers must be 0 or more")
    rng = random.Random(seed)
    used = {name for name, _ in SHOWCASE}
    for number in range(1, customers + 1):
        if number <= len(SHOWCASE):
            name, plans = SHOWCASE[number - 1]
            yield _showcase_customer(number, name, plans, today)
            continue
        name = company_name(rng, used)
        count = rng.choice(_SUBSCRIPTION_COUNT_TABLE)
        contract = _paid_days_left(rng)
        subscriptions = [
            _random_subscription(rng, _subscription_id(number, k), today, contract)
            for k in range(1, count + 1)
        ]
        yield Customer(id=_customer_id(number), name=name, subscriptions=subscriptions)


def _rows(customer: Customer) -> Iterator[tuple[str, ...]]:
    for subscription in customer.subscriptions:
        head = (
            customer.id,
            customer.name,
            subscription.id,
            subscription.kind.value,
            subscription.state.value,
            subscription.start_date.isoformat() if subscription.start_date else "",
            subscription.end_date.isoformat() if subscription.end_date else "",
        )
        for service in subscription.services:
            yield (*head, service.name, service.provisioning_status.value)


def write_csv(customers: Iterable[Customer], out: TextIO) -> int:
    """Write the canonical CSV (one row per service); return the rows written.

    Lines end in ``\\n`` whatever the platform, so open files with ``newline=""``
    to keep the output identical everywhere.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    rows = 0
    for customer in customers:
        batch = list(_rows(customer))
        writer.writerows(batch)
        rows += len(batch)
    return rows


def write_json(customers: Iterable[Customer], out: TextIO) -> int:
    """Write the nested JSON shape, one customer per line; return the customers written.

    Each customer is serialised on its own (``Customer.model_dump_json``) so a
    100,000-customer file never exists as one string in memory.
    """
    count = 0
    for customer in customers:
        out.write(",\n" if count else "[\n")
        out.write(customer.model_dump_json())
        count += 1
    out.write("\n]\n" if count else "[]\n")
    return count


def bundled_sample_path() -> Path:
    """The CSV shipped in the package (``core/data/sample.csv``)."""
    return Path(__file__).parent / "data" / "sample.csv"


def bundled_sample_text() -> str:
    """What the bundled sample must contain: 60 customers at ``SAMPLE_TODAY``."""
    buffer = StringIO()
    write_csv(generate(BUNDLED_SAMPLE_CUSTOMERS, today=SAMPLE_TODAY), buffer)
    return buffer.getvalue()


def regenerate_bundled_sample() -> Path:
    """Rewrite the bundled sample after a change here; a test fails until you do."""
    path = bundled_sample_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(bundled_sample_text())
    return path
