"""The light read path (``core.store.reader``): the store's answers, read with
``sqlite3`` alone, and the full store whenever something must be written first."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.engine import make_url

from core.dialect.schema import fingerprint
from core.dialect.sqlite_files import sqlite_file
from core.query import NEEDING_ATTENTION, Query
from core.statuses import ProvisioningStatus, SubscriptionStatus
from core.store import Store
from core.store.reader import SCHEMA, open_for_reading
from core.store.schema import metadata, store_state
from tests.core.builders import TODAY, customer, snapshot, sub

FAILED = Query(provisioning=frozenset({ProvisioningStatus.FAILED}))
ACTIVE = Query(subscription=frozenset({SubscriptionStatus.ACTIVE}))
QUESTIONS = [FAILED, ACTIVE, NEEDING_ATTENTION, Query(name="acme"), Query(expiring_within_days=30)]


def _imported(url: str) -> Store:
    store = Store.open(url)
    store.import_snapshot(
        snapshot(
            customer("c1", "Acme 50%_off", sub("c1-s1", provisioning="failed")),
            customer("c2", "Globex", sub("c2-s1", left=10), sub("c2-s2", state="suspended")),
            customer("c3", "Åre AB", sub("c3-s1", "trial", left=-3)),
        ),
        today=TODAY,
        source="test",
    )
    return store


def test_the_reader_knows_the_tables_it_reads() -> None:
    assert fingerprint(metadata) == SCHEMA, (
        "core/store/schema.py changed: set core.store.reader.SCHEMA to"
        f" {fingerprint(metadata)!r} once the reader's SQL reads the tables as they are now"
    )


def test_a_current_sqlite_store_is_read_without_sqlalchemy(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    store = _imported(url)
    expected: list[tuple[object, ...]] = [
        store.query_json(question, TODAY) for question in QUESTIONS
    ]
    page = store.query(QUESTIONS[1], TODAY, offset=1, limit=1)
    expected.append((page.total, [row.id for row in page.rows]))
    summary = store.summary(TODAY)
    expected.append((summary.total, summary.needing_attention))
    store.close()
    questions = [question.model_dump_json() for question in QUESTIONS]
    program = (
        "import json, sys\n"
        "from datetime import date\n"
        "from core.query import Query\n"
        "from core.store.reader import open_for_reading\n"
        f"reader = open_for_reading({url!r})\n"
        "found = reader.last_import() is not None\n"
        f"today = date.fromisoformat({TODAY.isoformat()!r})\n"
        f"questions = [Query.model_validate_json(q) for q in {questions!r}]\n"
        "answers = [reader.query_json(question, today) for question in questions]\n"
        "page = reader.query(questions[1], today, offset=1, limit=1)\n"
        "answers.append([page.total, [row.id for row in page.rows]])\n"
        "answers.append([reader.summary(today).total, reader.summary(today).needing_attention])\n"
        "print(json.dumps([reader.light, found, answers,"
        " sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy')]))\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    light, found, answers, loaded = json.loads(ran.stdout)
    assert (light, found, loaded) == (True, True, [])
    assert [tuple(answer) for answer in answers] == expected


def test_the_last_import_reads_as_the_store_gives_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    store = _imported(url)
    reader = open_for_reading(url)
    try:
        assert reader.light
        assert reader.last_import() == store.last_import()
    finally:
        reader.close()
        store.close()


def test_a_day_not_classified_yet_is_classified_by_the_full_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    store = _imported(url)
    later = TODAY + timedelta(days=20)
    expected = store.query_json(ACTIVE, later)  # classifies for the later day
    store.classify(TODAY)
    store.close()
    reader = open_for_reading(url)
    try:
        assert reader.light
        assert reader.query_json(ACTIVE, later) == expected
        assert not reader.light  # the full store classified it
    finally:
        reader.close()
    reader = open_for_reading(url)
    try:
        assert reader.query_json(ACTIVE, later) == expected
        assert reader.light  # now classified for that day
    finally:
        reader.close()


def test_tables_an_older_release_made_are_brought_up_by_the_full_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    store = _imported(url)
    expected = store.query_json(FAILED, TODAY)
    with store.engine.begin() as connection:
        connection.execute(update(store_state).values(schema_fingerprint="older"))
    store.close()
    reader = open_for_reading(url)
    try:
        assert not reader.light
        assert reader.query_json(FAILED, TODAY) == expected
    finally:
        reader.close()
    reader = open_for_reading(url)  # the full store marked the tables current
    try:
        assert reader.light
        assert reader.query_json(FAILED, TODAY) == expected
    finally:
        reader.close()


def test_no_file_no_memory_and_postgresql_go_to_the_full_store(
    tmp_path: Path, database_url: str
) -> None:
    missing = open_for_reading(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    try:
        assert not missing.light
        assert missing.last_import() is None  # the full store made the file
    finally:
        missing.close()
    memory = open_for_reading("sqlite://")
    try:
        assert not memory.light and memory.last_import() is None
    finally:
        memory.close()
    store = _imported(database_url)
    reader = open_for_reading(database_url)
    try:
        assert reader.light == database_url.startswith("sqlite")
        for question in QUESTIONS:
            assert reader.query_json(question, TODAY) == store.query_json(question, TODAY)
        assert reader.summary(TODAY) == store.summary(TODAY)
        assert reader.query(FAILED, TODAY) == store.query(FAILED, TODAY)
    finally:
        reader.close()
        store.close()


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///relative/store.sqlite3",
        "sqlite:////absolute/store.sqlite3",
        "sqlite+pysqlite:///with%20space.sqlite3?timeout=5",
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///file:store?mode=memory&uri=true",
    ],
)
def test_sqlite_files_are_found_in_urls_as_sqlalchemy_reads_them(url: str) -> None:
    database = make_url(url).database
    in_memory = not database or database == ":memory:" or database.startswith("file:")
    assert sqlite_file(url) == (None if in_memory else Path(database or "").resolve())
