"""Customers whose names break a reply that reads them as markdown, HTML or mentions.

The bundled sample (the demo, the README's pictures) looks like a real partner's
customer list; these live here, in the tests that prove every reply shows any name
literally, as the sample looked a day at ``SAMPLE_TODAY``: each in a list a test
asks for (expiring within 30 days, trials, suspended), one of them mid-provisioning.
"""

from __future__ import annotations

import csv
from io import StringIO

from core.sample import bundled_sample_path

#: Names Webex would render (markdown, HTML, a mention of everyone, code spans).
HOSTILE_NAMES: tuple[str, ...] = (
    "Acme *Bold* [x](http://evil)",
    "<b>Globex</b> & Co",
    "Initech_underscore_",
    "Evil <@all> Corp",
    "Back`tick` AB",
)
ACME, GLOBEX, INITECH, EVIL, BACKTICK = HOSTILE_NAMES

#: Canonical CSV rows (core.sample's columns) at SAMPLE_TODAY, 2026-11-27.
_ROWS = (
    ("hostile-1", ACME, "paid", "active", "2025-12-28", "2026-12-27", "Webex Meetings"),
    ("hostile-2", GLOBEX, "trial", "active", "2026-08-29", "2026-11-26", "Webex Webinars"),
    ("hostile-3", INITECH, "trial", "active", "2026-08-30", "2026-11-27", "Webex Calling"),
    ("hostile-4", EVIL, "paid", "suspended", "2024-06-16", "2027-06-15", "Webex Suite"),
    ("hostile-5", BACKTICK, "trial", "active", "2026-09-29", "2026-12-27", "Webex Messaging"),
)


def hostile_rows(*, acme_failed: bool = False) -> str:
    """The hostile customers as CSV lines (no header); Initech awaits provisioning
    details, and with ``acme_failed`` Acme's service failed (a change to alert on)."""
    out = StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for number, (customer, name, kind, state, start, end, service) in enumerate(_ROWS, 1):
        status = "provisioned"
        if customer == "hostile-3":
            status = "pending_details"
        elif customer == "hostile-1" and acme_failed:
            status = "failed"
        subscription = f"hostile-sub-{number}"
        writer.writerow((customer, name, subscription, kind, state, start, end, service, status))
    return out.getvalue()


def sample_with_hostile_names(sample_text: str | None = None, *, acme_failed: bool = False) -> str:
    """The bundled sample (or ``sample_text``, canonical CSV) with the hostile customers."""
    if sample_text is None:
        sample_text = bundled_sample_path().read_text(encoding="utf-8")
    return sample_text + hostile_rows(acme_failed=acme_failed)
