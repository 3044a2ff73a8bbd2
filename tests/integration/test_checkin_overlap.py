"""The database itself refuses a therapist's overlapping check-ins (PostgreSQL exclusion; SQLite triggers)."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.checkins.models import CheckIn, CheckInStatus
from tests.factories import make_program, make_resident, make_therapist

T0 = datetime(2026, 9, 1, 14, 0, tzinfo=UTC)


def _checkin(
    db: Session, program_id: int, resident_id: int, therapist_id: int, start: datetime, **kw: object
) -> CheckIn:
    row = CheckIn(
        uid=f"{uuid.uuid4()}@tend",
        program_id=program_id,
        resident_id=resident_id,
        therapist_id=therapist_id,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        period_start=date(2026, 7, 1),
        **kw,
    )
    db.add(row)
    db.flush()
    return row


@pytest.fixture
def setup(db: Session) -> tuple[int, list[int], list[int]]:
    program = make_program(db)
    residents = [make_resident(db, program).id for _ in range(3)]
    therapists = [make_therapist(db).id for _ in range(2)]
    return program.id, residents, therapists


def test_overlapping_active_checkins_for_one_therapist_are_refused(db: Session, setup) -> None:  # type: ignore[no-untyped-def]
    program, residents, therapists = setup
    _checkin(db, program, residents[0], therapists[0], T0)
    with pytest.raises(IntegrityError, match="ex_checkin_therapist_overlap"):
        _checkin(db, program, residents[1], therapists[0], T0 + timedelta(minutes=15))
    db.rollback()


def test_an_update_into_overlap_is_refused(db: Session, setup) -> None:  # type: ignore[no-untyped-def]
    program, residents, therapists = setup
    _checkin(db, program, residents[0], therapists[0], T0)
    later = _checkin(db, program, residents[1], therapists[0], T0 + timedelta(hours=1))
    later.starts_at = T0 + timedelta(minutes=10)
    with pytest.raises(IntegrityError, match="ex_checkin_therapist_overlap"):
        db.flush()
    db.rollback()


def test_back_to_back_other_therapists_and_freed_time_are_allowed(db: Session, setup) -> None:  # type: ignore[no-untyped-def]
    program, residents, therapists = setup
    first = _checkin(db, program, residents[0], therapists[0], T0)
    _checkin(db, program, residents[1], therapists[0], T0 + timedelta(minutes=30))  # back to back
    _checkin(db, program, residents[2], therapists[1], T0)  # another therapist
    first.status = CheckInStatus.opted_out
    db.flush()
    _checkin(db, program, residents[2], therapists[0], T0, status=CheckInStatus.booked)  # freed slot reused
    db.commit()
