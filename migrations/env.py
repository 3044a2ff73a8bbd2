"""Alembic environment: the one way Tend's schema is created, on SQLite and PostgreSQL alike."""

from alembic import context
from sqlalchemy import Connection, text

import app.models  # noqa: F401 - registers every table on Base.metadata
from app.config import get_settings
from app.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


# Any constant: replicas that start together and all run `tend migrate` take turns on this lock.
_MIGRATION_LOCK = 0x7E4D_0000


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table, the same script runs on both.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK})
            conn.commit()
        try:
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATION_LOCK})
                conn.commit()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_migrations_online()
