"""Fixtures shared by every test package: databases for the store.

PostgreSQL tests read STATUSBOT_TEST_POSTGRES_URL. Locally they skip with a
visible reason when it is unset; under CI (CI=true) a missing URL is a failure,
so the PostgreSQL tests can never silently stop running there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from tests.prerequisites import missing

POSTGRES_ENV = "STATUSBOT_TEST_POSTGRES_URL"


def postgres_base_url() -> str:
    url = os.environ.get(POSTGRES_ENV, "")
    if not url:
        missing(
            f"{POSTGRES_ENV} is not set (the PostgreSQL tests need it); set it to a test database,"
            " e.g. postgresql://postgres@127.0.0.1:5432/test"
        )
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL of a fresh, private schema in the test database, dropped afterwards."""
    base = postgres_base_url()
    schema = f"statusbot_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def named_sessions(url: str) -> tuple[str, str]:
    """``url`` with an ``application_name`` of its own, and that name: the sessions a
    test may end (``end_sessions``) without touching other tests' sessions."""
    name = f"statusbot-test-{uuid.uuid4().hex[:10]}"
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}application_name={name}", name


def end_sessions(name: str) -> int:
    """``pg_terminate_backend`` on every session of that name; how many there were
    (a database restart, as the bot's connections see it)."""
    admin = create_engine(postgres_base_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            return int(
                connection.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        " WHERE application_name = :name"
                    ),
                    {"name": name},
                ).scalar_one()
            )
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Each test that takes this runs once on SQLite (a file) and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'statusbot.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))
