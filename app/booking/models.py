"""Auto-booking: runs and their coverage report, pending run requests, and the scheduler's job leases.

A run records only what the coordinator may know: how many residents were eligible, how many were placed and
which could not be placed, with the reason. Placements caused by a resident's own action are never runs.
"""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow


class RunKind(enum.StrEnum):
    nightly = "nightly"
    triggered = "triggered"
    replan = "replan"
    manual = "manual"


class AutoBookingRun(Base):
    __tablename__ = "auto_booking_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RunKind] = mapped_column(Enum(RunKind, native_enum=False, length=20, validate_strings=True))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()
    eligible: Mapped[int] = mapped_column(default=0)
    already_booked: Mapped[int] = mapped_column(default=0)
    placed: Mapped[int] = mapped_column(default=0)
    not_placed: Mapped[int] = mapped_column(default=0)

    unplaced: Mapped[list["UnplacedResident"]] = relationship(lazy="raise", cascade="all, delete-orphan")


class UnplacedResident(Base):
    __tablename__ = "unplaced_resident"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("auto_booking_run.id", ondelete="CASCADE"), index=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)


class JobLease(Base):
    """A lease row per scheduled job, so that a second scheduler started by mistake does not run it twice."""

    __tablename__ = "job_lease"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime] = mapped_column()


class BookingRequest(Base):
    """A programme waiting for an auto-booking run soon (after a roster import or a therapist change).

    Web workers write these; the one scheduler process picks them up, so no web worker ever runs the engine.
    """

    __tablename__ = "booking_request"

    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), primary_key=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
