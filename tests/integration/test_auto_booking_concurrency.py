"""Two auto-booking runs at once (two scheduler processes, or a manual run during the nightly one) book
nobody twice and never double-book a therapist."""

import threading
from collections import Counter
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.booking.models import RunKind
from app.booking.service import run_auto_booking
from app.checkins.models import CheckIn
from app.db import transaction
from app.programs.schemas import CheckinPolicy
from tests.factories import make_program, make_resident, make_therapist

NOW = datetime(2026, 8, 3, 12, 0, tzinfo=UTC)


def test_simultaneous_runs_book_nobody_twice(db: Session, session_factory: sessionmaker[Session]) -> None:
    policy = CheckinPolicy(pgy_levels=[1], window_days=14, min_notice_hours=24)
    programs = [make_program(db, policy=policy) for _ in range(2)]
    residents = [make_resident(db, p, start_date=date(2026, 8, 10)) for p in programs for _ in range(5)]
    for _ in range(2):
        make_therapist(db, max_per_day=6, max_per_week=20)  # shared by both programmes

    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def run(program_id: int) -> None:
        try:
            barrier.wait()
            with transaction(session_factory) as session:
                run_auto_booking(session, program_id=program_id, kind=RunKind.nightly, now=NOW)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(p.id,)) for p in programs for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []

    db.expire_all()
    checkins = list(db.scalars(select(CheckIn)))
    per_resident = Counter(c.resident_id for c in checkins)
    assert set(per_resident) == {r.id for r in residents}
    assert max(per_resident.values()) == 1
    slots = Counter((c.therapist_id, c.starts_at) for c in checkins)
    assert max(slots.values()) == 1
