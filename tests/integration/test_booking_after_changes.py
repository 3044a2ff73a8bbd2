"""Changes to the roster or to therapists reach auto-booking: freed check-ins and a run soon after."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.booking.models import BookingRequest, RunKind
from app.booking.service import run_auto_booking
from app.checkins.models import CheckIn, CheckInStatus
from app.db import utcnow
from app.programs.models import Program
from app.programs.schemas import CheckinPolicy
from app.roster.models import Resident
from tests.factories import make_program, make_resident, make_staff, make_therapist


def _booked_world(db: Session) -> tuple[int, int, CheckIn]:
    """A programme with one resident booked with one therapist, a few weeks from now."""
    start = (utcnow() + timedelta(days=14)).date()
    start += timedelta(days=-start.weekday() % 7)  # a Monday: the Tuesday check-in falls after the first day
    program = make_program(db, policy=CheckinPolicy(pgy_levels=[1], window_days=28, min_notice_hours=24))
    make_resident(db, program, start_date=start)
    therapist = make_therapist(db)
    run_auto_booking(db, program_id=program.id, kind=RunKind.nightly, now=utcnow())
    db.execute(delete(BookingRequest))
    db.commit()
    checkin = db.scalars(select(CheckIn)).one()
    return program.id, therapist.id, checkin


def _status(db: Session, checkin: CheckIn) -> tuple[CheckInStatus, int]:
    db.expire_all()
    row = db.get(CheckIn, checkin.id)
    assert row is not None
    return row.status, row.sequence


def _requests(db: Session) -> set[int]:
    return set(db.scalars(select(BookingRequest.program_id)))


def test_deactivating_a_therapist_frees_their_future_checkins(client: TestClient, db: Session) -> None:
    program_id, therapist_id, checkin = _booked_world(db)
    admin = make_staff(db, Role.admin)
    response = client.patch(f"/therapists/{therapist_id}", headers=admin.headers, json={"active": False})
    assert response.status_code == 200
    assert _status(db, checkin) == (CheckInStatus.cancelled, 1)
    assert program_id in _requests(db)


def test_time_off_over_a_checkin_frees_it_and_other_time_off_does_not(
    client: TestClient, db: Session
) -> None:
    _, therapist_id, checkin = _booked_world(db)
    admin = make_staff(db, Role.admin)
    elsewhere = {"starts_at": "2030-01-01T00:00:00Z", "ends_at": "2030-01-02T00:00:00Z"}
    assert (
        client.post(f"/therapists/{therapist_id}/time-off", headers=admin.headers, json=elsewhere).status_code
        == 201
    )
    assert _status(db, checkin) == (CheckInStatus.booked, 0)
    over = {
        "starts_at": (checkin.starts_at - timedelta(hours=1)).isoformat(),
        "ends_at": (checkin.ends_at + timedelta(hours=1)).isoformat(),
    }
    assert (
        client.post(f"/therapists/{therapist_id}/time-off", headers=admin.headers, json=over).status_code
        == 201
    )
    assert _status(db, checkin) == (CheckInStatus.cancelled, 1)


def test_excluding_a_programme_frees_its_checkins(client: TestClient, db: Session) -> None:
    program_id, therapist_id, checkin = _booked_world(db)
    admin = make_staff(db, Role.admin)
    response = client.put(
        f"/therapists/{therapist_id}/exclusions", headers=admin.headers, json={"program_ids": [program_id]}
    )
    assert response.status_code == 200
    assert _status(db, checkin) == (CheckInStatus.cancelled, 1)


def test_a_new_therapist_asks_every_programme_for_a_run(client: TestClient, db: Session) -> None:
    programs = {make_program(db).id for _ in range(2)}
    admin = make_staff(db, Role.admin)
    body = {
        "name": "Dr New",
        "email": "new@clinic.example.org",
        "kind": "volunteer",
        "time_zone": "America/Chicago",
        "licensed_states": ["MI"],
        "max_per_day": 3,
        "max_per_week": 9,
    }
    assert client.post("/therapists", headers=admin.headers, json=body).status_code == 201
    assert _requests(db) == programs


def test_past_checkins_are_never_touched(db: Session) -> None:
    from app.booking.service import therapist_changed
    from app.therapists.service import get_therapist

    _, therapist_id, checkin = _booked_world(db)
    therapist = get_therapist(db, therapist_id=therapist_id)
    therapist.active = False
    assert therapist_changed(db, therapist=therapist, now=checkin.starts_at + timedelta(minutes=1)) == 0
    # The check-in already began: it stays as it was.
    assert _status(db, checkin) == (CheckInStatus.booked, 0)


def _roster_csv(rows: list[tuple[str, str, str]]) -> str:
    lines = ["first_name,last_name,email,pgy,start_date"]
    start = (utcnow() + timedelta(days=14)).date().isoformat()
    lines += [f"{first},{last},{email},1,{start}" for first, last, email in rows]
    return "\n".join(lines) + "\n"


def test_a_roster_import_asks_for_a_run_and_a_dry_run_does_not(client: TestClient, db: Session) -> None:
    program = make_program(db)
    coordinator = make_staff(db, Role.coordinator, program=program)
    body = _roster_csv([("Ada", "Lovelace", "ada@hospital.example.org")])
    headers = {**coordinator.headers, "Content-Type": "text/csv"}
    url = f"/programs/{program.id}/roster"
    assert client.post(url, params={"dry_run": True}, headers=headers, content=body).status_code == 200
    assert _requests(db) == set()
    assert client.post(url, headers=headers, content=body).status_code == 200
    assert _requests(db) == {program.id}


def test_residents_dropped_by_a_replace_upload_keep_no_future_checkins(
    client: TestClient, db: Session
) -> None:
    program = make_program(db, policy=CheckinPolicy(pgy_levels=[1], window_days=28, min_notice_hours=24))
    make_therapist(db, max_per_day=6, max_per_week=20)
    coordinator = make_staff(db, Role.coordinator, program=program)
    headers = {**coordinator.headers, "Content-Type": "text/csv"}
    url = f"/programs/{program.id}/roster"
    both = [("Ada", "Lovelace", "ada@hospital.example.org"), ("Alan", "Turing", "alan@hospital.example.org")]
    assert client.post(url, headers=headers, content=_roster_csv(both)).status_code == 200
    run_auto_booking(db, program_id=program.id, kind=RunKind.triggered, now=utcnow())
    db.commit()
    assert len(list(db.scalars(select(CheckIn)))) == 2

    response = client.post(url, params={"replace": True}, headers=headers, content=_roster_csv(both[:1]))
    assert response.status_code == 200
    db.expire_all()
    emails = {r.id: r.email for r in db.scalars(select(Resident))}
    statuses = {emails[c.resident_id]: c.status for c in db.scalars(select(CheckIn))}
    assert statuses == {
        "ada@hospital.example.org": CheckInStatus.booked,
        "alan@hospital.example.org": CheckInStatus.cancelled,
    }


def test_availability_that_no_longer_covers_a_checkin_frees_it(client: TestClient, db: Session) -> None:
    _, therapist_id, checkin = _booked_world(db)
    admin = make_staff(db, Role.admin)
    # Same weekday, but the window now starts after the check-in's time.
    weekday = checkin.starts_at.astimezone(ZoneInfo("America/Detroit")).weekday()
    keep = {"windows": [{"weekday": weekday, "start": "09:00", "end": "12:00"}]}
    assert (
        client.put(f"/therapists/{therapist_id}/availability", headers=admin.headers, json=keep).status_code
        == 200
    )
    assert _status(db, checkin) == (CheckInStatus.booked, 0)
    later = {"windows": [{"weekday": weekday, "start": "13:00", "end": "17:00"}]}
    assert (
        client.put(f"/therapists/{therapist_id}/availability", headers=admin.headers, json=later).status_code
        == 200
    )
    assert _status(db, checkin) == (CheckInStatus.cancelled, 1)


def test_losing_the_programmes_licence_frees_video_checkins(client: TestClient, db: Session) -> None:
    _, therapist_id, checkin = _booked_world(db)  # a Michigan programme, video check-ins
    admin = make_staff(db, Role.admin)
    response = client.patch(
        f"/therapists/{therapist_id}", headers=admin.headers, json={"licensed_states": ["OH"]}
    )
    assert response.status_code == 200
    assert _status(db, checkin) == (CheckInStatus.cancelled, 1)


def test_a_freed_resident_who_cannot_be_placed_again_is_never_reported(
    client: TestClient, db: Session
) -> None:
    program_id, therapist_id, checkin = _booked_world(db)
    coordinator = make_staff(db, Role.coordinator, program=db.get(Program, program_id))
    admin = make_staff(db, Role.admin)
    url = f"/programs/{program_id}/coverage"
    before = client.get(url, headers=coordinator.headers).json()["runs"][0]
    # The only therapist leaves: nobody can take the freed resident.
    assert (
        client.patch(f"/therapists/{therapist_id}", headers=admin.headers, json={"active": False}).status_code
        == 200
    )
    run_auto_booking(db, program_id=program_id, kind=RunKind.triggered, now=utcnow())
    db.commit()
    after = client.get(url, headers=coordinator.headers).json()["runs"][0]
    assert _status(db, checkin)[0] == CheckInStatus.cancelled
    assert (after["eligible"], after["booked"], after["placed"], after["not_placed"], after["unplaced"]) == (
        before["eligible"],
        before["booked"],
        0,
        0,
        [],
    )


def test_a_call_shift_imported_after_booking_frees_the_checkin_it_covers(db: Session) -> None:
    from app.booking.service import residents_changed
    from app.call_schedules.models import Blackout, BlackoutSource

    _, _, checkin = _booked_world(db)
    elsewhere = Blackout(
        resident_id=checkin.resident_id,
        source=BlackoutSource.amion_csv,
        starts_at=checkin.ends_at + timedelta(hours=1),
        ends_at=checkin.ends_at + timedelta(hours=13),
    )
    db.add(elsewhere)
    db.flush()
    assert residents_changed(db, resident_ids=[checkin.resident_id], now=utcnow()) == 0
    db.add(
        Blackout(
            resident_id=checkin.resident_id,
            source=BlackoutSource.amion_csv,
            starts_at=checkin.starts_at - timedelta(hours=2),
            ends_at=checkin.starts_at + timedelta(minutes=10),
        )
    )
    db.flush()
    assert residents_changed(db, resident_ids=[checkin.resident_id], now=utcnow()) == 1
    db.commit()
    assert _status(db, checkin) == (CheckInStatus.cancelled, 1)


def test_a_last_day_moved_before_the_checkin_frees_it(client: TestClient, db: Session) -> None:
    program_id, _, checkin = _booked_world(db)
    coordinator = make_staff(db, Role.coordinator, program=db.get(Program, program_id))
    url = f"/programs/{program_id}/residents/{checkin.resident_id}"
    resident = client.get(url, headers=coordinator.headers).json()
    last_day = date.fromisoformat(resident["start_date"])  # a Monday; the check-in is on a Tuesday or later
    assert checkin.starts_at.date() > last_day
    response = client.patch(url, headers=coordinator.headers, json={"end_date": last_day.isoformat()})
    assert response.status_code == 200, response.text
    assert _status(db, checkin) == (CheckInStatus.cancelled, 1)


def test_importing_a_call_over_a_booked_checkin_frees_it_without_saying_so(
    client: TestClient, db: Session
) -> None:
    program_id, _, checkin = _booked_world(db)
    coordinator = make_staff(db, Role.coordinator, program=db.get(Program, program_id))
    resident = db.get(Resident, checkin.resident_id)
    assert resident is not None
    day = checkin.starts_at.astimezone(ZoneInfo("America/Detroit")).date()
    schedule = (
        f'Name,Date,Start,End\n"{resident.last_name}, {resident.first_name}",{day:%m-%d-%y},0700,1700\n'
    )
    response = client.post(
        f"/programs/{program_id}/call-schedule",
        headers={**coordinator.headers, "Content-Type": "text/csv"},
        content=schedule,
    )
    assert response.status_code == 200, response.text
    assert _status(db, checkin) == (CheckInStatus.cancelled, 1)
    assert "check" not in response.text.lower()  # nothing about any check-in in the coordinator's answer
    assert program_id in _requests(db)
