"""Queries for staff accounts, tokens and audit events."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import ApiToken, AuditEvent, Role, StaffAccount


def staff_by_token_hash(session: Session, *, token_hash: str) -> StaffAccount | None:
    stmt = (
        select(StaffAccount)
        .join(ApiToken, ApiToken.staff_id == StaffAccount.id)
        .where(
            ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None), StaffAccount.active.is_(True)
        )
    )
    return session.scalars(stmt).one_or_none()


def get_staff(session: Session, *, staff_id: int) -> StaffAccount | None:
    return session.get(StaffAccount, staff_id)


def staff_by_email(session: Session, *, email: str) -> StaffAccount | None:
    return session.scalars(select(StaffAccount).where(StaffAccount.email == email)).one_or_none()


def list_staff(session: Session) -> list[StaffAccount]:
    return list(session.scalars(select(StaffAccount).order_by(StaffAccount.id)))


def count_active_admins(session: Session) -> int:
    stmt = (
        select(func.count())
        .select_from(StaffAccount)
        .where(StaffAccount.role == Role.admin, StaffAccount.active.is_(True))
    )
    return session.scalar(stmt) or 0


def get_token(session: Session, *, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


def tokens_of(session: Session, *, staff_id: int) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.staff_id == staff_id).order_by(ApiToken.id)))


def add_audit_event(session: Session, event: AuditEvent) -> None:
    session.add(event)


def list_audit_events(session: Session, *, limit: int) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)))
