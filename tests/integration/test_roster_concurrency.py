"""Two imports into one programme at the same time never leave a half-applied or duplicated roster.

PostgreSQL: the second waits for the first (a lock on the programme row), then finds everything unchanged.
SQLite (the embedded default, one writer at a time): the second fails with a 409 asking to upload again.
"""

import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.auth.models import Role
from app.errors import Conflict
from app.roster import service
from app.roster.models import Resident
from app.roster.schemas import RosterImportResult
from tests.factories import make_program, make_staff

CSV = (
    b"External ID,First Name,Last Name,Email,PGY,Start Date\n"
    b"E1,Ada,Lovelace,ada@hospital.example.org,1,2026-07-01\n"
    b"E2,Grace,Hopper,grace@hospital.example.org,2,2025-07-01\n"
)


def test_concurrent_imports_are_serialised(
    session_factory: sessionmaker[Session], db: Session, dialect: str
) -> None:
    program = make_program(db)
    staff = make_staff(db, Role.coordinator, program=program).account

    def run(session: Session) -> RosterImportResult:
        return service.import_roster(
            session,
            staff=staff,
            program_id=program.id,
            data=CSV,
            dry_run=False,
            replace=False,
            max_bytes=10_000,
            max_rows=10,
        )

    first = session_factory()
    assert run(first).counts.created == 2  # holds the programme's lock until it commits
    results: dict[str, RosterImportResult | Conflict] = {}

    def second() -> None:
        with session_factory() as session:
            try:
                results["second"] = run(session)
                session.commit()
            except Conflict as exc:
                results["second"] = exc

    thread = threading.Thread(target=second)
    thread.start()
    thread.join(timeout=1)
    assert thread.is_alive(), "the second import should wait for the first"
    first.commit()
    first.close()
    thread.join(timeout=30)

    outcome = results["second"]
    if dialect == "postgresql":
        assert isinstance(outcome, RosterImportResult)
        assert outcome.counts.unchanged == 2
    else:
        assert isinstance(outcome, Conflict)
    count = db.scalar(select(func.count()).select_from(Resident).where(Resident.program_id == program.id))
    assert count == 2
