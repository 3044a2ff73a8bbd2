"""Demo data for the quick start: one programme, twenty residents, three therapists, staff of each role.

Seeding is idempotent: starting the demo again reuses the data and issues fresh tokens (older demo tokens
are revoked, so the printed ones are always the ones that work).
"""

import json
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import service as auth_service
from app.auth.models import ApiToken, Role, StaffAccount
from app.auth.schemas import StaffCreate
from app.db import utcnow
from app.programs import service as program_service
from app.programs.models import Program
from app.programs.schemas import CheckinPolicy, ProgramCreate
from app.roster.models import Resident
from app.therapists.models import AvailabilityWindow, Therapist, TherapistKind

DEMO_PROGRAM = "Internal Medicine Residency (demo)"
_RESIDENTS = [
    ("Adaeze", "Okafor", 1), ("Siobhan", "O'Brien", 1), ("Thảo", "Nguyễn", 2), ("José", "García-López", 3),
    ("John", "Smith", 1), ("Małgorzata", "Kowalczyk", 4), ("Rohan", "Patel", 1), ("Wei", "Chen", 2),
    ("Tamika", "Johnson", 3), ("Fatima", "Ahmed", 1), ("Lucas", "Moreau", 1), ("Amara", "Diallo", 2),
    ("Kenji", "Watanabe", 1), ("Ingrid", "Larsen", 1), ("Mateo", "Rossi", 2), ("Priya", "Raman", 1),
    ("Noah", "Goldberg", 3), ("Zainab", "Yusuf", 1), ("Elena", "Petrova", 2), ("Samuel", "Mensah", 1),
]  # fmt: skip
_THERAPISTS = [
    ("Dr. Ruth Alvarez", "ralvarez@counseling.example.org", "America/Detroit", TherapistKind.employed),
    ("Dr. Ben Okoro", "bokoro@counseling.example.org", "America/Chicago", TherapistKind.volunteer),
    ("Dr. Mei Lin", "mlin@counseling.example.org", "America/Los_Angeles", TherapistKind.volunteer),
]
_STAFF = [
    ("admin", "Wellness Office Admin", "admin@tend.example.org", Role.admin),
    ("coordinator", "Residency Coordinator", "coordinator@tend.example.org", Role.coordinator),
    ("director", "Programme Director", "director@tend.example.org", Role.director),
    ("therapist", "Dr. Ruth Alvarez", "ralvarez@counseling.example.org", Role.therapist),
]


@dataclass(frozen=True)
class DemoCredentials:
    tokens: dict[str, str]
    program_id: int

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"program_id": self.program_id, "tokens": self.tokens}, indent=2) + "\n")
        path.chmod(0o600)


def seed(session: Session) -> DemoCredentials:
    """Create the demo data if missing, and issue a fresh token for each demo staff account."""
    program = session.scalars(select(Program).where(Program.name == DEMO_PROGRAM)).one_or_none()
    if program is None:
        program = _seed_program(session)
    therapist = session.scalars(select(Therapist).where(Therapist.email == _THERAPISTS[0][1])).one()
    tokens: dict[str, str] = {}
    for key, name, email, role in _STAFF:
        staff = session.scalars(select(StaffAccount).where(StaffAccount.email == email)).one_or_none()
        if staff is None:
            staff = auth_service.create_staff(
                session,
                data=StaffCreate(
                    name=name,
                    email=email,
                    role=role,
                    program_id=program.id if role in (Role.coordinator, Role.director) else None,
                    therapist_id=therapist.id if role == Role.therapist else None,
                ),
            )
        for old in session.scalars(select(ApiToken).where(ApiToken.staff_id == staff.id)):
            old.revoked_at = old.revoked_at or utcnow()
        _, tokens[key] = auth_service.issue_token(session, staff_id=staff.id, label="demo")
    return DemoCredentials(tokens=tokens, program_id=program.id)


def _seed_program(session: Session) -> Program:
    program = program_service.create_program(
        session,
        data=ProgramCreate(
            name=DEMO_PROGRAM,
            time_zone="America/Detroit",
            state="MI",
            # A window of a whole year: "once per academic year, any time in it", so the demo books
            # everyone whatever the date it is started on.
            policy=CheckinPolicy(pgy_levels=[1, 2, 3, 4], window_days=366, duration_minutes=30),
        ),
    )
    for n, (first, last, pgy) in enumerate(_RESIDENTS, start=1):
        slug = f"{first[0]}{last}".lower().replace("'", "").encode("ascii", "ignore").decode()
        session.add(
            Resident(
                program_id=program.id,
                external_id=f"E{10000 + n}",
                first_name=first,
                last_name=last,
                email=f"{slug}@hospital.example.org",
                pgy=pgy,
                start_date=date(2027 - pgy, 7, 1),
                end_date=date(2029, 6, 30),
            )
        )
    for name, email, zone, kind in _THERAPISTS:
        therapist = Therapist(
            name=name,
            email=email,
            kind=kind,
            time_zone=zone,
            licensed_states=["MI"],
            max_per_day=6,
            max_per_week=20,
        )
        session.add(therapist)
        session.flush()
        for weekday in range(5):
            session.add(
                AvailabilityWindow(therapist_id=therapist.id, weekday=weekday, start=time(9), end=time(16))
            )
    session.flush()
    return program
