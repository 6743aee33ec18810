"""The tables. One schema for SQLite and PostgreSQL (made by ``core.dialect.schema``).

Subscriptions carry their most important service's provisioning status and
its rank (computed at import: it never depends on the date), so list queries
never touch the services table.

The subscription status depends on today. It is classified in SQL
(``core.store.sql.status_rank``) once per day and snapshot, into
``subscriptions.status_rank`` and the customer columns that a list shows and
sorts by; ``classification`` records for which day and import that was done.
Every question then reads indexed columns, whatever its size.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

customers = Table(
    "customers",
    metadata,
    # A compact integer key: subscriptions point at it, and probing it is the
    # inner loop of every list. ``id`` is the partner's own, unique, id.
    Column("pk", Integer, primary_key=True, autoincrement=False),
    Column("id", String(200), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    # the name as Webex delivers it, case-folded (core.names.fold): search that works
    # the same in both engines and finds names typed as shown (markdown marks dropped)
    Column("name_folded", String(300), nullable=False),
    Column("subscription_count", Integer, nullable=False),
    # classified (see module docstring): the list line and its sort keys
    Column("provisioning_rank", Integer, nullable=True),
    Column("subscription_rank", Integer, nullable=True),
    Column("soonest_end_date", Date, nullable=True),
    # The list order, covering what a list shows: a list is an index scan.
    Index(
        "ix_customers_list_order",
        "subscription_rank",
        "provisioning_rank",
        "soonest_end_date",
        "name_folded",
        "id",
        "name",
        "subscription_count",
    ),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", String(200), primary_key=True),
    Column(
        "customer_pk",
        Integer,
        ForeignKey("customers.pk", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("kind", String(10), nullable=False),
    Column("state", String(10), nullable=False),
    Column("start_date", Date, nullable=True),
    Column("end_date", Date, nullable=True),
    Column("provisioning_status", String(20), nullable=False),
    Column("provisioning_rank", Integer, nullable=False),
    Column("status_rank", Integer, nullable=True),  # classified
    # Covering indexes: each kind of question is answered from an index alone.
    Index("ix_subscriptions_customer", "customer_pk"),
    Index("ix_subscriptions_end_date", "end_date", "state", "kind", "customer_pk"),
    Index("ix_subscriptions_provisioning", "provisioning_rank", "kind", "customer_pk"),
    Index("ix_subscriptions_status", "status_rank", "kind", "customer_pk"),
)

services = Table(
    "services",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "subscription_id",
        String(200),
        ForeignKey("subscriptions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("name", String(300), nullable=False),
    Column("provisioning_status", String(20), nullable=False),
    Index("ix_services_subscription", "subscription_id"),
)

imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("source", Text, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("today", Date, nullable=False),
    Column("customers", Integer, nullable=False),
    Column("subscriptions", Integer, nullable=False),
    Column("services", Integer, nullable=False),
)

transitions = Table(
    "transitions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("customer_id", String(200), nullable=False),
    Column("customer_name", String(300), nullable=False),
    Column("dimension", String(20), nullable=False),
    Column("old", String(20), nullable=True),
    Column("new", String(20), nullable=True),
    Index("ix_transitions_recorded", "recorded_at"),
)

classification = Table(
    "classification",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1
    Column("today", Date, nullable=True),
    Column("import_id", Integer, nullable=True),
    Column("summary", Text, nullable=True),  # JSON: counts per status on that day
)

store_state = Table(
    "store_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1
    # the core.names.FOLD_VERSION that customers.name_folded holds
    Column("name_fold", Integer, nullable=True),
    # core.dialect.schema.fingerprint of these tables, when they were last made
    # current (the light read path, core.store.reader, compares it with its own)
    Column("schema_fingerprint", String(64), nullable=True),
)
