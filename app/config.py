"""The service's one source of configuration: environment variables prefixed ``TEND_``."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me"  # noqa: S105 - the placeholder we refuse outside dev mode


class Settings(BaseSettings):
    """Every setting of the service. The README lists them with their variables and defaults."""

    model_config = SettingsConfigDict(env_prefix="TEND_", env_file=None, extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/tend.db",
        description="SQLAlchemy URL: SQLite under var/ by default; postgresql+psycopg://… in production.",
    )
    secret_key: str = Field(
        default=PLACEHOLDER_SECRET,
        description="Signs residents' links. Must be set to a long random value unless dev mode is on.",
    )
    dev_mode: bool = Field(default=False, description="Development/demo mode: allows the placeholder secret.")
    base_url: str = Field(default="http://127.0.0.1:8000", description="Public URL used in emails and links.")
    institution_name: str = Field(default="Tend", description="Shown in emails and pages.")
    mail_transport: Literal["file", "smtp"] = Field(default="file", description="'file' writes .eml files.")
    mail_dir: Path = Field(default=Path("var/mail"), description="Where the file transport writes mail.")
    mail_from: str = Field(default="wellness@tend.example.org", description="Organizer and From address.")
    smtp_host: str = Field(default="localhost")
    smtp_port: int = Field(default=25)
    smtp_username: str | None = Field(default=None)
    smtp_password: str | None = Field(default=None)
    smtp_starttls: bool = Field(default=False)
    k_anonymity: int = Field(default=5, ge=2, description="Smallest count ever shown in an aggregate.")
    retention_days: int = Field(default=30, ge=1, description="Days before a final check-in is folded away.")
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, description="Largest accepted upload.")
    max_roster_rows: int = Field(default=20_000, ge=1, description="Most rows in one roster upload.")
    log_level: str = Field(default="INFO")
    nightly_booking_hour_utc: int = Field(
        default=7,
        ge=0,
        le=23,
        description="Hour (UTC) of the nightly auto-booking run; 7 is 2–3 a.m. Eastern.",
    )
    booking_delay_seconds: int = Field(
        default=30,
        ge=0,
        description="Quiet time after a roster or therapist change before auto-booking runs.",
    )

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> "Settings":
        if not self.dev_mode and (self.secret_key == PLACEHOLDER_SECRET or len(self.secret_key) < 32):
            raise ValueError(
                "TEND_SECRET_KEY must be set to a random value of at least 32 characters "
                "(or set TEND_DEV_MODE=true for a local demo)"
            )
        return self


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
