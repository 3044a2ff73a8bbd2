"""Call schedules: a programme's coordinators (and administrators) import residents' blackouts and list them.

Directors and therapists have no access: a call schedule names residents. Nothing here ever shows a check-in.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from app.auth.models import Role, StaffAccount
from app.auth.permissions import require_program_role
from app.call_schedules import service
from app.call_schedules.models import BlackoutSource
from app.call_schedules.schemas import BlackoutOut, BlackoutsRemoved, CallScheduleImportResult, IcsUrlImport
from app.call_schedules.upload import ScheduleUpload, read_schedule_upload
from app.deps import RecordId, SessionDep, SettingsDep
from app.uploads import openapi_file_body

router = APIRouter(prefix="/programs/{program_id}", tags=["call schedules"])

ScheduleEditor = Annotated[StaffAccount, Depends(require_program_role(Role.admin, Role.coordinator))]
DryRun = Annotated[bool, Query(description="Preview the counts; write nothing.")]
ForResident = Annotated[
    int | None,
    Query(
        ge=1,
        le=2_147_483_647,
        description="Calendars only: every event belongs to this resident (one resident's own feed).",
    ),
]
SkipUnmatched = Annotated[
    bool,
    Query(
        description="Skip (and count) shifts or events that match no resident instead of failing the file."
    ),
]


async def schedule_file(request: Request, _: ScheduleEditor, settings: SettingsDep) -> ScheduleUpload:
    # Depends on ScheduleEditor so that a caller without access is refused before the body is read.
    return await read_schedule_upload(request, max_bytes=settings.max_upload_bytes)


_FILE_BODY = openapi_file_body("text/csv", "text/calendar")


@router.post("/call-schedule", response_model=CallScheduleImportResult, openapi_extra=_FILE_BODY)
def import_call_schedule(
    program_id: RecordId,
    session: SessionDep,
    staff: ScheduleEditor,
    upload: Annotated[ScheduleUpload, Depends(schedule_file)],
    dry_run: DryRun = False,
    resident_id: ForResident = None,
    skip_unmatched: SkipUnmatched = False,
) -> CallScheduleImportResult:
    """Import blackouts from an Amion-style CSV or an iCalendar file, all rows or none.

    Re-importing the same file changes nothing; an updated file replaces the blackouts of the days it covers.
    """
    return service.import_call_schedule(
        session,
        staff=staff,
        program_id=program_id,
        upload=upload,
        dry_run=dry_run,
        resident_id=resident_id,
        skip_unmatched=skip_unmatched,
    )


@router.post("/call-schedule/ics-url", response_model=CallScheduleImportResult)
def import_call_schedule_url(
    program_id: RecordId,
    data: IcsUrlImport,
    session: SessionDep,
    settings: SettingsDep,
    staff: ScheduleEditor,
    dry_run: DryRun = False,
    resident_id: ForResident = None,
    skip_unmatched: SkipUnmatched = False,
) -> CallScheduleImportResult:
    """Fetch an iCalendar file from an http(s) URL and import it as an uploaded one."""
    return service.import_call_schedule_url(
        session,
        staff=staff,
        program_id=program_id,
        url=data.url,
        max_bytes=settings.max_upload_bytes,
        dry_run=dry_run,
        resident_id=resident_id,
        skip_unmatched=skip_unmatched,
    )


@router.get("/blackouts", response_model=list[BlackoutOut])
def list_blackouts(
    program_id: RecordId,
    session: SessionDep,
    staff: ScheduleEditor,
    resident_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    source: BlackoutSource | None = None,
) -> list[BlackoutOut]:
    """The programme's blackouts (to check an import), optionally of one resident or one source."""
    found = service.list_blackouts(
        session, staff=staff, program_id=program_id, resident_id=resident_id, source=source
    )
    return [BlackoutOut.model_validate(b) for b in found]


@router.delete("/blackouts", response_model=BlackoutsRemoved)
def remove_blackouts(
    program_id: RecordId,
    session: SessionDep,
    staff: ScheduleEditor,
    source: Annotated[BlackoutSource, Query(description="Remove the blackouts imported from this source.")],
    resident_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
) -> BlackoutsRemoved:
    """Remove every blackout of one source (optionally of one resident) from the programme."""
    removed = service.remove_blackouts(
        session, staff=staff, program_id=program_id, source=source, resident_id=resident_id
    )
    return BlackoutsRemoved(removed=removed)
