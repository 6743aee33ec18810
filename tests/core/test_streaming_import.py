"""The import streams: rows are staged on disk as they are read, the checks that
span rows run there, and nothing reaches the store unless the whole file is good."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.ingest.problems import SnapshotInvalid
from core.ingest.snapshot import read_snapshot
from core.query import Query
from core.store import Store
from tests.core.builders import TODAY, as_csv, customer, snapshot, sub
from tests.core.test_store import fleet

HEADER = (
    "customer_id,customer_name,subscription_id,subscription_kind,subscription_state,"
    "start_date,end_date,service,provisioning_status"
)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    store = Store.open(database_url)
    yield store
    store.close()


def _big_csv(customers: int, *tail: str) -> io.BytesIO:
    lines = [HEADER]
    for number in range(customers):
        for service in ("Webex Calling", "Webex Meetings"):
            lines.append(f"c{number},Customer {number},s{number},paid,,,,{service},provisioned")
    return io.BytesIO("\n".join([*lines, *tail, ""]).encode())


def test_a_disagreement_far_from_the_first_row_is_found_and_nothing_is_imported(
    store: Store,
) -> None:
    store.import_snapshot(snapshot(*fleet()), today=TODAY, source="good")
    data = _big_csv(3000, "c7,Someone Else,s99999,paid,,,,Webex Calling,provisioned")
    with pytest.raises(SnapshotInvalid) as caught:
        store.import_snapshot(read_snapshot(data), today=TODAY, source="late bad row")
    (error,) = caught.value.errors
    assert (error.line, error.column, error.value) == (6002, "customer_name", "Someone Else")
    assert "'Customer 7' on line 16" in error.reason
    assert store.count(Query(), TODAY) == len(fleet())


def test_every_row_of_a_run_that_disagrees_is_named() -> None:
    rows = [
        "c1,Acme,s1,paid,,,,Webex Calling,provisioned",
        "c2,Beta,s2,paid,,,,Webex Calling,provisioned",
        "c1,Acme Inc,s3,paid,,,,Webex Calling,provisioned",  # line 4
        "c1,Acme Inc,s3,paid,,,,Webex Meetings,provisioned",  # line 5
        "c2,Beta,s1,paid,,,,Webex Suite,provisioned",  # line 6: s1 is c1's
        "c2,Beta,s1,paid,,,,Webex Calling,provisioned",  # line 7
    ]
    data = io.BytesIO("\n".join([HEADER, *rows, ""]).encode())
    with pytest.raises(SnapshotInvalid) as caught:
        read_snapshot(data)
    assert [(e.line, e.column) for e in caught.value.errors] == [
        (4, "customer_name"),
        (5, "customer_name"),
        (6, "customer_id"),
        (7, "customer_id"),
    ]


def test_the_staged_snapshot_reads_back_as_the_models_it_came_from() -> None:
    customers = [
        customer(
            "a",
            "Acme",
            sub("a1", "trial", 20),
            sub("a2", provisioning=("failed", "pending_details")),
        ),
        customer("b", "Beta"),
    ]
    staged = read_snapshot(as_csv(*customers))
    assert list(staged.to_customers()) == customers
    assert dict(staged.customers) == {"a": "Acme", "b": "Beta"}
    staged.close()


def test_the_scratch_file_is_removed_when_done_or_refused() -> None:
    good = read_snapshot(as_csv(*fleet()))
    path = good.path
    assert path.exists()
    good.close()
    assert not path.exists()
    before = set(Path(path.parent).glob("statusbot-snapshot-*"))
    with pytest.raises(SnapshotInvalid):
        read_snapshot(io.BytesIO(f"{HEADER}\nc1,A,s1,free,,,,S,provisioned\n".encode()))
    assert set(Path(path.parent).glob("statusbot-snapshot-*")) <= before


def test_a_reimport_that_changes_statuses_compares_in_the_scratch(store: Store) -> None:
    store.import_snapshot(read_snapshot(_big_csv(500)), today=TODAY, source="v1")
    changed = (
        _big_csv(499)
        .getvalue()
        .replace(
            b"c3,Customer 3,s3,paid,,,,Webex Calling,provisioned",
            b"c3,Customer 3,s3,paid,,,,Webex Calling,failed",
        )
    )
    result = store.import_snapshot(read_snapshot(io.BytesIO(changed)), today=TODAY, source="v2")
    assert (result.added, result.removed) == (0, 1)
    seen = {(t.customer_id, t.dimension, t.old, t.new) for t in result.transitions}
    assert seen == {
        ("c3", "provisioning", "provisioned", "failed"),
        ("c499", "provisioning", "provisioned", None),
        ("c499", "subscription", "active", None),
    }


def test_sources_combine_in_the_scratch_and_name_ids_from_two_sources() -> None:
    from core.sources.base import SourceError
    from core.sources.combine import combine

    first = snapshot(customer("a", "Acme"), customer("b", "Beta"))
    second = snapshot(customer("c", "Cyb", sub("c1"), sub("c2")))
    joined = combine([("one.csv", first), ("two.csv", second)])
    assert dict(joined.customers) == {"a": "Acme", "b": "Beta", "c": "Cyb"}
    assert [c.id for c in joined.to_customers()] == ["a", "b", "c"]
    assert len(joined.subscriptions) == 4 and len(joined.services) == 4

    clashing = snapshot(customer("b", "Beta again"), customer("d", "Delta", sub("c1")))
    with pytest.raises(SourceError) as caught:
        combine([("one.csv", first), ("two.csv", second), ("three.csv", clashing)])
    assert caught.value.details == (
        "customer id 'b' comes from one.csv and three.csv",
        "subscription id 'c1' comes from two.csv and three.csv",
    )
