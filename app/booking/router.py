from typing import Annotated

from fastapi import APIRouter, Depends

from app.auth.models import Role, StaffAccount
from app.auth.permissions import require_program_role
from app.booking import service
from app.booking.models import AutoBookingRun, RunKind
from app.booking.schemas import CoverageOut, RunReport, UnplacedOut
from app.db import utcnow
from app.deps import RecordId, SessionDep

router = APIRouter(prefix="/programs/{program_id}", tags=["auto-booking"])

CoverageReader = Annotated[StaffAccount, Depends(require_program_role(Role.admin, Role.coordinator))]
ProgramAdmin = Annotated[StaffAccount, Depends(require_program_role(Role.admin))]


def _report(run: AutoBookingRun) -> RunReport:
    return RunReport(
        id=run.id,
        kind=run.kind,
        started_at=run.started_at,
        finished_at=run.finished_at,
        eligible=run.eligible,
        booked=run.already_booked + run.placed,
        placed=run.placed,
        not_placed=run.not_placed,
        unplaced=[UnplacedOut.model_validate(u) for u in run.unplaced],
    )


@router.get("/coverage", response_model=CoverageOut)
def coverage(program_id: RecordId, session: SessionDep, _: CoverageReader) -> CoverageOut:
    """The latest auto-booking runs: eligible, booked, placed, not placed, and why any was not placed."""
    runs = service.coverage(session, program_id=program_id)
    return CoverageOut(program_id=program_id, runs=[_report(r) for r in runs])


@router.post("/auto-booking", response_model=RunReport)
def run_now(program_id: RecordId, session: SessionDep, _: ProgramAdmin) -> RunReport:
    """Run auto-booking for this programme now (the scheduler also runs it nightly and after changes)."""
    run = service.run_auto_booking(session, program_id=program_id, kind=RunKind.manual, now=utcnow())
    return _report(run)


@router.post("/auto-booking/replan", response_model=RunReport)
def replan(program_id: RecordId, session: SessionDep, _: ProgramAdmin) -> RunReport:
    """Re-plan the programme's future auto-booked check-ins from scratch (beyond the minimum notice)."""
    run = service.run_auto_booking(
        session, program_id=program_id, kind=RunKind.replan, now=utcnow(), replan=True
    )
    return _report(run)
