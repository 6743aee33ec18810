"""The customer store (SQLAlchemy 2: SQLite by default, PostgreSQL to scale out)."""

from core.store.store import Store, create_store_engine

__all__ = ["Store", "create_store_engine"]
