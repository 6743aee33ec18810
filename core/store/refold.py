"""Stored names folded as ``core.names.fold`` folds them now.

A database imported under an older ``fold`` (before markdown marks were
dropped, ``customers.name_folded`` held the plain case-folded name) would not
find "customer Acme *Bold*" until its next changed import. Opening the store
folds its names again, once: ``store_state.name_fold`` records which fold they
hold.
"""

from __future__ import annotations

from sqlalchemy import Engine, bindparam, select, update

from core.dialect.statements import upsert
from core.names import FOLD_VERSION, fold
from core.store.schema import customers, store_state

C = customers.c


def refold_names(engine: Engine) -> int:
    """Fold the stored names again unless they hold ``FOLD_VERSION``'s fold;
    how many changed. Safe when several processes open the store at once: each
    writes the same folds."""
    with engine.connect() as connection:
        version = connection.execute(
            select(store_state.c.name_fold).where(store_state.c.id == 1)
        ).scalar()
    if version == FOLD_VERSION:
        return 0
    with engine.begin() as connection:
        changed = [
            {"key": pk, "folded": fold(name)}
            for pk, name, folded in connection.execute(select(C.pk, C.name, C.name_folded))
            if fold(name) != folded
        ]
        if changed:
            connection.execute(
                update(customers)
                .where(C.pk == bindparam("key"))
                .values(name_folded=bindparam("folded")),
                changed,
            )
        statement = upsert(connection, store_state).values(id=1, name_fold=FOLD_VERSION)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[store_state.c.id], set_={"name_fold": FOLD_VERSION}
            )
        )
    return len(changed)
