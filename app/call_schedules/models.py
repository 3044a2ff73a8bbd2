"""Resident blackouts: times a resident cannot attend (call, nights, post-call days, vacation)."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


class BlackoutSource(enum.StrEnum):
    amion_csv = "amion_csv"
    ics = "ics"


class Blackout(Base):
    """One blocked span for one resident, in UTC. Re-importing the same schedule adds nothing (unique key)."""

    __tablename__ = "blackout"
    __table_args__ = (
        UniqueConstraint("resident_id", "source", "starts_at", "ends_at"),
        CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"), index=True)
    source: Mapped[BlackoutSource] = mapped_column(
        Enum(BlackoutSource, native_enum=False, length=20, validate_strings=True)
    )
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    label: Mapped[str] = mapped_column(String(100), default="")  # neutral: "call" or "post-call"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
