"""Running Alembic from code: the service, the CLI and the tests all create the schema this way."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at our migrations and at ``database_url``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_to_head(database_url: str) -> None:
    """Bring the database's schema to the newest migration."""
    command.upgrade(alembic_config(database_url), "head")


def head_revision() -> str | None:
    """The newest migration in the code."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return script.get_current_head()


def database_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None if it has none."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
