"""Export: every customer matching a query, as a CSV file a spreadsheet opens.

The file follows the import format (data-contract.md) so it re-imports: the
nine canonical columns come first, one row per service (the canonical grain;
a subscription with one service is one row), then extra columns the importer
ignores: days left, the subscription status key and both labels in the
space's language. UTF-8 with a BOM and comma-separated, so Excel opens it
with å, ä, ö intact.

Spreadsheet formulas: a text cell that starts with ``=``, ``+``, ``-``, ``@``,
tab or carriage return (or ``'`` itself) is prefixed with ``'`` (OWASP's advice
against CSV injection), so a customer named ``=HYPERLINK(...)`` is shown, not
run; the importer removes exactly that prefix again (``core.ingest.cells``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from core.classify import days_left, status_of
from core.ingest.cells import escape_cell
from core.ingest.columns import FIELDS
from core.models import Customer
from core.statuses import Lang

EXTRA_COLUMNS = (
    "days_left",
    "subscription_status",
    "subscription_status_label",
    "provisioning_status_label",
)
COLUMNS = (*FIELDS, *EXTRA_COLUMNS)
CONTENT_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Export:
    data: bytes
    customers: int
    rows: int


def safe_cell(value: str) -> str:
    """A text cell a spreadsheet shows as text, never evaluates; the importer reads it
    back unchanged (``core.ingest.cells``)."""
    return escape_cell(value)


def export_csv(customers: Iterable[Customer], today: date, lang: Lang) -> Export:
    """The CSV bytes (with BOM) for ``customers``, in the order given."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    customer_count = row_count = 0
    for customer in customers:
        customer_count += 1
        for subscription in customer.subscriptions:
            status = status_of(subscription, today)
            left = days_left(subscription.end_date, today)
            for service in subscription.services:
                writer.writerow(
                    (
                        safe_cell(customer.id),
                        safe_cell(customer.name),
                        safe_cell(subscription.id),
                        subscription.kind.value,
                        subscription.state.value,
                        subscription.start_date.isoformat() if subscription.start_date else "",
                        subscription.end_date.isoformat() if subscription.end_date else "",
                        safe_cell(service.name),
                        service.provisioning_status.value,
                        "" if left is None else str(left),
                        status.value,
                        status.label(lang),
                        service.provisioning_status.label(lang),
                    )
                )
                row_count += 1
    data = buffer.getvalue().encode("utf-8-sig")
    return Export(data=data, customers=customer_count, rows=row_count)


def export_filename(today: date) -> str:
    return f"statusbot-customers-{today.isoformat()}.csv"
