"""The sample's hand-written first customers, and the Webex offers they hold.

``core.sample.generate`` starts every sample with ``SHOWCASE``: named and shaped
like a real partner's customers (most healthy, a few needing attention), and
between them holding every provisioning status, every subscription status and
every ``days_left`` boundary of status-reference.md, so even the smallest sample
shows them all. Names that test the replies' escaping live in the tests
(``tests/hostile_data.py``), never here: the demo and the README's pictures
show this list.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.statuses import ProvisioningStatus, SubscriptionKind

CALLING = "Webex Calling"
MEETINGS = "Webex Meetings"
SUITE = "Webex Suite"
CONTACT_CENTER = "Webex Contact Center"
MESSAGING = "Webex Messaging"
WEBINARS = "Webex Webinars"
DEVICES = "Webex Devices (Room Kits)"
#: The Webex offers a subscription can hold.
SERVICES: tuple[str, ...] = (
    CALLING,
    MEETINGS,
    SUITE,
    CONTACT_CENTER,
    MESSAGING,
    WEBINARS,
    DEVICES,
)

PAID = SubscriptionKind.PAID
TRIAL = SubscriptionKind.TRIAL
P = ProvisioningStatus


@dataclass(frozen=True, slots=True)
class Plan:
    """A hand-written subscription: ``days_left`` None means evergreen."""

    kind: SubscriptionKind
    days_left: int | None
    services: tuple[str, ...]
    problem: ProvisioningStatus | None = None  # status of the first service
    suspended: bool = False


#: Hand-written first customers, named and shaped like a real partner's: most are
#: healthy, a few need attention. Between them: every subscription status, every
#: boundary (days_left -1, 0, 30, 31, 60, 61 for both kinds, evergreen, suspended
#: with a future end date, paid past its end date) and every provisioning status.
SHOWCASE: tuple[tuple[str, tuple[Plan, ...]], ...] = (
    ("Åre Skidskola AB", (Plan(PAID, 61, (CALLING, MEETINGS)), Plan(TRIAL, 61, (WEBINARS,)))),
    (
        "Nordvik Bygg AB",
        (Plan(PAID, None, (CALLING, MEETINGS, MESSAGING)), Plan(PAID, 60, (DEVICES,))),
    ),
    (
        "Göteborgs Energi",
        (Plan(PAID, None, (SUITE, DEVICES)), Plan(PAID, 0, (CALLING,), P.FAILED)),
    ),
    (
        "Lindqvist & Partners Advokatbyrå",
        (Plan(PAID, 400, (CALLING, MEETINGS)), Plan(TRIAL, -1, (WEBINARS,))),
    ),
    (
        "Malmö Stad",
        (
            Plan(PAID, None, (CALLING, MEETINGS, MESSAGING)),
            Plan(PAID, 31, (DEVICES, MEETINGS), P.MANUAL_CISCO),
        ),
    ),
    (
        "Helsingborgs Hamn AB",
        (
            Plan(PAID, None, (CALLING,)),
            Plan(TRIAL, 0, (CONTACT_CENTER,), P.PENDING_DETAILS),
            Plan(TRIAL, 30, (WEBINARS,)),
        ),
    ),
    (
        "Ängelholms Kommun",
        (
            Plan(PAID, -1, (MEETINGS,)),
            Plan(PAID, 60, (CALLING,)),
            Plan(PAID, 200, (SUITE,), suspended=True),
        ),
    ),
    ("Kvarnström Fastigheter AB", (Plan(PAID, 30, (CALLING, MEETINGS)),)),
    (
        "Øresund Logistik A/S",
        (Plan(TRIAL, 31, (CONTACT_CENTER,), P.MANUAL_PARTNER), Plan(PAID, 400, (CALLING,))),
    ),
    ("Brightwater Consulting Ltd", (Plan(PAID, 220, (MEETINGS, MESSAGING)),)),
    ("Acme Markiser AB", (Plan(PAID, 300, (CALLING, MEETINGS)),)),
    ("Café Noir SARL", (Plan(TRIAL, 60, (CALLING,), P.PROVISIONING),)),
    (
        "Zürich Versicherung AG",
        (Plan(PAID, 500, (CALLING, MEETINGS)), Plan(PAID, None, (CONTACT_CENTER, CALLING))),
    ),
    ("東京商事株式会社", (Plan(PAID, 150, (MEETINGS,)), Plan(TRIAL, 45, (SUITE, DEVICES)))),
    ("Ünal İnşaat A.Ş.", (Plan(PAID, 90, (CALLING, MESSAGING)),)),
)
