"""Database URLs as the settings take them and the engines open them, without SQLAlchemy
(``bot.settings`` checks ``STATUSBOT_DATABASE_URL`` for every command, ``statusbot ask``
included, which reads a SQLite store with ``sqlite3`` alone)."""

from __future__ import annotations


def is_sqlite_url(url: str) -> bool:
    return url.startswith("sqlite")


def database_url(value: str) -> str:
    """A database URL as the engines take it: ``sqlite:…``, or PostgreSQL with the
    psycopg 3 driver we ship (SQLAlchemy's default for ``postgresql://`` would be
    psycopg2; ``postgres://`` is what many hosts hand out). ValueError otherwise."""
    scheme, separator, rest = value.partition("://")
    if value.startswith("sqlite:"):
        return value
    if separator and scheme in ("postgresql", "postgres"):
        return "postgresql+psycopg://" + rest
    if separator and scheme.startswith("postgresql+"):
        return value
    raise ValueError("not a sqlite: or postgresql URL")
