from typing import Annotated

from fastapi import APIRouter, Depends, status

from app.auth.models import Role, StaffAccount
from app.auth.permissions import AdminOnly, require_program_role
from app.deps import CurrentStaff, RecordId, SessionDep
from app.programs import service
from app.programs.schemas import ProgramCreate, ProgramOut, ProgramUpdate

router = APIRouter(prefix="/programs", tags=["programmes"])

ProgramReader = Annotated[
    StaffAccount, Depends(require_program_role(Role.admin, Role.coordinator, Role.director))
]


@router.post("", response_model=ProgramOut, status_code=status.HTTP_201_CREATED)
def create_program(data: ProgramCreate, session: SessionDep, _: AdminOnly) -> ProgramOut:
    return ProgramOut.model_validate(service.create_program(session, data=data))


@router.get("", response_model=list[ProgramOut])
def list_programs(session: SessionDep, staff: CurrentStaff) -> list[ProgramOut]:
    return [ProgramOut.model_validate(p) for p in service.list_programs(session, staff=staff)]


@router.get("/{program_id}", response_model=ProgramOut)
def get_program(program_id: RecordId, session: SessionDep, _: ProgramReader) -> ProgramOut:
    return ProgramOut.model_validate(service.get_program(session, program_id=program_id))


@router.patch("/{program_id}", response_model=ProgramOut)
def update_program(
    program_id: RecordId, data: ProgramUpdate, session: SessionDep, _: AdminOnly
) -> ProgramOut:
    return ProgramOut.model_validate(service.update_program(session, program_id=program_id, data=data))
