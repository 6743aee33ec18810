"""Everything that differs between SQLite and PostgreSQL, in one place.

The rest of the bot writes SQLAlchemy Core (or, for the store's questions, SQL
text) that both databases run alike, and asks this package whenever they do not:

* ``urls``: database URLs (``postgres://`` as psycopg 3's), without SQLAlchemy.
* ``engines``: every engine the bot opens (the store's, the inbox's, the
  readiness probe's) with each backend's settings: SQLite's pragmas and its
  ``BEGIN IMMEDIATE`` for claims, PostgreSQL's application name; statement
  parameters hidden from every error's text (customer data is confidential).
* ``statements``: upserts, row locks, table locks, bulk inserts (COPY on
  PostgreSQL), a scratch SQLite file attached for a copy, SQL text run with its
  parameters bound as each driver takes them.
* ``text``: the store's questions are SQL text (``core.store.sql``); the parts
  each backend writes its own way (JSON built by the database, date arithmetic,
  LIKE's escape, paging) as text too, for a dialect named ``"sqlite"`` or
  ``"postgresql"``, without SQLAlchemy.
* ``schema``: tables created once when several processes start together, and
  the columns and indexes added since an older release, added to its database.
* ``leadership``: one scheduler at a time (an advisory lock on PostgreSQL, a
  file lock beside a SQLite file).

A grep for ``dialect.name``, ``sqlite`` or ``postgresql`` outside this package
finds settings, documentation and the snapshot's own scratch SQLite file
(``core.ingest.staging``), never a branch on the backend.
"""


class SchemaError(Exception):
    """The database's tables cannot be brought up to this release without a
    migration; ``str()`` is the one line to print. (Here, not in ``schema``, so
    the command line can catch it without importing SQLAlchemy.)"""
