"""Fixtures shared by the integration tests of one domain and another."""

import pytest
from sqlalchemy.orm import Session

from app.auth.models import Role
from tests.factories import Schedule, make_program, make_sample_roster, make_staff


@pytest.fixture
def schedule(db: Session) -> Schedule:
    """A New York programme holding the shared sample roster, and its coordinator (call-schedule tests)."""
    program = make_program(db, time_zone="America/New_York", state="NY")
    return Schedule(
        program=program,
        coordinator=make_staff(db, Role.coordinator, program=program),
        residents=make_sample_roster(db, program),
    )
