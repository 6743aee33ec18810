"""The store: customers in SQL, imported as whole snapshots, queried in SQL.

SQLite (a file, the default) on one machine, PostgreSQL with the same code when
the bot grows past one. Lists, counts and summaries are computed by the
database with indexes; Python only ever sees the page it shows.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import (
    Engine,
    Integer,
    Text,
    and_,
    case,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import Connection

from core.classify import subscription_status
from core.models import Customer, Service, Subscription
from core.query import Query
from core.results import CustomerPage, CustomerRow, ImportResult, Summary, Transition
from core.snapshot import Snapshot
from core.statuses import (
    ProvisioningStatus,
    SubscriptionKind,
    SubscriptionState,
    SubscriptionStatus,
)
from core.store import sql
from core.store.schema import (
    classification,
    customers,
    imports,
    metadata,
    services,
    subscriptions,
    transitions,
)

C = customers.c
S = subscriptions.c
_PROVISIONING_BY_RANK = {status.rank: status for status in ProvisioningStatus}
_SUBSCRIPTION_BY_RANK = {status.rank: status for status in SubscriptionStatus}
_BATCH = 5000
#: Stands for "no end date to come" in the sort column, so that it sorts last
#: in both engines and the list-order index serves the ORDER BY.
NO_END_DATE = date(9999, 12, 31)
LIST_ORDER = (C.subscription_rank, C.provisioning_rank, C.soonest_end_date, C.name_folded, C.id)


def create_store_engine(url: str) -> Engine:
    """An engine with the settings each backend needs for concurrent use."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


class Store:
    """Customer snapshots and the questions asked of them."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._classify_lock = threading.Lock()

    @classmethod
    def open(cls, url: str) -> Store:
        store = cls(create_store_engine(url))
        store.create_schema()
        return store

    def create_schema(self) -> None:
        metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # -- questions -------------------------------------------------------------

    def query(
        self, query: Query, today: date, *, offset: int = 0, limit: int | None = None
    ) -> CustomerPage:
        """The customers matching ``query``, in list order: most important first,
        then soonest end date, then name."""
        self.classify(today)
        statement = (
            select(
                C.id,
                C.name,
                C.provisioning_rank,
                C.subscription_rank,
                C.soonest_end_date,
                C.subscription_count,
            )
            .where(self._customer_filter(query, today))
            .order_by(*LIST_ORDER)
            .offset(offset)
        )
        if limit is not None:
            statement = statement.limit(limit)
        with self.engine.connect() as connection:
            rows = tuple([_row(row, today) for row in connection.execute(statement).all()])
            everything = offset == 0 and limit is None
            total = len(rows) if everything else self._count(connection, query, today)
        return CustomerPage(total=total, offset=offset, rows=rows)

    def query_json(self, query: Query, today: date) -> tuple[int, str]:
        """Every match as a JSON array text, built by the database, in list order.

        The machine-readable answer (``statusbot ask --json``) lists every
        match; at tens of thousands of customers, building that text row by
        row in Python costs more than finding them. Each object holds ``id``,
        ``name``, ``provisioning_status`` and ``subscription_status`` (keys),
        ``soonest_end_date`` and ``days_left`` (null when none) and
        ``subscriptions``, as ``CustomerRow`` does.
        """
        self.classify(today)
        where = self._customer_filter(query, today)
        soonest = case((C.soonest_end_date == NO_END_DATE, None), else_=C.soonest_end_date)
        provisioning_key = case(
            {status.rank: status.value for status in ProvisioningStatus},
            value=C.provisioning_rank,
        )
        subscription_key = case(
            {status.rank: status.value for status in SubscriptionStatus},
            value=C.subscription_rank,
        )
        postgres = self.engine.dialect.name == "postgresql"
        if postgres:
            days_left = soonest - today
            make_object = func.json_build_object
        else:
            days_left = func.cast(
                func.julianday(soonest) - func.julianday(today.isoformat()), Integer
            )
            make_object = func.json_object
        item = make_object(
            "id", C.id,
            "name", C.name,
            "provisioning_status", provisioning_key,
            "subscription_status", subscription_key,
            "soonest_end_date", soonest,
            "days_left", days_left,
            "subscriptions", C.subscription_count,
        )  # fmt: skip
        if postgres:
            statement = select(
                func.count(),
                func.coalesce(
                    func.json_agg(aggregate_order_by(item, *LIST_ORDER)).cast(Text), "[]"
                ),
            ).where(where)
        else:
            # SQLite < 3.44 has no ORDER BY inside an aggregate; it aggregates
            # the rows of an ordered subquery in that order (a test checks).
            ordered = select(item.label("item")).where(where).order_by(*LIST_ORDER).subquery()
            statement = select(func.count(), func.json_group_array(func.json(ordered.c.item)))
        with self.engine.connect() as connection:
            total, text_ = connection.execute(statement).one()
        return int(total), str(text_)

    def count(self, query: Query, today: date) -> int:
        self.classify(today)
        with self.engine.connect() as connection:
            return self._count(connection, query, today)

    def customer(self, customer_id: str) -> Customer | None:
        found = self.customers_by_id([customer_id])
        return found[0] if found else None

    def customers_by_id(self, ids: Sequence[str]) -> list[Customer]:
        """Whole customers (every subscription and service), in the order asked."""
        if not ids:
            return []
        with self.engine.connect() as connection:
            names = dict(connection.execute(select(C.id, C.name).where(C.id.in_(ids))).all())
            subscription_rows = connection.execute(
                select(S.id, C.id.label("customer_id"), S.kind, S.state, S.start_date, S.end_date)
                .join(customers, C.pk == S.customer_pk)
                .where(C.id.in_(ids))
                .order_by(S.end_date.nulls_last(), S.id)
            ).all()
            service_rows = connection.execute(
                select(
                    services.c.subscription_id,
                    services.c.name,
                    services.c.provisioning_status,
                )
                .join(subscriptions, S.id == services.c.subscription_id)
                .join(customers, C.pk == S.customer_pk)
                .where(C.id.in_(ids))
                .order_by(services.c.id)
            ).all()
        services_of: dict[str, list[Service]] = {}
        for subscription_id, name, status in service_rows:
            services_of.setdefault(subscription_id, []).append(
                Service.model_construct(name=name, provisioning_status=ProvisioningStatus(status))
            )
        subscriptions_of: dict[str, list[Subscription]] = {}
        for row in subscription_rows:
            subscriptions_of.setdefault(row.customer_id, []).append(
                Subscription.model_construct(
                    id=row.id,
                    kind=SubscriptionKind(row.kind),
                    state=SubscriptionState(row.state),
                    start_date=row.start_date,
                    end_date=row.end_date,
                    services=services_of.get(row.id, []),
                )
            )
        return [
            Customer.model_construct(id=id_, name=names[id_], subscriptions=subscriptions_of[id_])
            for id_ in ids
            if id_ in names
        ]

    def iter_customers(self, query: Query, today: date) -> Iterator[Customer]:
        """Every matching customer, whole, in list order, a batch at a time."""
        ids = [row.id for row in self.query(query, today).rows]
        for start in range(0, len(ids), _BATCH):
            yield from self.customers_by_id(ids[start : start + _BATCH])

    def all_customers(self) -> Iterator[Customer]:
        """Every stored customer, whole, in id order: three streaming reads, one pass.

        For sources and for the benchmark's baseline (the naive way: everything into
        Python); questions are answered with ``query`` instead.
        """
        with self.engine.connect() as connection:
            customers_rows = connection.execution_options(stream_results=True).execute(
                select(C.pk, C.id, C.name).order_by(C.pk)
            )
            subscription_rows = (
                connection.execution_options(stream_results=True)
                .execute(
                    select(S.customer_pk, S.id, S.kind, S.state, S.start_date, S.end_date).order_by(
                        S.customer_pk, S.id
                    )
                )
                .all()
            )
            service_rows = connection.execute(
                select(services.c.subscription_id, services.c.name, services.c.provisioning_status)
            ).all()
            services_of: dict[str, list[Service]] = {}
            for subscription_id, name, status in service_rows:
                services_of.setdefault(subscription_id, []).append(
                    Service.model_construct(
                        name=name, provisioning_status=ProvisioningStatus(status)
                    )
                )
            subscriptions_of: dict[int, list[Subscription]] = {}
            for pk, id_, kind, state, start, end in subscription_rows:
                subscriptions_of.setdefault(pk, []).append(
                    Subscription.model_construct(
                        id=id_,
                        kind=SubscriptionKind(kind),
                        state=SubscriptionState(state),
                        start_date=start,
                        end_date=end,
                        services=services_of.get(id_, []),
                    )
                )
            for pk, id_, name in customers_rows:
                yield Customer.model_construct(
                    id=id_, name=name, subscriptions=subscriptions_of.get(pk, [])
                )

    def summary(self, today: date) -> Summary:
        """Customers per status, with the same meaning as a filter on that status
        (counted when the store is classified for the day)."""
        self.classify(today)
        with self.engine.connect() as connection:
            stored = connection.execute(select(classification.c.summary)).scalar()
        counts = json.loads(stored or "{}")
        return Summary(
            total=counts.get("total", 0),
            provisioning={
                status: counts.get("provisioning", {}).get(str(status.rank), 0)
                for status in ProvisioningStatus
            },
            subscription={
                status: counts.get("subscription", {}).get(str(status.rank), 0)
                for status in SubscriptionStatus
            },
            needing_attention=counts.get("needing_attention", 0),
        )

    # -- classification ----------------------------------------------------------

    def classify(self, today: date) -> None:
        """Make sure the classified columns hold ``today``'s statuses.

        Cheap when they already do (one small SELECT). Otherwise the statuses
        are worked out again in SQL, in one transaction: once a day, and after
        each import.
        """
        if self._is_classified(today):
            return
        with self._classify_lock:  # one thread of this process does it; the others wait
            if self._is_classified(today):
                return
            with self.engine.begin() as connection:
                self._classify(connection, today)

    def _is_classified(self, today: date) -> bool:
        latest = select(func.max(imports.c.id)).scalar_subquery()
        with self.engine.connect() as connection:
            row = connection.execute(
                select(classification.c.today, classification.c.import_id, latest)
            ).first()
        return row is not None and row[0] == today and row[1] == row[2]

    def _classify(self, connection: Connection, today: date) -> None:
        # Write first: on SQLite, two transactions that each read and then write
        # deadlock each other (another process may be classifying too).
        connection.execute(update(subscriptions).values(status_rank=sql.status_rank(today)))
        import_id = connection.execute(select(func.max(imports.c.id))).scalar()
        per_customer = (
            select(
                S.customer_pk,
                func.min(S.provisioning_rank).label("provisioning_rank"),
                func.min(S.status_rank).label("subscription_rank"),
                func.min(sql.soonest_end(today)).label("soonest_end_date"),
            )
            .group_by(S.customer_pk)
            .subquery()
        )
        connection.execute(
            update(customers)
            .values(
                provisioning_rank=per_customer.c.provisioning_rank,
                subscription_rank=per_customer.c.subscription_rank,
                soonest_end_date=func.coalesce(per_customer.c.soonest_end_date, NO_END_DATE),
            )
            .where(C.pk == per_customer.c.customer_pk)
        )
        distinct_customers = func.count(S.customer_pk.distinct())
        summary = {
            "total": connection.execute(select(func.count()).select_from(customers)).scalar_one(),
            "provisioning": {
                str(rank): count
                for rank, count in connection.execute(
                    select(S.provisioning_rank, distinct_customers).group_by(S.provisioning_rank)
                )
            },
            "subscription": {
                str(rank): count
                for rank, count in connection.execute(
                    select(S.status_rank, distinct_customers).group_by(S.status_rank)
                )
            },
            "needing_attention": self._count(connection, Query(needing_attention=True), today),
        }
        connection.execute(delete(classification))
        connection.execute(
            insert(classification).values(
                id=1, today=today, import_id=import_id, summary=json.dumps(summary)
            )
        )

    def transitions(self, *, after_id: int = 0, limit: int = 1000) -> list[tuple[int, Transition]]:
        """Recorded status changes with their ids, oldest first."""
        t = transitions.c
        statement = select(transitions).where(t.id > after_id).order_by(t.id).limit(limit)
        with self.engine.connect() as connection:
            return [
                (
                    row.id,
                    Transition(
                        customer_id=row.customer_id,
                        customer_name=row.customer_name,
                        dimension=row.dimension,
                        old=row.old,
                        new=row.new,
                        recorded_at=_aware(row.recorded_at),
                    ),
                )
                for row in connection.execute(statement)
            ]

    def last_import(self) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            row = (
                connection.execute(select(imports).order_by(imports.c.id.desc()).limit(1))
                .mappings()
                .first()
            )
        return dict(row) if row else None

    def _customer_filter(self, query: Query, today: date) -> Any:
        conditions = []
        if query.name is not None:
            conditions.append(
                or_(
                    C.name_folded.like(sql.like_pattern(query.name.casefold()), escape="\\"),
                    C.id == query.name,
                )
            )
        if query.model_copy(update={"name": None}) != Query():
            by_customer = sql.customer_level_filter(query)
            if by_customer is not None:
                conditions.append(by_customer)
            else:
                matching = select(S.customer_pk).where(sql.subscription_filter(query, today))
                conditions.append(C.pk.in_(matching))
        return and_(true(), *conditions)

    def _count(self, connection: Connection, query: Query, today: date) -> int:
        statement = (
            select(func.count()).select_from(customers).where(self._customer_filter(query, today))
        )
        return int(connection.execute(statement).scalar_one())

    # -- snapshots ---------------------------------------------------------------

    def import_snapshot(
        self,
        snapshot: Snapshot,
        *,
        today: date,
        source: str,
        now: datetime | None = None,
    ) -> ImportResult:
        """Replace the stored customers with ``snapshot``, in one transaction.

        Transitions compare each customer's list statuses under the old and
        the new snapshot on the same ``today``, so only changes of the data
        count (not the passing of time). The first import is the baseline and
        records none. A snapshot identical to the last one writes nothing.
        """
        recorded_at = now or datetime.now(UTC)
        provisioning_of = snapshot.subscription_provisioning()
        unchanged = ImportResult(
            customers=len(snapshot.customers),
            subscriptions=len(snapshot.subscriptions),
            services=len(snapshot.services),
            added=0,
            removed=0,
            unchanged=True,
        )
        with self.engine.begin() as connection:
            last = connection.execute(
                select(imports.c.digest).order_by(imports.c.id.desc()).limit(1)
            ).scalar()
            if last == snapshot.digest:
                return unchanged
            old = self._list_statuses(connection, today)
            new = _snapshot_statuses(snapshot, provisioning_of, today)
            gone = sorted(old.keys() - new.keys())
            names = dict(snapshot.customers)
            for batch in _batches(gone, _BATCH):
                names.update(connection.execute(select(C.id, C.name).where(C.id.in_(batch))).all())
            connection.execute(delete(services))
            connection.execute(delete(subscriptions))
            connection.execute(delete(customers))
            self._insert_snapshot(connection, snapshot, provisioning_of)
            import_id = connection.execute(
                insert(imports).returning(imports.c.id),
                dict(
                    imported_at=recorded_at,
                    source=source[:2000],
                    digest=snapshot.digest,
                    today=today,
                    customers=unchanged.customers,
                    subscriptions=unchanged.subscriptions,
                    services=unchanged.services,
                ),
            ).scalar_one()
            # classified before commit: no reader ever sees rows without statuses
            self._classify(connection, today)
            changes = _changes(old, new, names, recorded_at) if last is not None else []
            for batch in _batches(changes, _BATCH):
                connection.execute(
                    insert(transitions),
                    [
                        dict(
                            import_id=import_id,
                            recorded_at=change.recorded_at,
                            customer_id=change.customer_id,
                            customer_name=change.customer_name,
                            dimension=change.dimension,
                            old=change.old,
                            new=change.new,
                        )
                        for change in batch
                    ],
                )
        self._analyze()
        added = len(new.keys() - old.keys()) if last is not None else len(new)
        removed = len(old.keys() - new.keys())
        return replace(
            unchanged, added=added, removed=removed, transitions=tuple(changes), unchanged=False
        )

    def _analyze(self) -> None:
        """Fresh planner statistics: a snapshot can change the data wholesale."""
        with self.engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()

    def _insert_snapshot(
        self,
        connection: Connection,
        snapshot: Snapshot,
        provisioning_of: dict[str, ProvisioningStatus],
    ) -> None:
        subscription_count: dict[str, int] = {}
        for customer_id, *_ in snapshot.subscriptions.values():
            subscription_count[customer_id] = subscription_count.get(customer_id, 0) + 1
        pk_of = {id_: pk for pk, id_ in enumerate(snapshot.customers, start=1)}
        customer_rows = (
            {
                "pk": pk_of[id_],
                "id": id_,
                "name": name,
                "name_folded": name.casefold(),
                "subscription_count": subscription_count[id_],
            }
            for id_, name in snapshot.customers.items()
        )
        subscription_rows = (
            {
                "id": id_,
                "customer_pk": pk_of[customer_id],
                "kind": kind.value,
                "state": state.value,
                "start_date": start,
                "end_date": end,
                "provisioning_status": provisioning_of[id_].value,
                "provisioning_rank": provisioning_of[id_].rank,
            }
            for id_, (customer_id, kind, state, start, end) in snapshot.subscriptions.items()
        )
        service_rows = (
            {"subscription_id": sub_id, "name": name, "provisioning_status": status.value}
            for sub_id, name, status in snapshot.services
        )
        for table, rows in (
            (customers, customer_rows),
            (subscriptions, subscription_rows),
            (services, service_rows),
        ):
            for batch in _batches(rows, _BATCH):
                connection.execute(insert(table), batch)

    def _list_statuses(self, connection: Connection, today: date) -> dict[str, tuple[int, int]]:
        """Each stored customer's (provisioning rank, subscription rank) at ``today``."""
        statement = (
            select(C.id, func.min(S.provisioning_rank), func.min(sql.status_rank(today)))
            .select_from(subscriptions)
            .join(customers, C.pk == S.customer_pk)
            .group_by(C.id)
        )
        return {
            customer_id: (provisioning, subscription)
            for customer_id, provisioning, subscription in connection.execute(statement)
        }


def _row(row: Any, today: date) -> CustomerRow:
    id_, name, provisioning_rank, subscription_rank, soonest, subscription_count = row
    if soonest == NO_END_DATE:
        soonest = None
    return CustomerRow(
        id_,
        name,
        _PROVISIONING_BY_RANK[provisioning_rank],
        _SUBSCRIPTION_BY_RANK[subscription_rank],
        soonest,
        None if soonest is None else (soonest - today).days,
        subscription_count,
    )


def _snapshot_statuses(
    snapshot: Snapshot, provisioning_of: dict[str, ProvisioningStatus], today: date
) -> dict[str, tuple[int, int]]:
    best: dict[str, tuple[int, int]] = {}
    for sub_id, (customer_id, kind, state, _start, end) in snapshot.subscriptions.items():
        provisioning = provisioning_of[sub_id].rank
        status = subscription_status(kind, state, end, today).rank
        current = best.get(customer_id)
        if current is None:
            best[customer_id] = (provisioning, status)
        else:
            best[customer_id] = (min(current[0], provisioning), min(current[1], status))
    return best


def _changes(
    old: dict[str, tuple[int, int]],
    new: dict[str, tuple[int, int]],
    names: dict[str, str],
    recorded_at: datetime,
) -> list[Transition]:
    changes: list[Transition] = []
    for customer_id in sorted(old.keys() | new.keys()):
        before, after = old.get(customer_id), new.get(customer_id)
        if before == after:
            continue
        name = names.get(customer_id, customer_id)
        for dimension, index, by_rank in (
            ("provisioning", 0, _PROVISIONING_BY_RANK),
            ("subscription", 1, _SUBSCRIPTION_BY_RANK),
        ):
            old_key = by_rank[before[index]].value if before else None
            new_key = by_rank[after[index]].value if after else None
            if old_key != new_key:
                changes.append(
                    Transition(customer_id, name, dimension, old_key, new_key, recorded_at)
                )
    return changes


def _batches(rows: Any, size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
