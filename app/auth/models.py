"""Staff accounts, their API tokens and the audit log of staff access to individual data."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow


class Role(enum.StrEnum):
    admin = "admin"
    coordinator = "coordinator"
    director = "director"
    therapist = "therapist"


class StaffAccount(Base):
    """Someone who works with Tend: an administrator, a programme's coordinator or director, a therapist."""

    __tablename__ = "staff_account"
    __table_args__ = (
        CheckConstraint(
            "(role IN ('coordinator', 'director')) = (program_id IS NOT NULL)",
            name="program_iff_programme_role",
        ),
        CheckConstraint(
            "(role = 'therapist') = (therapist_id IS NOT NULL)", name="therapist_iff_therapist_role"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20, validate_strings=True))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id", ondelete="RESTRICT"), index=True)
    therapist_id: Mapped[int | None] = mapped_column(
        ForeignKey("therapist.id", ondelete="RESTRICT"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    tokens: Mapped[list["ApiToken"]] = relationship(back_populates="staff", lazy="raise")


class ApiToken(Base):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once, when issued."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()

    staff: Mapped[StaffAccount] = relationship(back_populates="tokens", lazy="raise")


class AuditEvent(Base):
    """Staff access to individual data: who, what kind of record, when — never the record's content."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_account.id", ondelete="RESTRICT"), index=True)
    action: Mapped[str] = mapped_column(String(50))
    record_kind: Mapped[str] = mapped_column(String(50))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
