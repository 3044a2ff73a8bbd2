"""The one scheduler process: its jobs, the lease that keeps a second scheduler idle, and pending requests."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.booking.models import AutoBookingRun, BookingRequest, RunKind
from app.booking.service import request_auto_booking
from app.checkins.models import CheckIn
from app.config import Settings
from app.programs.schemas import CheckinPolicy
from scheduling import jobs
from scheduling.scheduler import LEASE_TTL, Lease, build_scheduler, guarded
from tests.factories import make_program, make_resident, make_therapist

NOW = datetime(2026, 8, 3, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_a_second_scheduler_stays_on_standby_until_the_first_one_dies(
    session_factory: sessionmaker[Session],
) -> None:
    clock = Clock(NOW)
    first, second = Lease(session_factory, clock), Lease(session_factory, clock)
    ran: list[str] = []
    first_job = guarded(first, "job", lambda: ran.append("first"))
    second_job = guarded(second, "job", lambda: ran.append("second"))

    first_job()
    second_job()
    clock.now += timedelta(seconds=30)
    second_job()
    first_job()  # renews
    assert ran == ["first", "first"]

    clock.now += LEASE_TTL + timedelta(seconds=1)  # the first scheduler stopped renewing: it died
    second_job()
    first_job()
    assert ran == ["first", "first", "second"]

    second.release()
    first_job()
    assert ran[-1] == "first"


def test_requests_after_changes_are_run_once_the_quiet_time_has_passed(
    db: Session, session_factory: sessionmaker[Session]
) -> None:
    program = make_program(db, policy=CheckinPolicy(pgy_levels=[1], window_days=14, min_notice_hours=24))
    make_resident(db, program, start_date=date(2026, 8, 10))
    make_therapist(db)
    request_auto_booking(db, program_id=program.id, now=NOW)
    request_auto_booking(db, program_id=program.id, now=NOW + timedelta(seconds=10))  # one request, not two
    db.commit()
    delay = timedelta(seconds=30)

    assert jobs.requested_auto_booking(session_factory, Clock(NOW + timedelta(seconds=5)), delay=delay) == 0
    assert jobs.requested_auto_booking(session_factory, Clock(NOW + timedelta(seconds=31)), delay=delay) == 1
    assert jobs.requested_auto_booking(session_factory, Clock(NOW + timedelta(seconds=60)), delay=delay) == 0
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(CheckIn)) == 1
    kinds = list(db.scalars(select(AutoBookingRun.kind)))
    assert kinds == [RunKind.triggered]


def test_the_nightly_job_runs_every_programme(db: Session, session_factory: sessionmaker[Session]) -> None:
    for _ in range(3):
        make_program(db)
    assert jobs.nightly_auto_booking(session_factory, Clock(NOW)) == 3
    assert db.scalar(select(func.count()).select_from(AutoBookingRun)) == 3


def test_the_scheduler_registers_its_jobs(settings: Settings, session_factory: sessionmaker[Session]) -> None:
    scheduler, _ = build_scheduler(settings, session_factory, background=True)
    assert {job.id for job in scheduler.get_jobs()} == {"nightly_auto_booking", "requested_auto_booking"}


def test_a_programme_whose_run_fails_is_not_retried_every_poll(
    db: Session, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    program = make_program(db)
    request_auto_booking(db, program_id=program.id, now=NOW)
    db.commit()

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("engine defect")

    monkeypatch.setattr(jobs, "run_auto_booking", broken)
    later = Clock(NOW + timedelta(minutes=5))
    assert jobs.requested_auto_booking(session_factory, later, delay=timedelta(seconds=30)) == 0
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(BookingRequest)) == 0
