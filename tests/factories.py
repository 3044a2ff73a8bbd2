"""Small factories: each test builds exactly the data it needs, through the real services."""

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.auth import service as auth_service
from app.auth.models import Role, StaffAccount
from app.auth.schemas import StaffCreate
from app.programs import service as program_service
from app.programs.models import Program
from app.programs.schemas import CheckinPolicy, ProgramCreate
from app.roster.models import Resident
from app.therapists.models import AvailabilityWindow, Therapist, TherapistKind

_seq = itertools.count(1)


@dataclass
class Staff:
    account: StaffAccount
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_program(session: Session, **overrides: Any) -> Program:
    n = next(_seq)
    fields: dict[str, Any] = {
        "name": f"Programme {n}",
        "time_zone": "America/Detroit",
        "state": "MI",
        "policy": CheckinPolicy(),
    }
    fields.update(overrides)
    program = program_service.create_program(session, data=ProgramCreate(**fields))
    session.commit()
    return program


def make_therapist(session: Session, **overrides: Any) -> Therapist:
    n = next(_seq)
    fields: dict[str, Any] = {
        "name": f"Therapist {n}",
        "email": f"therapist{n}@clinic.example.org",
        "kind": TherapistKind.volunteer,
        "time_zone": "America/Detroit",
        "licensed_states": ["MI"],
        "max_per_day": 4,
        "max_per_week": 12,
    }
    fields.update(overrides)
    therapist = Therapist(**fields)
    session.add(therapist)
    session.flush()
    session.add(AvailabilityWindow(therapist_id=therapist.id, weekday=1, start=_t(9), end=_t(12)))
    session.commit()
    return therapist


def make_resident(session: Session, program: Program, **overrides: Any) -> Resident:
    n = next(_seq)
    fields: dict[str, Any] = {
        "program_id": program.id,
        "external_id": f"E{n:05d}",
        "first_name": "Resident",
        "last_name": f"Number{n}",
        "email": f"resident{n}@hospital.example.org",
        "pgy": 1,
        "start_date": date(2026, 7, 1),
    }
    fields.update(overrides)
    resident = Resident(**fields)
    session.add(resident)
    session.commit()
    return resident


def make_staff(
    session: Session, role: Role, *, program: Program | None = None, therapist: Therapist | None = None
) -> Staff:
    n = next(_seq)
    account = auth_service.create_staff(
        session,
        data=StaffCreate(
            name=f"{role.value.title()} {n}",
            email=f"{role.value}{n}@staff.example.org",
            role=role,
            program_id=program.id if program else None,
            therapist_id=therapist.id if therapist else None,
        ),
    )
    _, token = auth_service.issue_token(session, staff_id=account.id)
    session.commit()
    return Staff(account=account, token=token)


def _t(hour: int, minute: int = 0) -> Any:
    from datetime import time

    return time(hour, minute)


def make_time_off(session: Session, therapist: Therapist, *, days_from_now: int = 30, days: int = 2) -> Any:
    """A period of time off (a TimeOff row) starting at a whole UTC hour ``days_from_now`` days ahead."""
    from datetime import UTC, datetime, timedelta

    from app.therapists.models import TimeOff

    starts_at = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=days_from_now)
    ends_at = starts_at + timedelta(days=days)
    time_off = TimeOff(therapist_id=therapist.id, starts_at=starts_at, ends_at=ends_at)
    session.add(time_off)
    session.commit()
    return time_off


# The residents of ../shared/samples/roster-export-style.csv (tests/fixtures/), spelled as that file spells
# them: (first name, last name, e-mail address, PGY, external id).
SAMPLE_ROSTER: tuple[tuple[str, str, str, int, str], ...] = (
    ("Adaeze", "Okafor", "a.okafor@hospital.example.org", 1, "E10231"),
    ("Siobhan", "O'Brien", "sobrien@hospital.example.org", 1, "E10232"),
    ("Thảo", "Nguyễn", "thao.nguyen@hospital.example.org", 2, "E10118"),
    ("José", "García-López", "jgarcia@hospital.example.org", 3, "E10007"),
    ("John", "Smith", "john.smith@hospital.example.org", 1, "E10233"),
    ("John", "Smith", "john.smith2@hospital.example.org", 2, "E10119"),
    ("Małgorzata", "Kowalczyk", "mkowalczyk@hospital.example.org", 4, "E09988"),
    ("Rohan", "Patel", "rpatel@hospital.example.org", 1, "E10240"),
    ("Wei", "Chen", "wei.chen@hospital.example.org", 2, "E10120"),
    ("Tamika", "Johnson", "tjohnson@hospital.example.org", 3, "E10008"),
    ("Mallory", '=HYPERLINK("http://x")', "mallory@hospital.example.org", 1, "E10241"),
    ("Fatima", "Ahmed", "fahmed@hospital.example.org", 5, "E09870"),
)


def make_sample_roster(session: Session, program: Program) -> dict[str, Resident]:
    """The sample roster's residents on ``program``, keyed by e-mail address."""
    return {
        email: make_resident(
            session, program, first_name=first, last_name=last, email=email, pgy=pgy, external_id=external_id
        )
        for first, last, email, pgy, external_id in SAMPLE_ROSTER
    }


@dataclass
class Schedule:
    """A programme, its coordinator and its residents by e-mail address, for call-schedule imports."""

    program: Program
    coordinator: Staff
    residents: dict[str, Resident]

    @property
    def url(self) -> str:
        return f"/programs/{self.program.id}/call-schedule"

    def id_of(self, email: str) -> int:
        return self.residents[email].id
