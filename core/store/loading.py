"""Whole customers (every subscription and service) out of the store, as models."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Connection

from core.ingest.assemble import customers_from_rows
from core.models import Customer, Service, Subscription
from core.statuses import ProvisioningStatus, SubscriptionKind, SubscriptionState
from core.store.schema import customers, services, subscriptions

C = customers.c
S = subscriptions.c


def load_customers(connection: Connection, ids: Sequence[str]) -> list[Customer]:
    """Whole customers (every subscription and service), in the order asked."""
    if not ids:
        return []
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


def stream_customers(connection: Connection) -> Iterator[Customer]:
    """Every stored customer, whole, in key order: one streaming read, grouped as
    it goes, so memory stays flat however many customers there are.

    For sources and for the benchmark's baseline (the naive way: everything into
    Python); questions are answered with ``query`` instead.
    """
    statement = (
        select(
            C.pk,
            C.id,
            C.name,
            S.id,
            S.kind,
            S.state,
            S.start_date,
            S.end_date,
            services.c.name,
            services.c.provisioning_status,
        )
        .join(subscriptions, S.customer_pk == C.pk)
        .join(services, services.c.subscription_id == S.id)
        .order_by(C.pk, S.id, services.c.id)
        .execution_options(stream_results=True)
    )
    yield from customers_from_rows(connection.execute(statement))
