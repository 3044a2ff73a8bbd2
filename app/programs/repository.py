from sqlalchemy import select
from sqlalchemy.orm import Session

from app.programs.models import Program


def get(session: Session, *, program_id: int) -> Program | None:
    return session.get(Program, program_id)


def by_name(session: Session, *, name: str) -> Program | None:
    return session.scalars(select(Program).where(Program.name == name)).one_or_none()


def list_all(session: Session) -> list[Program]:
    return list(session.scalars(select(Program).order_by(Program.id)))
