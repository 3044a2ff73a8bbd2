"""Queries behind auto-booking and the coverage report."""

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.booking.models import AutoBookingRun, BookingRequest, JobLease
from app.call_schedules.models import Blackout
from app.checkins.models import TIME_HOLDING, CheckIn, CheckInStatus
from app.roster.models import Resident
from app.therapists.models import Therapist

# Any constant will do: it names "the auto-booking lock" among PostgreSQL advisory locks.
_AUTO_BOOKING_LOCK = 0x7E4D_0001


def lock_auto_booking(session: Session) -> None:
    """Serialise auto-booking runs across processes until this transaction ends.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: an immediate write (the caller inserts the run
    row first), which takes the database's single write lock before anything is read.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUTO_BOOKING_LOCK})


def active_residents(session: Session, *, program_id: int) -> list[Resident]:
    stmt = (
        select(Resident)
        .where(Resident.program_id == program_id, Resident.active.is_(True))
        .order_by(Resident.id)
    )
    return list(session.scalars(stmt))


def residents_by_id(session: Session, *, resident_ids: Sequence[int]) -> list[Resident]:
    return list(session.scalars(select(Resident).where(Resident.id.in_(resident_ids))))


def blackouts_from(session: Session, *, resident_ids: Sequence[int], since: datetime) -> list[Blackout]:
    if not resident_ids:
        return []
    stmt = select(Blackout).where(Blackout.resident_id.in_(resident_ids), Blackout.ends_at > since)
    return list(session.scalars(stmt.order_by(Blackout.id)))


def checkins_of(session: Session, *, resident_ids: Sequence[int]) -> list[tuple[int, date, CheckInStatus]]:
    """(resident, cadence period, status) of every check-in these residents have ever had."""
    if not resident_ids:
        return []
    stmt = select(CheckIn.resident_id, CheckIn.period_start, CheckIn.status).where(
        CheckIn.resident_id.in_(resident_ids)
    )
    return [(r, p, s) for r, p, s in session.execute(stmt)]


def active_therapists(session: Session) -> list[Therapist]:
    stmt = (
        select(Therapist)
        .where(Therapist.active.is_(True))
        .options(
            selectinload(Therapist.availability),
            selectinload(Therapist.time_off),
            selectinload(Therapist.exclusions),
        )
        .order_by(Therapist.id)
    )
    return list(session.scalars(stmt))


def time_holding_checkins(
    session: Session, *, therapist_ids: Sequence[int], since: datetime
) -> list[CheckIn]:
    if not therapist_ids:
        return []
    stmt = select(CheckIn).where(
        CheckIn.therapist_id.in_(therapist_ids), CheckIn.status.in_(TIME_HOLDING), CheckIn.ends_at > since
    )
    return list(session.scalars(stmt.order_by(CheckIn.id)))


def future_booked(
    session: Session,
    *,
    after: datetime,
    program_id: int | None = None,
    therapist_id: int | None = None,
    resident_ids: Sequence[int] | None = None,
) -> list[CheckIn]:
    """Booked check-ins starting at or after ``after``, narrowed by programme, therapist or residents."""
    stmt = select(CheckIn).where(CheckIn.status == CheckInStatus.booked, CheckIn.starts_at >= after)
    if program_id is not None:
        stmt = stmt.where(CheckIn.program_id == program_id)
    if therapist_id is not None:
        stmt = stmt.where(CheckIn.therapist_id == therapist_id)
    if resident_ids is not None:
        stmt = stmt.where(CheckIn.resident_id.in_(resident_ids))
    return list(session.scalars(stmt.order_by(CheckIn.id)))


def latest_runs(session: Session, *, program_id: int, limit: int) -> list[AutoBookingRun]:
    stmt = (
        select(AutoBookingRun)
        .where(AutoBookingRun.program_id == program_id, AutoBookingRun.finished_at.is_not(None))
        .options(selectinload(AutoBookingRun.unplaced))
        .order_by(AutoBookingRun.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def request_run(session: Session, *, program_id: int, at: datetime) -> None:
    """Ask for a run soon; a request already waiting keeps its earlier time."""
    if session.get(BookingRequest, program_id) is None:
        session.add(BookingRequest(program_id=program_id, requested_at=at))
        session.flush()


def pending_requests(session: Session, *, before: datetime) -> list[int]:
    stmt = select(BookingRequest.program_id).where(BookingRequest.requested_at <= before)
    return list(session.scalars(stmt.order_by(BookingRequest.requested_at)))


def clear_request(session: Session, *, program_id: int) -> None:
    session.execute(delete(BookingRequest).where(BookingRequest.program_id == program_id))


def take_lease(session: Session, *, name: str, holder: str, now: datetime, until: datetime) -> bool:
    """Take or renew the lease called ``name``; False if another live holder has it."""
    renewed = session.execute(
        update(JobLease)
        .where(JobLease.name == name, (JobLease.holder == holder) | (JobLease.expires_at < now))
        .values(holder=holder, expires_at=until)
    )
    if renewed.rowcount == 1:  # type: ignore[attr-defined]
        return True
    if session.get(JobLease, name) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(JobLease(name=name, holder=holder, expires_at=until))
    except IntegrityError:
        return False  # another process created it first
    return True


def release_lease(session: Session, *, name: str, holder: str) -> None:
    session.execute(delete(JobLease).where(JobLease.name == name, JobLease.holder == holder))
