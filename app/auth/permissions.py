"""Who may call what. Every router declares its rule with one of these dependencies.

Coordinators and directors belong to exactly one programme; a therapist account is tied to one therapist.
Requests about someone else's programme or therapist record get 403 with a message that says why, and
reveal nothing about that other record.
"""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends

from app.auth.models import Role, StaffAccount
from app.deps import CurrentStaff, RecordId
from app.errors import Forbidden

StaffCheck = Callable[..., StaffAccount]


def require_roles(*roles: Role) -> StaffCheck:
    """Allow staff holding any of ``roles`` (programme-independent routes)."""

    def check(staff: CurrentStaff) -> StaffAccount:
        if staff.role not in roles:
            raise Forbidden(f"This action needs one of these roles: {', '.join(r.value for r in roles)}.")
        return staff

    return check


def require_program_role(*roles: Role) -> StaffCheck:
    """Allow admins (if listed) and, for programme roles, only staff of the programme in the path."""

    def check(program_id: RecordId, staff: CurrentStaff) -> StaffAccount:
        if staff.role not in roles:
            raise Forbidden(f"This action needs one of these roles: {', '.join(r.value for r in roles)}.")
        if staff.role in (Role.coordinator, Role.director) and staff.program_id != program_id:
            raise Forbidden("Your account belongs to a different programme.")
        return staff

    return check


def require_therapist_self_or_admin() -> StaffCheck:
    """Allow admins, and a therapist acting on their own record."""

    def check(therapist_id: RecordId, staff: CurrentStaff) -> StaffAccount:
        if staff.role == Role.admin:
            return staff
        if staff.role == Role.therapist and staff.therapist_id == therapist_id:
            return staff
        raise Forbidden("Only an administrator or the therapist themselves may do this.")

    return check


AdminOnly = Annotated[StaffAccount, Depends(require_roles(Role.admin))]
