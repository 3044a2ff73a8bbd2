from fastapi import APIRouter, status

from app.auth import service
from app.auth.permissions import AdminOnly
from app.auth.schemas import StaffCreate, StaffOut, StaffUpdate, TokenCreate, TokenIssued, TokenOut
from app.deps import CurrentStaff, RecordId, SessionDep

router = APIRouter(tags=["staff access"])


@router.get("/me", response_model=StaffOut)
def who_am_i(staff: CurrentStaff) -> StaffOut:
    """The account the token belongs to."""
    return StaffOut.model_validate(staff)


@router.post("/staff", response_model=StaffOut, status_code=status.HTTP_201_CREATED)
def create_staff(data: StaffCreate, session: SessionDep, _: AdminOnly) -> StaffOut:
    return StaffOut.model_validate(service.create_staff(session, data=data))


@router.get("/staff", response_model=list[StaffOut])
def list_staff(session: SessionDep, _: AdminOnly) -> list[StaffOut]:
    return [StaffOut.model_validate(s) for s in service.list_staff(session)]


@router.patch("/staff/{staff_id}", response_model=StaffOut)
def update_staff(staff_id: RecordId, data: StaffUpdate, session: SessionDep, _: AdminOnly) -> StaffOut:
    return StaffOut.model_validate(service.update_staff(session, staff_id=staff_id, data=data))


@router.post("/staff/{staff_id}/tokens", response_model=TokenIssued, status_code=status.HTTP_201_CREATED)
def issue_token(staff_id: RecordId, data: TokenCreate, session: SessionDep, _: AdminOnly) -> TokenIssued:
    row, token = service.issue_token(session, staff_id=staff_id, label=data.label)
    return TokenIssued(**TokenOut.model_validate(row).model_dump(), token=token)


@router.get("/staff/{staff_id}/tokens", response_model=list[TokenOut])
def list_tokens(staff_id: RecordId, session: SessionDep, _: AdminOnly) -> list[TokenOut]:
    return [TokenOut.model_validate(t) for t in service.list_tokens(session, staff_id=staff_id)]


@router.delete("/tokens/{token_id}", response_model=TokenOut)
def revoke_token(token_id: RecordId, session: SessionDep, _: AdminOnly) -> TokenOut:
    return TokenOut.model_validate(service.revoke_token(session, token_id=token_id))
