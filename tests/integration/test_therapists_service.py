"""The therapist service against the real database: it never commits, and it keeps rows tidy."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidInput, NotFound
from app.therapists import repository, service
from app.therapists.models import AvailabilityWindow, Therapist, TherapistExclusion, TherapistKind, TimeOff
from app.therapists.schemas import AvailabilityIn, ExclusionsIn, TherapistCreate, TherapistUpdate, TimeOffIn
from tests.factories import make_program, make_therapist, make_time_off


def _create(email: str = "new.therapist@clinic.example.org") -> TherapistCreate:
    return TherapistCreate(
        name="New Therapist", email=email, kind=TherapistKind.employed, time_zone="America/Denver"
    )


def _count(db: Session, model: type, therapist_id: int) -> int:
    column = model.therapist_id  # type: ignore[attr-defined]
    return db.scalar(select(func.count()).select_from(model).where(column == therapist_id)) or 0


def test_the_service_leaves_committing_to_its_caller(db: Session) -> None:
    therapist = service.create_therapist(db, data=_create())
    assert therapist.id is not None
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Therapist)) == 0


def test_a_duplicate_email_racing_past_the_check_is_still_a_conflict(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_therapist(db, email="taken@clinic.example.org")
    monkeypatch.setattr(repository, "by_email", lambda *_, **__: None)
    with pytest.raises(Conflict):
        service.create_therapist(db, data=_create("taken@clinic.example.org"))
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Therapist)) == 1


def test_availability_rows_are_replaced(db: Session) -> None:
    therapist = make_therapist(db)
    week = AvailabilityIn.model_validate(
        {
            "windows": [
                {"weekday": 0, "start": "08:00", "end": "09:00"},
                {"weekday": 2, "start": "08:00", "end": "09:00"},
            ]
        }
    )
    service.set_availability(db, therapist_id=therapist.id, data=week)
    db.commit()
    assert _count(db, AvailabilityWindow, therapist.id) == 2
    service.set_availability(db, therapist_id=therapist.id, data=AvailabilityIn(windows=[]))
    db.commit()
    assert _count(db, AvailabilityWindow, therapist.id) == 0


def test_time_off_is_stored_in_utc_and_removed(db: Session) -> None:
    therapist = make_therapist(db)
    period = TimeOffIn.model_validate(
        {"starts_at": "2027-06-01T00:00:00+02:00", "ends_at": "2027-06-03T00:00:00+02:00"}
    )
    created = service.add_time_off(db, therapist_id=therapist.id, data=period)
    db.commit()
    db.expire_all()
    stored = db.get(TimeOff, created.id)
    assert stored is not None
    assert stored.starts_at == datetime(2027, 5, 31, 22, tzinfo=UTC)
    assert stored.starts_at.tzinfo is not None
    with pytest.raises(InvalidInput):
        service.add_time_off(db, therapist_id=therapist.id, data=period)
    db.rollback()
    service.remove_time_off(db, therapist_id=therapist.id, time_off_id=created.id)
    db.commit()
    assert _count(db, TimeOff, therapist.id) == 0


def test_time_off_belongs_to_its_therapist(db: Session) -> None:
    mine = make_therapist(db)
    theirs = make_therapist(db)
    their_period = make_time_off(db, theirs)
    with pytest.raises(NotFound):
        service.remove_time_off(db, therapist_id=mine.id, time_off_id=their_period.id)
    db.rollback()
    assert _count(db, TimeOff, theirs.id) == 1


def test_exclusions_keep_unchanged_rows_and_drop_the_rest(db: Session) -> None:
    therapist = make_therapist(db)
    a, b, c = make_program(db), make_program(db), make_program(db)
    service.set_exclusions(db, therapist_id=therapist.id, data=ExclusionsIn(program_ids=[a.id, b.id]))
    db.commit()
    service.set_exclusions(db, therapist_id=therapist.id, data=ExclusionsIn(program_ids=[b.id, c.id, c.id]))
    db.commit()
    rows = db.scalars(
        select(TherapistExclusion.program_id).where(TherapistExclusion.therapist_id == therapist.id)
    )
    assert sorted(rows) == sorted([b.id, c.id])


def test_an_update_against_stored_capacity_names_the_field_sent(db: Session) -> None:
    therapist = make_therapist(db, max_per_day=2, max_per_week=5)
    with pytest.raises(InvalidInput) as exc:
        service.update_therapist(db, therapist_id=therapist.id, data=TherapistUpdate(max_per_day=6))
    assert exc.value.errors == [
        {
            "field": "max_per_day",
            "message": "max_per_week (5) must be at least max_per_day (6); change both in the same request",
        }
    ]


def test_lists_load_everything_a_response_needs(db: Session) -> None:
    therapist = make_therapist(db)
    make_time_off(db, therapist)
    db.expunge_all()
    (listed,) = service.list_therapists(db)
    # Relationships are lazy="raise": touching them would fail had the repository not loaded them.
    assert len(listed.availability) == 1
    assert len(listed.time_off) == 1
    assert listed.exclusions == []
