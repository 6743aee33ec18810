"""The customer store (SQLAlchemy 2: SQLite by default, PostgreSQL to scale out).

``Store`` is imported when first asked for, so ``core.store.reader`` (the light
read path, ``sqlite3`` alone) can be imported without SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.store.store import Store

__all__ = ["Store"]


def __getattr__(name: str) -> Any:
    if name == "Store":
        from core.store.store import Store

        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
