"""A database imported before names were folded as Webex delivers them is
folded again when it is opened, once."""

from __future__ import annotations

from sqlalchemy import select, update

from core.query import Query
from core.store import Store
from core.store.schema import customers, store_state
from tests.core.builders import TODAY, customer, snapshot
from tests.hostile_data import ACME, BACKTICK, HOSTILE_NAMES


def test_names_folded_the_old_way_are_found_after_opening(database_url: str) -> None:
    store = Store.open(database_url)
    people = [customer(f"hostile-{n}", name) for n, name in enumerate(HOSTILE_NAMES, 1)]
    store.import_snapshot(snapshot(*people), today=TODAY, source="before")
    # as a database imported before the fold dropped markdown marks: plain case
    # folding, and no record of which fold the names hold
    with store.engine.begin() as connection:
        for pk, name in connection.execute(select(customers.c.pk, customers.c.name)).all():
            connection.execute(
                update(customers)
                .where(customers.c.pk == pk)
                .values(name_folded=" ".join(name.casefold().split()))
            )
        store_state.drop(connection)
    assert store.query(Query(name="Acme *Bold*"), TODAY).total == 0  # the old folding
    store.close()

    store = Store.open(database_url)
    try:
        found = store.query(Query(name="Acme *Bold*"), TODAY).rows
        assert [row.name for row in found] == [ACME]
        assert [row.name for row in store.query(Query(name="Back`tick`"), TODAY).rows] == [BACKTICK]
        # once: the next opening trusts the recorded fold and rewrites nothing
        with store.engine.begin() as connection:
            connection.execute(
                update(customers)
                .where(customers.c.id == "hostile-1")
                .values(name_folded="left alone")
            )
    finally:
        store.close()
    store = Store.open(database_url)
    try:
        assert store.query(Query(name="left alone"), TODAY).total == 1
    finally:
        store.close()
