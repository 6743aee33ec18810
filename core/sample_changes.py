"""The bundled sample a day later: a few customers' services now fail to provision.

``statusbot demo`` writes this next to its database so a new user can import it
(``statusbot import``) and watch an alert arrive, and the end-to-end test of
proactive posts imports it the same way. It is the bundled sample with the first
service of the first ``count`` customers whose services were all provisioned set
to ``failed``: each of them moves into "needing attention", which a bare
``alerts on`` watches. Deterministic, so the demo's instructions and the test
can name who changes. Edited as CSV rows, so every other byte stays the sample's.
"""

from __future__ import annotations

import csv
from io import StringIO

from core.sample import bundled_sample_path

__all__ = ["CHANGED_CUSTOMERS", "changed_sample"]

#: How many customers the changed sample turns to failed provisioning.
CHANGED_CUSTOMERS = 3


def changed_sample(count: int = CHANGED_CUSTOMERS) -> tuple[str, list[str]]:
    """The changed sample as canonical CSV text, and the names of who changed."""
    with bundled_sample_path().open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    by_customer: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_customer.setdefault(row["customer_id"], []).append(row)
    names: list[str] = []
    for services in by_customer.values():
        if len(names) == count:
            break
        if all(row["provisioning_status"] == "provisioned" for row in services):
            services[0]["provisioning_status"] = "failed"
            names.append(services[0]["customer_name"])
    out = StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue(), names
