"""Auto-booking: plan a programme with the engine, store the bookings and the coverage report.

A run never moves existing bookings (unless an administrator asks for a full re-plan) and commits all of
its bookings or none (the caller's transaction). Runs, and the changes that free check-ins, are serialised
across processes, and the database refuses a therapist's overlapping check-ins whatever happens.

The coverage report never reveals anything that happened after booking. Its counts and its list of
residents not placed depend only on who has *ever* had a check-in for the current period: a resident who
opted out, kept it, missed it, booked themselves again or was freed by a therapist change counts as booked,
exactly as on the day of their first booking. Re-placing a freed resident is never reported.
"""

import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.booking import adapter, repository
from app.booking.models import AutoBookingRun, RunKind, UnplacedResident
from app.checkins.models import CheckIn, CheckInStatus
from app.db import utcnow
from app.errors import Conflict
from app.programs import repository as programs_repository
from app.programs.models import Program
from app.programs.schemas import CheckinPolicy, Modality
from app.programs.service import get_program
from app.therapists.models import Therapist
from scheduling.engine import plan
from scheduling.model import Booking, Unplaced
from scheduling.windows import academic_period


def request_auto_booking(session: Session, *, program_id: int, now: datetime) -> None:
    """Ask the scheduler process to run auto-booking for this programme soon (after a roster change)."""
    repository.request_run(session, program_id=program_id, at=now)


def request_auto_booking_everywhere(session: Session, *, now: datetime) -> None:
    """Ask for a run in every programme (after a therapist change, which can affect all of them)."""
    for program in programs_repository.list_all(session):
        repository.request_run(session, program_id=program.id, at=now)


def therapist_changed(session: Session, *, therapist: Therapist, now: datetime) -> int:
    """Free the therapist's future check-ins that no longer fit them, and ask every programme for a run.

    A check-in is freed (cancelled, SEQUENCE raised) when the therapist was deactivated, when it now falls
    outside their weekly availability or inside their time off, when its programme is now excluded for
    them, or when it is a video check-in in a state they are no longer licensed in. Its resident is due
    again, so the next run places them with someone else. Lowered capacities keep the check-ins already
    booked. Returns how many check-ins were freed.
    """
    repository.lock_auto_booking(session)  # a run in progress must not book them again behind our back
    programs = {p.id: p for p in programs_repository.list_all(session)}
    freed = 0
    for checkin in repository.future_booked(session, after=now, therapist_id=therapist.id):
        if not _still_fits(checkin, therapist, programs[checkin.program_id]):
            _cancel(checkin)
            freed += 1
    request_auto_booking_everywhere(session, now=now)
    return freed


def _still_fits(checkin: CheckIn, therapist: Therapist, program: Program) -> bool:
    if not therapist.active or checkin.program_id in {e.program_id for e in therapist.exclusions}:
        return False
    if any(t.starts_at < checkin.ends_at and checkin.starts_at < t.ends_at for t in therapist.time_off):
        return False
    policy = CheckinPolicy.model_validate(program.policy)
    if policy.modality == Modality.video and program.state not in therapist.licensed_states:
        return False
    tz = ZoneInfo(therapist.time_zone)
    start, end = checkin.starts_at.astimezone(tz), checkin.ends_at.astimezone(tz)
    if end.date() != start.date():
        return False  # availability windows end by 23:59 on the day they start
    return any(
        w.weekday == start.weekday() and w.start <= start.time() and end.time() <= w.end
        for w in therapist.availability
    )


def residents_changed(session: Session, *, resident_ids: list[int], now: datetime) -> int:
    """Free these residents' future check-ins that no longer fit them; returns how many were freed.

    A check-in no longer fits when its resident left the roster, when it falls after their last day, or
    when it now overlaps one of their blackouts (a call schedule imported after booking). A resident still on
    the roster is due again, and the next run re-places them (never reported; see the module docstring).
    """
    if not resident_ids:
        return 0
    repository.lock_auto_booking(session)
    checkins = repository.future_booked(session, after=now, resident_ids=resident_ids)
    if not checkins:
        return 0
    residents = {r.id: r for r in repository.residents_by_id(session, resident_ids=resident_ids)}
    blackouts = repository.blackouts_from(session, resident_ids=resident_ids, since=now)
    zones = {p.id: ZoneInfo(p.time_zone) for p in programs_repository.list_all(session)}
    freed = 0
    for checkin in checkins:
        resident = residents[checkin.resident_id]
        local_day = checkin.starts_at.astimezone(zones[checkin.program_id]).date()
        after_last_day = resident.end_date is not None and local_day > resident.end_date
        clashes = any(
            b.resident_id == resident.id and b.starts_at < checkin.ends_at and checkin.starts_at < b.ends_at
            for b in blackouts
        )
        if not resident.active or after_last_day or clashes:
            _cancel(checkin)
            freed += 1
    return freed


def _cancel(checkin: CheckIn) -> None:
    checkin.status = CheckInStatus.cancelled
    checkin.sequence += 1


def run_auto_booking(
    session: Session, *, program_id: int, kind: RunKind, now: datetime, replan: bool = False
) -> AutoBookingRun:
    """Book every due resident of the programme that the constraints allow, and record the run's report.

    With ``replan``, the programme's future booked check-ins (beyond the minimum notice) are planned afresh:
    a resident who keeps a time keeps the same check-in, one who moves keeps its UID with a higher SEQUENCE,
    one left without a time has it cancelled (and stays counted as booked in coverage, see the module
    docstring).
    """
    program = get_program(session, program_id=program_id)
    run = AutoBookingRun(program_id=program.id, kind=kind, started_at=now)
    session.add(run)
    session.flush()  # on SQLite this write takes the database's write lock before anything is read
    repository.lock_auto_booking(session)
    repository.clear_request(session, program_id=program.id)

    planning = adapter.build_problem(session, program=program, now=now)
    problem = planning.problem
    released: dict[str, CheckIn] = {}
    if replan:
        cutoff = now + timedelta(hours=problem.policy.min_notice_hours)
        released = {
            str(row.resident_id): row
            for row in repository.future_booked(session, after=cutoff, program_id=program.id)
        }
        moving = {(str(c.resident_id), c.starts_at) for c in released.values()}
        problem = replace(
            problem,
            existing_bookings=tuple(
                b for b in problem.existing_bookings if (b.resident_id, b.start) not in moving
            ),
        )
        # Free every released time first: moving one check-in onto another's old time must not trip the
        # overlap guard while that other one has not moved yet.
        for row in released.values():
            row.status = CheckInStatus.cancelled
        session.flush()
    result = plan(problem)

    tz = ZoneInfo(program.time_zone)
    per_year = problem.policy.checkins_per_academic_year
    for booking in result.bookings:
        previous = released.pop(booking.resident_id, None)
        if previous is None:
            session.add(_new_checkin(booking, program_id=program.id, tz=tz, per_year=per_year))
            continue
        previous.status = CheckInStatus.booked
        if (previous.therapist_id, previous.starts_at) != (int(booking.therapist_id), booking.start):
            previous.therapist_id = int(booking.therapist_id)
            previous.starts_at, previous.ends_at = booking.start, booking.end
            previous.sequence += 1
    for leftover in released.values():
        leftover.sequence += 1  # already cancelled above; the new SEQUENCE is for its cancellation notice

    placed = [b.resident_id for b in result.bookings]
    _record_coverage(session, run=run, planning=planning, placed=placed, unplaced=result.unplaced)
    try:
        session.flush()
    except IntegrityError as exc:
        # The database refused an overlap: another writer got there first. Nothing of this run is kept.
        raise Conflict("Another booking change happened at the same time; run auto-booking again.") from exc
    session.refresh(run, attribute_names=["unplaced"])
    return run


def _record_coverage(
    session: Session,
    *,
    run: AutoBookingRun,
    planning: adapter.Planning,
    placed: list[str],
    unplaced: tuple[Unplaced, ...],
) -> None:
    """Counts and reasons that depend only on who has ever had a check-in this period (module docstring)."""
    levels = planning.problem.policy.pgy_levels
    eligible = {r.id for r in planning.residents if r.pgy in levels}
    ever = planning.ever_booked & eligible
    run.eligible = len(eligible)
    run.already_booked = len(ever)
    run.placed = sum(1 for rid in placed if int(rid) in eligible and int(rid) not in ever)
    reported = [u for u in unplaced if int(u.resident_id) in eligible and int(u.resident_id) not in ever]
    run.not_placed = len(reported)
    session.add_all(
        UnplacedResident(run_id=run.id, resident_id=int(u.resident_id), reason=u.reason) for u in reported
    )
    run.finished_at = utcnow()


def _new_checkin(booking: Booking, *, program_id: int, tz: ZoneInfo, per_year: int) -> CheckIn:
    local_day = booking.start.astimezone(tz).date()
    return CheckIn(
        uid=f"{uuid.uuid4()}@tend",
        program_id=program_id,
        resident_id=int(booking.resident_id),
        therapist_id=int(booking.therapist_id),
        starts_at=booking.start,
        ends_at=booking.end,
        period_start=academic_period(local_day, per_year)[0],
        status=CheckInStatus.booked,
    )


def coverage(session: Session, *, program_id: int, limit: int = 10) -> list[AutoBookingRun]:
    """The programme's latest finished runs, newest first, with who could not be placed and why."""
    get_program(session, program_id=program_id)
    return repository.latest_runs(session, program_id=program_id, limit=limit)
