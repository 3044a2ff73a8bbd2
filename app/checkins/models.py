"""Check-ins: the only individual-level record of care Tend keeps.

Who, with whom, when, and one status — nothing else (PRODUCT.md → Confidentiality). No notes, no reasons,
not even whether a time was chosen by the resident or by auto-booking. The rest (UID, SEQUENCE, the cadence
period) is calendar and scheduling mechanics. tests/integration/test_confidentiality.py pins the columns.
"""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


class CheckInStatus(enum.StrEnum):
    booked = "booked"
    kept = "kept"
    no_show = "no_show"
    opted_out = "opted_out"
    cancelled = "cancelled"


# Statuses that hold the therapist's time: the database refuses two of these overlapping for one therapist.
TIME_HOLDING = (CheckInStatus.booked, CheckInStatus.kept, CheckInStatus.no_show)
TIME_HOLDING_SQL = "status IN ('booked', 'kept', 'no_show')"


class CheckIn(Base):
    __tablename__ = "checkin"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        Index("ix_checkin_therapist_id_starts_at", "therapist_id", "starts_at"),
        Index("ix_checkin_resident_id_period_start", "resident_id", "period_start"),
        # PostgreSQL: EXCLUDE USING gist (therapist_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE
        # (time-holding); SQLite: triggers. Both are created in the migration (see 0002_checkins).
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(
        String(100), unique=True
    )  # iCalendar UID, stable for the check-in's life
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="RESTRICT"), index=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    therapist_id: Mapped[int] = mapped_column(ForeignKey("therapist.id", ondelete="RESTRICT"))
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    # First day of the cadence period (academic year or part of it) this check-in belongs to.
    period_start: Mapped[date] = mapped_column()
    status: Mapped[CheckInStatus] = mapped_column(
        Enum(CheckInStatus, native_enum=False, length=20, validate_strings=True), default=CheckInStatus.booked
    )
    sequence: Mapped[int] = mapped_column(default=0)  # iCalendar SEQUENCE: rises on every change
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
