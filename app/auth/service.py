"""Staff accounts and API tokens: issuing, checking and revoking."""

import hashlib
import secrets

from sqlalchemy.orm import Session

from app.auth import repository
from app.auth.models import ApiToken, AuditEvent, Role, StaffAccount
from app.auth.schemas import StaffCreate, StaffUpdate
from app.db import utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.programs.models import Program
from app.therapists.models import Therapist

TOKEN_PREFIX = "tend_"  # noqa: S105 - a prefix, not a secret


def hash_token(token: str) -> str:
    """SHA-256 of a token. Tokens carry 256 random bits, so a fast hash is enough to make a leak useless."""
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(session: Session, *, token: str) -> StaffAccount | None:
    """The active staff member holding this unrevoked token, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    return repository.staff_by_token_hash(session, token_hash=hash_token(token))


def create_staff(session: Session, *, data: StaffCreate) -> StaffAccount:
    """A new staff account; the programme or therapist it is tied to must exist."""
    if repository.staff_by_email(session, email=data.email) is not None:
        raise Conflict("A staff account with this e-mail address already exists.")
    if data.program_id is not None and session.get(Program, data.program_id) is None:
        raise InvalidInput(f"There is no programme with id {data.program_id}.")
    if data.therapist_id is not None and session.get(Therapist, data.therapist_id) is None:
        raise InvalidInput(f"There is no therapist with id {data.therapist_id}.")
    staff = StaffAccount(**data.model_dump())
    session.add(staff)
    session.flush()
    return staff


def get_staff(session: Session, *, staff_id: int) -> StaffAccount:
    """The staff account, or NotFound."""
    staff = repository.get_staff(session, staff_id=staff_id)
    if staff is None:
        raise NotFound(f"There is no staff account with id {staff_id}.")
    return staff


def list_staff(session: Session) -> list[StaffAccount]:
    """Every staff account, oldest first."""
    return repository.list_staff(session)


def update_staff(session: Session, *, staff_id: int, data: StaffUpdate) -> StaffAccount:
    """Rename or (de)activate an account. A deactivated account's tokens stop working at once."""
    staff = get_staff(session, staff_id=staff_id)
    deactivating_an_admin = data.active is False and staff.role == Role.admin and staff.active
    if deactivating_an_admin and repository.count_active_admins(session) <= 1:
        raise Conflict("This is the last active administrator; create another before deactivating this one.")
    for field, value in data.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(staff, field, value)
    session.flush()
    return staff


def issue_token(session: Session, *, staff_id: int, label: str = "") -> tuple[ApiToken, str]:
    """A new token for the account: the stored row and the plaintext, which is never stored."""
    get_staff(session, staff_id=staff_id)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(staff_id=staff_id, token_hash=hash_token(token), label=label)
    session.add(row)
    session.flush()
    return row, token


def list_tokens(session: Session, *, staff_id: int) -> list[ApiToken]:
    """The account's tokens (hashes never leave the database), revoked ones included."""
    get_staff(session, staff_id=staff_id)
    return repository.tokens_of(session, staff_id=staff_id)


def revoke_token(session: Session, *, token_id: int) -> ApiToken:
    """Revoke a token; it is refused from the next request on. Revoking twice is harmless."""
    token = repository.get_token(session, token_id=token_id)
    if token is None:
        raise NotFound(f"There is no API token with id {token_id}.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    session.flush()
    return token


def create_admin(session: Session, *, name: str, email: str) -> tuple[StaffAccount, str]:
    """The first administrator and a token for them (used by `tend create-admin`)."""
    staff = create_staff(session, data=StaffCreate(name=name, email=email, role=Role.admin))
    _, token = issue_token(session, staff_id=staff.id, label="created by tend create-admin")
    return staff, token


def record_access(
    session: Session, *, staff: StaffAccount, action: str, record_kind: str, program_id: int
) -> None:
    """Write an audit event for staff access to individual data (who, what kind, when — not what)."""
    repository.add_audit_event(
        session, AuditEvent(staff_id=staff.id, action=action, record_kind=record_kind, program_id=program_id)
    )
