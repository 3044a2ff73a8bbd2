"""Queries for blackouts and the residents a schedule may name."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.call_schedules.models import Blackout, BlackoutSource
from app.call_schedules.names import Person
from app.programs.models import Program
from app.roster.models import Resident

_CHUNK = 500


def lock_program(session: Session, *, program_id: int) -> Program | None:
    """The programme, locked until the transaction ends so that two imports into it run one after the other.

    (PostgreSQL takes a row lock; SQLite ignores FOR UPDATE but allows one writer at a time anyway.)
    """
    return session.scalars(select(Program).where(Program.id == program_id).with_for_update()).one_or_none()


def active_people(session: Session, *, program_id: int) -> list[Person]:
    """The programme's active residents, as the name matcher needs them."""
    stmt = select(Resident.id, Resident.first_name, Resident.last_name, Resident.email).where(
        Resident.program_id == program_id, Resident.active.is_(True)
    )
    return [Person(*row) for row in session.execute(stmt)]


def resident_active(session: Session, *, program_id: int, resident_id: int) -> bool | None:
    """Whether the resident is active; ``None`` when they are not on this programme's roster."""
    stmt = select(Resident.active).where(Resident.id == resident_id, Resident.program_id == program_id)
    return session.scalars(stmt).one_or_none()


def _of_program(program_id: int, source: BlackoutSource | None, resident_id: int | None) -> Any:
    stmt = select(Blackout).join(Resident, Resident.id == Blackout.resident_id)
    stmt = stmt.where(Resident.program_id == program_id)
    if source is not None:
        stmt = stmt.where(Blackout.source == source)
    if resident_id is not None:
        stmt = stmt.where(Blackout.resident_id == resident_id)
    return stmt


def blackouts(
    session: Session,
    *,
    program_id: int,
    source: BlackoutSource | None = None,
    resident_id: int | None = None,
) -> list[Blackout]:
    """The programme's blackouts (optionally of one source or one resident), by resident and start."""
    stmt = _of_program(program_id, source, resident_id).order_by(
        Blackout.resident_id, Blackout.starts_at, Blackout.ends_at, Blackout.id
    )
    return list(session.scalars(stmt))


def insert_many(session: Session, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), _CHUNK):
        session.execute(insert(Blackout), rows[start : start + _CHUNK])


def delete_ids(session: Session, ids: Iterable[int]) -> None:
    id_list = list(ids)
    for start in range(0, len(id_list), _CHUNK):
        chunk = id_list[start : start + _CHUNK]
        session.execute(
            delete(Blackout).where(Blackout.id.in_(chunk)).execution_options(synchronize_session=False)
        )


def relabel(session: Session, rows: list[dict[str, Any]]) -> None:
    """Set the label of blackouts by primary key; each dict holds ``id`` and ``label``."""
    if rows:
        session.execute(update(Blackout), rows)
