"""Changing a programme's policy: only the fields sent change, the result is validated as a whole, and
auto-booking looks at the programme again soon."""

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.booking.models import BookingRequest
from app.programs.schemas import CheckinPolicy
from tests.factories import make_program, make_staff


def test_a_partial_policy_update_keeps_the_other_fields(client: TestClient, db: Session) -> None:
    program = make_program(db, policy=CheckinPolicy(pgy_levels=[1, 2, 3], window_days=120, buffer_minutes=10))
    admin = make_staff(db, Role.admin)
    response = client.patch(
        f"/programs/{program.id}", headers=admin.headers, json={"policy": {"window_days": 28}}
    )
    assert response.status_code == 200
    policy = response.json()["policy"]
    assert (policy["window_days"], policy["pgy_levels"], policy["buffer_minutes"]) == (28, [1, 2, 3], 10)
    assert set(db.scalars(select(BookingRequest.program_id))) == {program.id}


def test_a_policy_update_that_breaks_the_whole_is_refused_and_changes_nothing(
    client: TestClient, db: Session
) -> None:
    program = make_program(db)
    admin = make_staff(db, Role.admin)
    url = f"/programs/{program.id}"
    before = client.get(url, headers=admin.headers).json()
    for change, fragment in (
        ({"day_start": "18:00"}, "day_end"),  # after the stored day_end
        ({"modality": "in_person"}, "location"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"no_such_field": 1}, "no_such_field"),
        ({"day_end": "17:00Z"}, "policy.day_end"),  # an offset: not comparable with day_start
        ({"protected_blocks": [{"weekday": 1, "start": 3600, "end": "17:00"}]}, "wall-clock time"),
    ):
        response = client.patch(url, headers=admin.headers, json={"policy": change})
        assert response.status_code == 422, change
        assert fragment in response.text
    assert client.get(url, headers=admin.headers).json() == before
