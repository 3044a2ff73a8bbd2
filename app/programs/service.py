"""Programmes: created and configured by administrators; visible to their own coordinators and directors."""

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.auth.models import Role, StaffAccount
from app.booking import repository as booking_requests
from app.db import utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.programs import repository
from app.programs.models import Program
from app.programs.schemas import CheckinPolicy, ProgramCreate, ProgramUpdate


def get_program(session: Session, *, program_id: int) -> Program:
    """The programme, or NotFound."""
    program = repository.get(session, program_id=program_id)
    if program is None:
        raise NotFound(f"There is no programme with id {program_id}.")
    return program


def list_programs(session: Session, *, staff: StaffAccount) -> list[Program]:
    """All programmes for administrators and therapists; a coordinator's or director's own otherwise."""
    if staff.role in (Role.coordinator, Role.director):
        return [get_program(session, program_id=staff.program_id)] if staff.program_id else []
    return repository.list_all(session)


def create_program(session: Session, *, data: ProgramCreate) -> Program:
    """A new programme with its check-in policy."""
    if repository.by_name(session, name=data.name) is not None:
        raise Conflict(f"A programme named '{data.name}' already exists.")
    program = Program(
        name=data.name, time_zone=data.time_zone, state=data.state, policy=data.policy.model_dump(mode="json")
    )
    session.add(program)
    session.flush()
    return program


def update_program(session: Session, *, program_id: int, data: ProgramUpdate) -> Program:
    """Change a programme's name, zone, state or (whole) policy."""
    program = get_program(session, program_id=program_id)
    if data.name is not None and data.name != program.name:
        if repository.by_name(session, name=data.name) is not None:
            raise Conflict(f"A programme named '{data.name}' already exists.")
        program.name = data.name
    if data.time_zone is not None:
        program.time_zone = data.time_zone
    if data.state is not None:
        program.state = data.state
    if data.policy is not None:
        program.policy = merged_policy(program.policy, data.policy).model_dump(mode="json")
    session.flush()
    # Policy, zone or state may let more residents be booked; existing check-ins are kept as booked (an
    # administrator can ask for a full re-plan).
    booking_requests.request_run(session, program_id=program.id, at=utcnow())
    return program


def merged_policy(current: dict[str, Any], changes: dict[str, Any]) -> CheckinPolicy:
    """The stored policy with ``changes`` applied, validated as a whole; InvalidInput naming each problem."""
    try:
        return CheckinPolicy.model_validate({**current, **changes})
    except ValidationError as exc:
        errors = [
            {"field": ".".join(["policy", *(str(p) for p in e["loc"])]), "message": e["msg"]}
            for e in exc.errors()
        ]
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        raise InvalidInput(f"The policy is not valid — {summary}", errors=errors) from None
