"""The store on SQLite and on PostgreSQL: the same tests run on both."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from core.ingest.problems import SnapshotInvalid
from core.ingest.snapshot import read_snapshot
from core.query import Query
from core.statuses import ProvisioningStatus as P
from core.statuses import SubscriptionKind
from core.statuses import SubscriptionStatus as S
from core.store import Store
from tests.core.builders import TODAY, as_csv, customer, snapshot, sub


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    store = Store.open(database_url)
    yield store
    store.close()


def fleet():
    """Customers covering each status, with names chosen to test ordering."""
    return (
        customer("acme", "Acme", sub("acme-1", left=10), sub("acme-2", left=None)),
        customer("beta", "Beta AB", sub("beta-1", "trial", left=45, provisioning="manual_cisco")),
        customer(
            "cyb", "Cyberdyne", sub("cyb-1", left=500, state="suspended", provisioning="failed")
        ),
        customer("delta", "Åre Skidskola", sub("delta-1", "trial", left=-1)),
        customer("echo", "Echo 100%_off", sub("echo-1", left=30, provisioning="pending_details")),
        customer("fox", "Foxtrot", sub("fox-1", left=31), sub("fox-2", "trial", left=90)),
        customer("golf", "Golf", sub("golf-1", left=None)),
    )


def ids(store: Store, query: Query) -> list[str]:
    return [row.id for row in store.query(query, TODAY).rows]


def test_list_order_is_importance_then_end_date_then_name(store: Store) -> None:
    store.import_snapshot(snapshot(*fleet()), today=TODAY, source="test")
    page = store.query(Query(), TODAY)
    assert page.total == 7
    assert [(row.id, row.subscription_status, row.provisioning_status) for row in page.rows] == [
        ("cyb", S.SUSPENDED, P.FAILED),
        ("delta", S.TRIAL_EXPIRED, P.PROVISIONED),
        ("echo", S.EXPIRING_30, P.PENDING_DETAILS),
        ("acme", S.EXPIRING_30, P.PROVISIONED),
        ("fox", S.EXPIRING_60, P.PROVISIONED),
        ("beta", S.TRIAL_EXPIRING_60, P.MANUAL_CISCO),
        ("golf", S.ACTIVE, P.PROVISIONED),
    ]
    acme = page.rows[3]
    assert acme.soonest_end_date == TODAY + timedelta(days=10) and acme.days_left == 10
    assert acme.subscription_count == 2


def test_a_rows_date_belongs_to_the_status_it_shows(store: Store) -> None:
    rows_of = (
        customer("trial", "Trial", sub("t-1", "trial", left=-3), sub("t-2", left=921)),
        customer("susp", "Susp", sub("s-1", left=100, state="suspended"), sub("s-2", left=760)),
        customer("mixed", "Mixed", sub("m-1", left=50), sub("m-2", "trial", left=5)),
    )
    store.import_snapshot(snapshot(*rows_of), today=TODAY, source="test")
    rows = {row.id: row for row in store.query(Query(), TODAY).rows}
    trial, susp, mixed = rows["trial"], rows["susp"], rows["mixed"]
    assert trial.subscription_status is S.TRIAL_EXPIRED and trial.days_left == -3
    assert susp.subscription_status is S.SUSPENDED and susp.soonest_end_date is None
    assert mixed.subscription_status is S.TRIAL_EXPIRING_30 and mixed.days_left == 5


def test_filters_follow_partner_hub_semantics(store: Store) -> None:
    store.import_snapshot(snapshot(*fleet()), today=TODAY, source="test")
    assert ids(store, Query(subscription=frozenset({S.EXPIRING_30}))) == ["echo", "acme"]
    # OR within a dimension
    assert ids(store, Query(subscription=frozenset({S.EXPIRING_60, S.TRIAL_EXPIRED}))) == [
        "delta",
        "fox",
    ]
    # AND across dimensions, on the same subscription
    assert ids(
        store, Query(provisioning=frozenset({P.FAILED}), subscription=frozenset({S.SUSPENDED}))
    ) == ["cyb"]
    assert (
        ids(
            store,
            Query(provisioning=frozenset({P.MANUAL_CISCO}), subscription=frozenset({S.ACTIVE})),
        )
        == []
    )
    # a horizon is a range: 0..60 days, both kinds, never suspended or ended
    assert ids(store, Query(expiring_within_days=60)) == ["echo", "acme", "fox", "beta"]
    assert ids(store, Query(expiring_within_days=60, kind=SubscriptionKind.TRIAL)) == ["beta"]
    assert ids(store, Query(expiring_by=TODAY + timedelta(days=10))) == ["acme"]
    assert ids(store, Query(needing_attention=True)) == ["cyb", "delta", "echo", "acme"]
    assert ids(store, Query(name="åre")) == ["delta"]
    assert ids(store, Query(name="100%_")) == ["echo"]
    assert ids(store, Query(name="%")) == ["echo"]  # LIKE wildcards are literal
    assert ids(store, Query(name="golf")) == ["golf"]
    assert store.count(Query(expiring_within_days=60), TODAY) == 4


def test_paging_is_a_stable_window(store: Store) -> None:
    store.import_snapshot(snapshot(*fleet()), today=TODAY, source="test")
    everything = ids(store, Query())
    pages = [store.query(Query(), TODAY, offset=o, limit=3) for o in (0, 3, 6)]
    assert [row.id for page in pages for row in page.rows] == everything
    assert all(page.total == 7 for page in pages)


def test_summary_counts_match_the_filters(store: Store) -> None:
    store.import_snapshot(snapshot(*fleet()), today=TODAY, source="test")
    summary = store.summary(TODAY)
    assert summary.total == 7
    assert summary.needing_attention == 4
    for status, count in summary.subscription.items():
        assert count == store.count(Query(subscription=frozenset({status})), TODAY), status
    for status, count in summary.provisioning.items():
        assert count == store.count(Query(provisioning=frozenset({status})), TODAY), status
    assert summary.subscription[S.ACTIVE] == 2  # acme (evergreen) and golf


def test_customer_details_come_back_whole(store: Store) -> None:
    store.import_snapshot(snapshot(*fleet()), today=TODAY, source="test")
    acme = store.customer("acme")
    assert acme is not None and acme == fleet()[0]
    assert sorted(store.all_customers(), key=lambda c: c.id) == sorted(fleet(), key=lambda c: c.id)
    assert store.customer("nobody") is None
    assert [c.id for c in store.iter_customers(Query(expiring_within_days=60), TODAY)] == [
        "echo",
        "acme",
        "fox",
        "beta",
    ]


def test_transitions_between_snapshots(store: Store) -> None:
    first = store.import_snapshot(snapshot(*fleet()), today=TODAY, source="v1")
    assert first.transitions == () and first.added == 7  # the first import is the baseline
    changed = list(fleet())
    changed[0] = customer("acme", "Acme", sub("acme-1", left=200), sub("acme-2", left=None))
    changed[6] = customer("golf", "Golf", sub("golf-1", left=None, provisioning="failed"))
    del changed[1]  # beta is gone
    changed.append(customer("hotel", "Hotel", sub("hotel-1", "trial", left=5)))
    result = store.import_snapshot(snapshot(*changed), today=TODAY, source="v2")
    assert (result.added, result.removed) == (1, 1)
    seen = {(t.customer_id, t.dimension, t.old, t.new) for t in result.transitions}
    assert seen == {
        ("acme", "subscription", "expiring_30", "active"),
        ("golf", "provisioning", "provisioned", "failed"),
        ("beta", "provisioning", "manual_cisco", None),
        ("beta", "subscription", "trial_expiring_60", None),
        ("hotel", "provisioning", None, "provisioned"),
        ("hotel", "subscription", None, "trial_expiring_30"),
    }
    stored = store.transitions()
    assert {(t.customer_id, t.old, t.new) for _, t in stored} == {(c, o, n) for c, _, o, n in seen}
    assert next(t for _, t in stored if t.customer_id == "beta").customer_name == "Beta AB"
    assert ids(store, Query()) == ["cyb", "delta", "echo", "hotel", "fox", "golf", "acme"]


def test_reimporting_the_same_file_changes_nothing(store: Store) -> None:
    data = as_csv(*fleet()).getvalue()
    import io

    store.import_snapshot(read_snapshot(io.BytesIO(data)), today=TODAY, source="a")
    again = store.import_snapshot(read_snapshot(io.BytesIO(data)), today=TODAY, source="a")
    assert again.unchanged and again.transitions == ()
    # the same data in another order is not the same file, yet records no transitions
    reordered = b"\n".join([data.split(b"\n")[0], *reversed(data.strip().split(b"\n")[1:])])
    third = store.import_snapshot(read_snapshot(io.BytesIO(reordered)), today=TODAY, source="b")
    assert not third.unchanged and third.transitions == ()
    assert store.transitions() == []


def test_a_bad_file_leaves_the_previous_snapshot_served(store: Store) -> None:
    import io

    store.import_snapshot(snapshot(*fleet()), today=TODAY, source="good")
    bad = as_csv(*fleet(), customer("new", "New")).getvalue() + b"x,X,y,free,,,,S,failed\n"
    with pytest.raises(SnapshotInvalid):
        store.import_snapshot(read_snapshot(io.BytesIO(bad)), today=TODAY, source="bad")
    assert store.count(Query(), TODAY) == 7
    assert store.customer("new") is None


def test_a_failed_write_rolls_back_everything(store: Store) -> None:
    """All or nothing even when the database refuses mid-import."""
    store.import_snapshot(snapshot(*fleet()), today=TODAY, source="good")
    broken = snapshot(customer("zulu", "Zulu"))
    # a service whose subscription does not exist: the foreign key refuses it mid-write
    broken.execute(
        "INSERT INTO services (subscription_id, name, status) VALUES (?, ?, ?)",
        ("no-such-subscription", "Webex Calling", P.FAILED.value),
    )
    with pytest.raises(Exception):  # noqa: B017 - the engine's own integrity error
        store.import_snapshot(broken, today=TODAY, source="broken")
    assert ids(store, Query()) == ids_after_fleet()
    assert len(store.transitions()) == 0


def ids_after_fleet() -> list[str]:
    return ["cyb", "delta", "echo", "acme", "fox", "beta", "golf"]


def test_an_import_is_classified_before_anyone_can_read_it(store: Store) -> None:
    store.import_snapshot(snapshot(*fleet()), today=TODAY, source="test")
    assert store._is_classified(TODAY)


def test_a_new_day_is_classified_once_while_many_threads_ask(store: Store) -> None:
    import threading

    store.import_snapshot(snapshot(*fleet()), today=TODAY, source="test")
    tomorrow = TODAY + timedelta(days=1)
    errors: list[BaseException] = []
    answers: list[list[str]] = []

    def ask() -> None:
        try:
            answers.append(ids_on(store, Query(subscription=frozenset({S.EXPIRING_30})), tomorrow))
        except BaseException as error:  # collected, then asserted
            errors.append(error)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # tomorrow fox (31 days left today) is within 30 days too
    assert answers == [["echo", "acme", "fox"]] * 8
    # a second store (another process) on the same database sees the same day
    other = Store.open(str(store.engine.url.render_as_string(hide_password=False)))
    try:
        expiring = Query(subscription=frozenset({S.EXPIRING_30}))
        assert ids_on(other, expiring, tomorrow) == ["echo", "acme", "fox"]
    finally:
        other.close()


def ids_on(store: Store, query: Query, day) -> list[str]:
    return [row.id for row in store.query(query, day).rows]


@pytest.mark.parametrize(
    "query",
    [
        Query(),
        Query(needing_attention=True),
        Query(expiring_within_days=60),
        Query(name="e"),
        Query(subscription=frozenset({S.ACTIVE})),
        Query(name="nobody at all"),
    ],
)
def test_the_json_answer_is_the_list_in_the_same_order(store: Store, query: Query) -> None:
    import json

    store.import_snapshot(snapshot(*fleet()), today=TODAY, source="test")
    total, text = store.query_json(query, TODAY)
    page = store.query(query, TODAY)
    assert total == page.total
    assert json.loads(text) == [
        {
            "id": row.id,
            "name": row.name,
            "provisioning_status": row.provisioning_status.value,
            "subscription_status": row.subscription_status.value,
            "soonest_end_date": row.soonest_end_date.isoformat() if row.soonest_end_date else None,
            "days_left": row.days_left,
            "subscriptions": row.subscription_count,
        }
        for row in page.rows
    ]
