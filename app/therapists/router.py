"""Therapists: administrators register and configure them; a therapist reads their own record and keeps
their weekly availability and time off up to date. Capacity, licences and exclusions stay with admins."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app.auth.models import StaffAccount
from app.auth.permissions import AdminOnly, require_therapist_self_or_admin
from app.deps import RecordId, SessionDep
from app.therapists import service
from app.therapists.schemas import (
    AvailabilityIn,
    ExclusionsIn,
    TherapistCreate,
    TherapistOut,
    TherapistUpdate,
    TimeOffIn,
    TimeOffOut,
)

router = APIRouter(prefix="/therapists", tags=["therapists"])

SelfOrAdmin = Annotated[StaffAccount, Depends(require_therapist_self_or_admin())]


@router.post("", response_model=TherapistOut, status_code=status.HTTP_201_CREATED)
def create_therapist(data: TherapistCreate, session: SessionDep, _: AdminOnly) -> TherapistOut:
    return TherapistOut.of(service.create_therapist(session, data=data))


@router.get("", response_model=list[TherapistOut])
def list_therapists(session: SessionDep, _: AdminOnly, active: bool | None = None) -> list[TherapistOut]:
    """All therapists; `?active=true` or `?active=false` to see only current or only removed ones."""
    return [TherapistOut.of(t) for t in service.list_therapists(session, active=active)]


@router.get("/{therapist_id}", response_model=TherapistOut)
def get_therapist(therapist_id: RecordId, session: SessionDep, _: SelfOrAdmin) -> TherapistOut:
    return TherapistOut.of(service.get_therapist(session, therapist_id=therapist_id))


@router.patch("/{therapist_id}", response_model=TherapistOut)
def update_therapist(
    therapist_id: RecordId, data: TherapistUpdate, session: SessionDep, _: AdminOnly
) -> TherapistOut:
    """Change details, capacity or licences; `active: false` removes the therapist from scheduling."""
    return TherapistOut.of(service.update_therapist(session, therapist_id=therapist_id, data=data))


@router.put("/{therapist_id}/availability", response_model=TherapistOut)
def set_availability(
    therapist_id: RecordId, data: AvailabilityIn, session: SessionDep, _: SelfOrAdmin
) -> TherapistOut:
    """Replace the whole weekly availability (local wall time in the therapist's time zone)."""
    return TherapistOut.of(service.set_availability(session, therapist_id=therapist_id, data=data))


@router.post("/{therapist_id}/time-off", response_model=TimeOffOut, status_code=status.HTTP_201_CREATED)
def add_time_off(therapist_id: RecordId, data: TimeOffIn, session: SessionDep, _: SelfOrAdmin) -> TimeOffOut:
    """Record a period away; no check-in is booked inside it."""
    return TimeOffOut.model_validate(service.add_time_off(session, therapist_id=therapist_id, data=data))


@router.delete("/{therapist_id}/time-off/{time_off_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_time_off(
    therapist_id: RecordId, time_off_id: RecordId, session: SessionDep, _: SelfOrAdmin
) -> Response:
    service.remove_time_off(session, therapist_id=therapist_id, time_off_id=time_off_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/{therapist_id}/exclusions", response_model=TherapistOut)
def set_exclusions(
    therapist_id: RecordId, data: ExclusionsIn, session: SessionDep, _: AdminOnly
) -> TherapistOut:
    """Replace the programmes this therapist is never booked for (they teach or supervise there)."""
    return TherapistOut.of(service.set_exclusions(session, therapist_id=therapist_id, data=data))
