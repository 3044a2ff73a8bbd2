"""Turns database rows into the booking engine's plain inputs (scheduling.model), and nothing else."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.booking import repository
from app.checkins.models import CheckInStatus
from app.programs.models import Program
from app.programs.schemas import CheckinPolicy
from app.roster.models import Resident as ResidentRow
from app.therapists.models import Therapist as TherapistRow
from scheduling.model import (
    ExistingBooking,
    Interval,
    Modality,
    Policy,
    Problem,
    Resident,
    Therapist,
    WeeklyWindow,
)
from scheduling.windows import academic_period

# Check-ins a resident "had" this period even though they no longer hold therapist time. Opted-out ones
# count: a resident who opted out is never booked again automatically (and never looks "not placed").
_HELD_WITHOUT_TIME = (CheckInStatus.opted_out, CheckInStatus.kept, CheckInStatus.no_show)


def engine_policy(program: Program) -> Policy:
    """The programme's validated policy in the engine's terms."""
    policy = CheckinPolicy.model_validate(program.policy)
    return Policy(
        program_id=str(program.id),
        time_zone=program.time_zone,
        state=program.state,
        modality=Modality(policy.modality.value),
        duration_minutes=policy.duration_minutes,
        buffer_minutes=policy.buffer_minutes,
        min_notice_hours=policy.min_notice_hours,
        window_days=policy.window_days,
        checkins_per_academic_year=policy.checkins_per_academic_year,
        pgy_levels=frozenset(policy.pgy_levels),
        allowed_weekdays=frozenset(policy.allowed_weekdays),
        day_start=policy.day_start,
        day_end=policy.day_end,
        protected_blocks=tuple(WeeklyWindow(b.weekday, b.start, b.end) for b in policy.protected_blocks),
    )


def _therapist(row: TherapistRow) -> Therapist:
    return Therapist(
        id=str(row.id),
        time_zone=row.time_zone,
        availability=tuple(WeeklyWindow(w.weekday, w.start, w.end) for w in row.availability),
        time_off=tuple(Interval(t.starts_at, t.ends_at) for t in row.time_off),
        max_per_day=row.max_per_day,
        max_per_week=row.max_per_week,
        licensed_states=frozenset(row.licensed_states),
        excluded_programs=frozenset(str(e.program_id) for e in row.exclusions),
    )


@dataclass(frozen=True)
class Planning:
    """An engine problem with what the coverage report needs to know about the same roster.

    ``ever_booked``: residents who have had a check-in for their current period, whatever became of it
    (booked, kept, no-show, opted out, or freed by a therapist change). The report counts them as booked,
    so nothing that happens after booking ever changes what a coordinator sees.
    """

    problem: Problem
    residents: list[ResidentRow]
    ever_booked: frozenset[int]


def build_problem(session: Session, *, program: Program, now: datetime) -> Planning:
    """Everything the engine needs to plan ``program`` at ``now``, and the roster rows it was built from."""
    residents = repository.active_residents(session, program_id=program.id)
    resident_ids = [r.id for r in residents]
    blackouts: dict[int, list[Interval]] = defaultdict(list)
    for blackout in repository.blackouts_from(
        session, resident_ids=resident_ids, since=now - timedelta(days=1)
    ):
        blackouts[blackout.resident_id].append(Interval(blackout.starts_at, blackout.ends_at))
    held: dict[tuple[int, date], int] = defaultdict(int)
    any_status: set[tuple[int, date]] = set()
    for resident_id, period_start, status in repository.checkins_of(session, resident_ids=resident_ids):
        any_status.add((resident_id, period_start))
        if status in _HELD_WITHOUT_TIME:
            held[(resident_id, period_start)] += 1

    policy = engine_policy(program)
    today = now.astimezone(ZoneInfo(program.time_zone)).date()
    engine_residents = []
    ever_booked: set[int] = set()
    for row in residents:
        # The engine's own period rule, so that both agree on which period a resident is due in.
        period_start, _ = academic_period(max(today, row.start_date), policy.checkins_per_academic_year)
        if (row.id, period_start) in any_status:
            ever_booked.add(row.id)
        engine_residents.append(
            Resident(
                id=str(row.id),
                pgy=row.pgy,
                start_date=row.start_date,
                end_date=row.end_date,
                blackouts=tuple(blackouts[row.id]),
                checkins_this_period=held[(row.id, period_start)],
            )
        )
    therapists = repository.active_therapists(session)
    # A week back: capacity per week counts check-ins earlier in the current week.
    existing = repository.time_holding_checkins(
        session, therapist_ids=[t.id for t in therapists], since=now - timedelta(days=8)
    )
    problem = Problem(
        policy=policy,
        now=now,
        residents=tuple(engine_residents),
        therapists=tuple(_therapist(t) for t in therapists),
        existing_bookings=tuple(
            ExistingBooking(str(c.resident_id), str(c.therapist_id), c.starts_at, c.ends_at) for c in existing
        ),
    )
    return Planning(problem=problem, residents=residents, ever_booked=frozenset(ever_booked))
