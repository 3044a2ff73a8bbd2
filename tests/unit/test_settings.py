import pytest
from pydantic import ValidationError

from app.config import PLACEHOLDER_SECRET, Settings


def test_placeholder_secret_is_refused_outside_dev_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEND_SECRET_KEY", raising=False)
    monkeypatch.delenv("TEND_DEV_MODE", raising=False)
    with pytest.raises(ValidationError, match="TEND_SECRET_KEY"):
        Settings()
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(secret_key="short")


def test_dev_mode_allows_the_placeholder_and_defaults_to_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEND_DATABASE_URL", raising=False)
    monkeypatch.setenv("TEND_DEV_MODE", "true")
    settings = Settings()
    assert settings.secret_key == PLACEHOLDER_SECRET
    assert settings.database_url == "sqlite:///var/tend.db"
    assert settings.mail_transport == "file"


def test_settings_come_from_tend_prefixed_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEND_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("TEND_DATABASE_URL", "postgresql+psycopg://db/tend")
    monkeypatch.setenv("TEND_K_ANONYMITY", "11")
    settings = Settings()
    assert (settings.database_url, settings.k_anonymity) == ("postgresql+psycopg://db/tend", 11)
