"""Test harness: a real database per test worker, built by the Alembic migrations.

TEND_TEST_DATABASE_URL selects the database server: unset means a SQLite file per worker; a PostgreSQL URL
(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) means one fresh database per worker on that server.
Each test starts from empty tables.
"""

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import Base, make_engine
from app.main import create_app
from app.migrate import upgrade_to_head


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = os.environ.get("TEND_TEST_DATABASE_URL", "")
    if not server:
        path = tmp_path_factory.mktemp("db") / "tend.db"
        url = f"sqlite:///{path}"
        upgrade_to_head(url)
        yield url
        return
    name = f"tend_test_{_worker()}_{secrets.token_hex(3)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade_to_head(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def dialect(engine: Engine) -> str:
    return engine.dialect.name


@pytest.fixture(autouse=False)
def clean_tables(engine: Engine) -> Iterator[None]:
    yield
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        dev_mode=True,
        secret_key="test-secret-" + "x" * 40,
        mail_dir=tmp_path / "mail",
    )


@pytest.fixture
def app(settings: Settings, clean_tables: None) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def session_factory(app: FastAPI) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = app.state.session_factory
    return factory


@pytest.fixture
def db(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for arranging and inspecting data directly. Factories commit what they create."""
    session = session_factory()
    yield session
    session.close()
