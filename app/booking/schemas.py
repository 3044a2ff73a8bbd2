from datetime import datetime

from pydantic import BaseModel, ConfigDict

from app.booking.models import RunKind


class UnplacedOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    resident_id: int
    reason: str


class RunReport(BaseModel):
    """One auto-booking run as a coordinator sees it: counts, and who could not be placed and why.

    ``booked`` counts every eligible resident holding this period's check-in, however it has gone since.
    """

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: RunKind
    started_at: datetime
    finished_at: datetime | None
    eligible: int
    booked: int
    placed: int
    not_placed: int
    unplaced: list[UnplacedOut]


class CoverageOut(BaseModel):
    program_id: int
    runs: list[RunReport]
