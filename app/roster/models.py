"""Residents: the people on a programme's roster."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


class Resident(Base):
    """A resident physician on one programme's roster.

    A resident absent from a ``replace`` upload is deactivated, not deleted: their identity is needed to
    cancel what they hold, and erasure after a grace period is a separate, deliberate step.
    """

    __tablename__ = "resident"
    __table_args__ = (
        UniqueConstraint("program_id", "email"),
        UniqueConstraint("program_id", "external_id"),
        CheckConstraint("pgy BETWEEN 1 AND 8", name="pgy_range"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="RESTRICT"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    pgy: Mapped[int] = mapped_column()
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[date | None] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)
    deactivated_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
