"""The customer store (SQLAlchemy 2: SQLite by default, PostgreSQL to scale out)."""

from core.store.store import Store

__all__ = ["Store"]
