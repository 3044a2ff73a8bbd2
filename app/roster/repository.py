"""Queries for residents. Bulk writes go through Core-style executemany: an import is thousands of rows."""

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.programs.models import Program
from app.roster.models import Resident
from app.roster.reconcile import ExistingResident


def lock_program(session: Session, *, program_id: int) -> Program | None:
    """The programme, locked until the transaction ends so that two imports into it run one after the other.

    (PostgreSQL takes a row lock; SQLite ignores FOR UPDATE but allows one writer at a time anyway.)
    """
    return session.scalars(select(Program).where(Program.id == program_id).with_for_update()).one_or_none()


def snapshot(session: Session, *, program_id: int) -> list[ExistingResident]:
    """Every resident of the programme, active or not, in one query and without building ORM objects."""
    stmt = select(
        Resident.id,
        Resident.external_id,
        Resident.first_name,
        Resident.last_name,
        Resident.email,
        Resident.pgy,
        Resident.start_date,
        Resident.end_date,
        Resident.active,
    ).where(Resident.program_id == program_id)
    return [ExistingResident(*row) for row in session.execute(stmt)]


def insert_many(session: Session, *, program_id: int, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Insert residents of one programme; the programme's resident ids by e-mail address afterwards.

    A plain executemany and then one SELECT: on PostgreSQL, INSERT … RETURNING over 10,000 rows takes
    about three times as long as both together.
    """
    if not rows:
        return {}
    session.execute(insert(Resident), rows)
    stmt = select(Resident.email, Resident.id).where(Resident.program_id == program_id)
    return {email: resident_id for email, resident_id in session.execute(stmt)}


def update_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Update residents by primary key; each dict holds ``id`` and the columns to set."""
    if rows:
        session.execute(update(Resident), rows)


def get(session: Session, *, program_id: int, resident_id: int) -> Resident | None:
    resident = session.get(Resident, resident_id)
    return resident if resident is not None and resident.program_id == program_id else None


def list_for_program(session: Session, *, program_id: int, active: bool | None = None) -> list[Resident]:
    stmt = select(Resident).where(Resident.program_id == program_id)
    if active is not None:
        stmt = stmt.where(Resident.active.is_(active))
    return list(session.scalars(stmt.order_by(Resident.last_name, Resident.first_name, Resident.id)))


def email_taken(session: Session, *, program_id: int, email: str, other_than: int) -> bool:
    stmt = select(Resident.id).where(
        Resident.program_id == program_id, Resident.email == email, Resident.id != other_than
    )
    return session.scalars(stmt).first() is not None


def external_id_taken(session: Session, *, program_id: int, external_id: str, other_than: int) -> bool:
    stmt = select(Resident.id).where(
        Resident.program_id == program_id, Resident.external_id == external_id, Resident.id != other_than
    )
    return session.scalars(stmt).first() is not None
