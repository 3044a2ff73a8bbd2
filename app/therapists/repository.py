"""Every query about therapists. Relationships are lazy="raise", so loading is always explicit here."""

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.programs.models import Program
from app.therapists.models import Therapist


def _full() -> tuple[ExecutableOption, ...]:
    return (
        selectinload(Therapist.availability),
        selectinload(Therapist.time_off),
        selectinload(Therapist.exclusions),
    )


def get(session: Session, *, therapist_id: int, for_update: bool = False) -> Therapist | None:
    """The therapist with availability, time off and exclusions loaded; optionally row-locked.

    The lock serialises concurrent changes to one therapist's time off on PostgreSQL (SQLite serialises
    writers by itself).
    """
    query = select(Therapist).where(Therapist.id == therapist_id).options(*_full())
    if for_update:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def by_email(session: Session, *, email: str) -> Therapist | None:
    return session.scalars(select(Therapist).where(Therapist.email == email)).one_or_none()


def list_all(session: Session, *, active: bool | None = None) -> list[Therapist]:
    query = select(Therapist).options(*_full()).order_by(Therapist.id)
    if active is not None:
        query = query.where(Therapist.active == active)
    return list(session.scalars(query))


def existing_program_ids(session: Session, *, program_ids: Collection[int]) -> set[int]:
    if not program_ids:
        return set()
    return set(session.scalars(select(Program.id).where(Program.id.in_(program_ids))))
