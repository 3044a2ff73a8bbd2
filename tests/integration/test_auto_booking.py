"""Auto-booking end to end: the roster and therapists in the database, the engine, the stored check-ins and
the coordinator's coverage report."""

from datetime import UTC, date, datetime, time, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.booking.models import RunKind
from app.booking.service import run_auto_booking
from app.call_schedules.models import Blackout, BlackoutSource
from app.checkins.models import CheckIn, CheckInStatus
from app.programs.schemas import CheckinPolicy
from app.therapists.models import AvailabilityWindow
from tests.factories import make_program, make_resident, make_staff, make_therapist

# A Monday; residents start a week later, so their whole window lies ahead.
NOW = datetime(2026, 8, 3, 12, 0, tzinfo=UTC)
START = date(2026, 8, 10)


def _policy(**overrides: object) -> CheckinPolicy:
    fields: dict[str, object] = {"pgy_levels": [1], "window_days": 14, "min_notice_hours": 24}
    fields.update(overrides)
    return CheckinPolicy.model_validate(fields)


def _checkins(db: Session) -> list[CheckIn]:
    db.expire_all()
    return list(db.scalars(select(CheckIn).order_by(CheckIn.starts_at)))


def test_a_run_books_every_resident_it_can_and_reports_coverage(client: TestClient, db: Session) -> None:
    program = make_program(db, policy=_policy())
    residents = [make_resident(db, program, start_date=START) for _ in range(3)]
    senior = make_resident(db, program, start_date=START, pgy=3)  # not in the policy
    make_therapist(db)  # Tuesdays 09:00-12:00 Detroit, 4 a day
    coordinator = make_staff(db, Role.coordinator, program=program)

    run = run_auto_booking(db, program_id=program.id, kind=RunKind.nightly, now=NOW)
    db.commit()

    checkins = _checkins(db)
    assert sorted(c.resident_id for c in checkins) == sorted(r.id for r in residents)
    assert all(c.status == CheckInStatus.booked for c in checkins)
    assert checkins[0].starts_at == datetime(2026, 8, 11, 13, 0, tzinfo=UTC)  # Tuesday 09:00 EDT, earliest
    assert len({c.uid for c in checkins}) == 3
    assert all(c.period_start == date(2026, 7, 1) for c in checkins)
    assert (run.eligible, run.placed, run.not_placed) == (3, 3, 0)

    report = client.get(f"/programs/{program.id}/coverage", headers=coordinator.headers).json()
    latest = report["runs"][0]
    assert (latest["eligible"], latest["booked"], latest["placed"], latest["not_placed"]) == (3, 3, 3, 0)
    assert senior.id not in [u["resident_id"] for u in latest["unplaced"]]
    # Coverage is counts and reasons only: no times, therapists or statuses of anyone's check-in.
    assert "starts_at" not in str(report) and "therapist" not in str(report)


def test_runs_are_incremental_and_never_move_bookings(db: Session) -> None:
    program = make_program(db, policy=_policy())
    make_resident(db, program, start_date=START)
    make_therapist(db)
    run_auto_booking(db, program_id=program.id, kind=RunKind.nightly, now=NOW)
    db.commit()
    before = [(c.id, c.therapist_id, c.starts_at) for c in _checkins(db)]

    newcomer = make_resident(db, program, start_date=START)
    second = run_auto_booking(db, program_id=program.id, kind=RunKind.triggered, now=NOW + timedelta(hours=1))
    db.commit()
    after = _checkins(db)
    assert [(c.id, c.therapist_id, c.starts_at) for c in after if c.resident_id != newcomer.id] == before
    assert (second.placed, second.already_booked) == (1, 1)


def test_residents_who_cannot_be_placed_get_a_reason(client: TestClient, db: Session) -> None:
    program = make_program(db, policy=_policy())
    resident = make_resident(db, program, start_date=START)
    therapist = make_therapist(db)
    # The resident is on call across every Tuesday morning of the window.
    for day in (date(2026, 8, 11), date(2026, 8, 18)):
        db.add(
            Blackout(
                resident_id=resident.id,
                source=BlackoutSource.amion_csv,
                starts_at=datetime.combine(day, time(11), tzinfo=UTC),
                ends_at=datetime.combine(day, time(18), tzinfo=UTC),
            )
        )
    db.commit()
    run = run_auto_booking(db, program_id=program.id, kind=RunKind.nightly, now=NOW)
    db.commit()
    assert (run.placed, run.not_placed) == (0, 1)
    assert run.unplaced[0].resident_id == resident.id
    assert run.unplaced[0].reason
    assert str(therapist.id) not in run.unplaced[0].reason.split()


def test_an_opt_out_never_turns_a_resident_into_not_placed(client: TestClient, db: Session) -> None:
    program = make_program(db, policy=_policy())
    residents = [make_resident(db, program, start_date=START) for _ in range(2)]
    make_therapist(db)
    coordinator = make_staff(db, Role.coordinator, program=program)
    run_auto_booking(db, program_id=program.id, kind=RunKind.nightly, now=NOW)
    db.commit()
    first = client.get(f"/programs/{program.id}/coverage", headers=coordinator.headers).json()["runs"][0]

    opted = db.scalars(select(CheckIn).where(CheckIn.resident_id == residents[0].id)).one()
    opted.status = CheckInStatus.opted_out
    db.commit()
    run_auto_booking(db, program_id=program.id, kind=RunKind.nightly, now=NOW + timedelta(days=1))
    db.commit()
    second = client.get(f"/programs/{program.id}/coverage", headers=coordinator.headers).json()["runs"][0]
    assert (second["eligible"], second["booked"], second["not_placed"]) == (
        first["eligible"],
        first["booked"],
        0,
    )
    assert second["unplaced"] == []
    assert len([c for c in _checkins(db) if c.resident_id == residents[0].id]) == 1  # not booked again


def test_self_placements_never_show_in_the_report(client: TestClient, db: Session) -> None:
    program = make_program(db, policy=_policy())
    resident = make_resident(db, program, start_date=START)
    therapist = make_therapist(db)
    coordinator = make_staff(db, Role.coordinator, program=program)
    run_auto_booking(db, program_id=program.id, kind=RunKind.nightly, now=NOW)
    db.commit()
    before = client.get(f"/programs/{program.id}/coverage", headers=coordinator.headers).json()["runs"][0]
    # The resident opted out, then opted back in at a time of their choosing (a check-in of their own).
    original = db.scalars(select(CheckIn)).one()
    original.status = CheckInStatus.opted_out
    db.add(
        CheckIn(
            uid="self@tend",
            program_id=program.id,
            resident_id=resident.id,
            therapist_id=therapist.id,
            starts_at=original.starts_at + timedelta(days=7),
            ends_at=original.ends_at + timedelta(days=7),
            period_start=original.period_start,
        )
    )
    db.commit()
    run_auto_booking(db, program_id=program.id, kind=RunKind.nightly, now=NOW + timedelta(days=1))
    db.commit()
    after = client.get(f"/programs/{program.id}/coverage", headers=coordinator.headers).json()["runs"][0]
    assert (after["booked"], after["placed"], after["not_placed"]) == (before["booked"], 0, 0)


def test_replan_moves_a_checkin_keeping_its_uid(db: Session) -> None:
    program = make_program(db, policy=_policy())
    make_resident(db, program, start_date=START)
    early = make_therapist(db)
    run_auto_booking(db, program_id=program.id, kind=RunKind.nightly, now=NOW)
    db.commit()
    (booked,) = _checkins(db)
    # The therapist's Tuesday becomes unavailable; Wednesday opens with another therapist.
    late = make_therapist(db)
    db.add(AvailabilityWindow(therapist_id=late.id, weekday=0, start=time(9), end=time(10)))
    db.commit()
    run = run_auto_booking(db, program_id=program.id, kind=RunKind.replan, now=NOW, replan=True)
    db.commit()
    (moved,) = _checkins(db)
    assert moved.uid == booked.uid
    assert moved.starts_at == datetime(2026, 8, 10, 13, 0, tzinfo=UTC)  # Monday 09:00 EDT, earlier
    assert moved.therapist_id == late.id and moved.sequence == 1
    assert early.id != late.id
    # A re-placement is not a placement: the report is the same as before the re-plan.
    assert (run.eligible, run.already_booked, run.placed, run.not_placed) == (1, 1, 0, 0)


def test_replan_can_move_checkins_onto_each_others_old_times(db: Session) -> None:
    program = make_program(db, policy=_policy())
    for _ in range(3):
        make_resident(db, program, start_date=START)
    therapist = make_therapist(db)  # Tuesdays 09:00-12:00
    run_auto_booking(db, program_id=program.id, kind=RunKind.nightly, now=NOW)
    db.commit()
    before = {c.uid: c.starts_at for c in _checkins(db)}
    assert sorted(t.time() for t in before.values()) == [
        time(13),
        time(13, 30),
        time(14),
    ]  # 09:00, 09:30, 10:00
    # The Tuesday window now opens at 09:15: each check-in moves 15 minutes, onto its neighbour's old time.
    window = db.scalars(
        select(AvailabilityWindow).where(AvailabilityWindow.therapist_id == therapist.id)
    ).one()
    window.start = time(9, 15)
    db.commit()
    run = run_auto_booking(db, program_id=program.id, kind=RunKind.replan, now=NOW, replan=True)
    db.commit()
    after = {c.uid: (c.starts_at, c.status) for c in _checkins(db)}
    assert after.keys() == before.keys()
    assert sorted(t.time() for t, _ in after.values()) == [time(13, 15), time(13, 45), time(14, 15)]
    assert {status for _, status in after.values()} == {CheckInStatus.booked}
    assert (run.placed, run.not_placed) == (0, 0)


def test_a_replan_after_opt_outs_reports_exactly_what_it_reported_before(
    client: TestClient, db: Session
) -> None:
    program = make_program(db, policy=_policy())
    residents = [make_resident(db, program, start_date=START) for _ in range(6)]
    make_therapist(db, max_per_day=6, max_per_week=20)
    coordinator = make_staff(db, Role.coordinator, program=program)
    run_auto_booking(db, program_id=program.id, kind=RunKind.nightly, now=NOW)
    db.commit()
    url = f"/programs/{program.id}/coverage"
    before = client.get(url, headers=coordinator.headers).json()["runs"][0]
    for resident in residents[:2]:
        db.scalars(
            select(CheckIn).where(CheckIn.resident_id == resident.id)
        ).one().status = CheckInStatus.opted_out
    db.commit()
    run = run_auto_booking(db, program_id=program.id, kind=RunKind.replan, now=NOW, replan=True)
    db.commit()
    after = client.get(url, headers=coordinator.headers).json()["runs"][0]
    assert after["id"] == run.id
    keys = ("eligible", "booked", "not_placed", "unplaced")
    assert {k: after[k] for k in keys} == {k: before[k] for k in keys}
    assert after["placed"] == 0


def test_admin_runs_auto_booking_on_demand(client: TestClient, db: Session) -> None:
    program = make_program(db, policy=CheckinPolicy(pgy_levels=[1], window_days=28, min_notice_hours=0))
    admin = make_staff(db, Role.admin)
    response = client.post(f"/programs/{program.id}/auto-booking", headers=admin.headers)
    assert response.status_code == 200
    assert response.json()["eligible"] == 0
    assert client.post("/programs/424242/auto-booking", headers=admin.headers).status_code == 404
