"""The roster: coordinators (of their own programme) and administrators import, list, export and correct it.

Directors and therapists have no access: directors see only aggregates (PRODUCT.md), and neither needs to
know who is on a roster to do their job.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from app.auth.models import Role, StaffAccount
from app.auth.permissions import require_program_role
from app.csv_export import CSV_MEDIA_TYPE, encode_csv
from app.deps import SessionDep, SettingsDep
from app.roster import service
from app.roster.schemas import ResidentOut, ResidentUpdate, RosterImportResult
from app.roster.upload import read_roster_upload
from app.uploads import openapi_file_body

router = APIRouter(prefix="/programs/{program_id}", tags=["roster"])

RosterEditor = Annotated[StaffAccount, Depends(require_program_role(Role.admin, Role.coordinator))]


async def roster_file(request: Request, _: RosterEditor, settings: SettingsDep) -> bytes:
    # Depends on RosterEditor so that a caller without access is refused before the body is read.
    return await read_roster_upload(request, max_bytes=settings.max_upload_bytes)


_CSV_BODY = openapi_file_body("text/csv")


@router.post("/roster", response_model=RosterImportResult, openapi_extra=_CSV_BODY)
def import_roster(
    program_id: int,
    session: SessionDep,
    settings: SettingsDep,
    staff: RosterEditor,
    data: Annotated[bytes, Depends(roster_file)],
    dry_run: Annotated[bool, Query(description="Preview the changes; write nothing.")] = False,
    replace: Annotated[
        bool, Query(description="Deactivate active residents who are not in the file.")
    ] = False,
) -> RosterImportResult:
    """Import the roster from CSV (see PRODUCT.md → Formats): all rows or none."""
    return service.import_roster(
        session,
        staff=staff,
        program_id=program_id,
        data=data,
        dry_run=dry_run,
        replace=replace,
        max_bytes=settings.max_upload_bytes,
        max_rows=settings.max_roster_rows,
    )


@router.get("/residents", response_model=list[ResidentOut])
def list_residents(
    program_id: int,
    session: SessionDep,
    staff: RosterEditor,
    active: Annotated[bool | None, Query(description="Only active (true) or deactivated (false).")] = None,
) -> list[ResidentOut]:
    residents = service.list_residents(session, staff=staff, program_id=program_id, active=active)
    return [ResidentOut.model_validate(r) for r in residents]


@router.get(
    "/residents.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The roster in the import format."}},
)
def export_residents(
    program_id: int,
    session: SessionDep,
    staff: RosterEditor,
    active: Annotated[bool, Query(description="Active residents (true) or deactivated ones (false).")] = True,
) -> Response:
    text = service.export_roster(session, staff=staff, program_id=program_id, active=active)
    return Response(
        encode_csv(text),
        media_type=CSV_MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="roster-programme-{program_id}.csv"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/residents/{resident_id}", response_model=ResidentOut)
def get_resident(program_id: int, resident_id: int, session: SessionDep, staff: RosterEditor) -> ResidentOut:
    resident = service.get_resident(session, staff=staff, program_id=program_id, resident_id=resident_id)
    return ResidentOut.model_validate(resident)


@router.patch("/residents/{resident_id}", response_model=ResidentOut)
def update_resident(
    program_id: int, resident_id: int, data: ResidentUpdate, session: SessionDep, staff: RosterEditor
) -> ResidentOut:
    resident = service.update_resident(
        session, staff=staff, program_id=program_id, resident_id=resident_id, data=data
    )
    return ResidentOut.model_validate(resident)
