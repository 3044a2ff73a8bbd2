"""Therapists, their weekly availability (local wall time), time off and conflict-of-interest exclusions."""

import enum
from datetime import datetime, time

from sqlalchemy import JSON, CheckConstraint, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow


class TherapistKind(enum.StrEnum):
    volunteer = "volunteer"
    employed = "employed"


class Therapist(Base):
    __tablename__ = "therapist"
    __table_args__ = (
        CheckConstraint("max_per_day >= 1", name="max_per_day_positive"),
        CheckConstraint("max_per_week >= max_per_day", name="week_covers_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    kind: Mapped[TherapistKind] = mapped_column(
        Enum(TherapistKind, native_enum=False, length=20, validate_strings=True)
    )
    time_zone: Mapped[str] = mapped_column(String(64))
    licensed_states: Mapped[list[str]] = mapped_column(JSON, default=list)
    max_per_day: Mapped[int] = mapped_column(default=4)
    max_per_week: Mapped[int] = mapped_column(default=12)
    video_link: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    availability: Mapped[list["AvailabilityWindow"]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="(AvailabilityWindow.weekday, AvailabilityWindow.start)",
    )
    time_off: Mapped[list["TimeOff"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="TimeOff.starts_at"
    )
    exclusions: Mapped[list["TherapistExclusion"]] = relationship(lazy="raise", cascade="all, delete-orphan")


class AvailabilityWindow(Base):
    """A weekly recurring window in the therapist's own time zone (weekday 0 = Monday)."""

    __tablename__ = "availability_window"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint('start < "end"', name="start_before_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    therapist_id: Mapped[int] = mapped_column(ForeignKey("therapist.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column()
    start: Mapped[time] = mapped_column()
    end: Mapped[time] = mapped_column()


class TimeOff(Base):
    __tablename__ = "time_off"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="starts_before_ends"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    therapist_id: Mapped[int] = mapped_column(ForeignKey("therapist.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()


class TherapistExclusion(Base):
    """A programme this therapist must never see (they teach or supervise there)."""

    __tablename__ = "therapist_exclusion"

    therapist_id: Mapped[int] = mapped_column(
        ForeignKey("therapist.id", ondelete="CASCADE"), primary_key=True
    )
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), primary_key=True)
