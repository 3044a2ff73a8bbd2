"""The roster: importing a programme's residents from CSV, listing, exporting and correcting them.

Every read or change of roster data by staff is written to the audit log. Nothing here logs a name or an
e-mail address; the import logs counts only.
"""

import logging
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.auth.models import StaffAccount
from app.auth.service import record_access
from app.booking import service as booking
from app.csv_export import render_csv
from app.db import utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.programs.service import get_program
from app.roster import fields, repository
from app.roster.csv_import import CANONICAL_HEADING, parse_roster
from app.roster.models import Resident
from app.roster.reconcile import ExistingResident, RosterPlan, plan_import
from app.roster.schemas import ResidentUpdate, RosterCounts, RosterEntry, RosterImportResult

log = logging.getLogger(__name__)

RECORD_KIND = "resident"
EXPORT_COLUMNS = ("external_id", "first_name", "last_name", "email", "pgy", "start_date", "end_date")


def import_roster(
    session: Session,
    *,
    staff: StaffAccount,
    program_id: int,
    data: bytes,
    dry_run: bool,
    replace: bool,
    max_bytes: int,
    max_rows: int,
) -> RosterImportResult:
    """Bring the programme's roster in line with an uploaded CSV file, all or nothing.

    Rows are matched to residents by external id, else by e-mail address (see ``reconcile`` for the
    rules). With ``dry_run`` nothing is written and the result shows what would happen; with ``replace``
    active residents absent from the file are deactivated. Raises NotFound for an unknown programme,
    PayloadTooLarge, UnsupportedMediaType, or InvalidInput listing every bad row.
    """
    if dry_run:
        get_program(session, program_id=program_id)
    elif repository.lock_program(session, program_id=program_id) is None:
        raise NotFound(f"There is no programme with id {program_id}.")
    parsed = parse_roster(data, max_bytes=max_bytes, max_rows=max_rows)
    existing = repository.snapshot(session, program_id=program_id)
    plan = plan_import(parsed.rows, existing, replace=replace, headings=parsed.headings)
    created_ids = {} if dry_run else _apply(session, program_id=program_id, plan=plan)
    record_access(
        session,
        staff=staff,
        action="preview import" if dry_run else "import",
        record_kind=RECORD_KIND,
        program_id=program_id,
    )
    log.info(
        "roster import",
        extra={
            "program_id": program_id,
            "dry_run": dry_run,
            "replace": replace,
            "residents_created": len(plan.create),
            "residents_updated": len(plan.update),
            "residents_unchanged": len(plan.unchanged),
            "residents_deactivated": len(plan.deactivate),
        },
    )
    return _result(plan, created_ids=created_ids, dry_run=dry_run, replace=replace, warnings=parsed.warnings)


def _apply(session: Session, *, program_id: int, plan: RosterPlan) -> dict[str, int]:
    """Write the plan; the ids of the created residents by e-mail address."""
    now = utcnow()
    created = [
        {
            "program_id": program_id,
            "external_id": row.external_id,
            "first_name": row.first_name,
            "last_name": row.last_name,
            "email": row.email,
            "pgy": row.pgy,
            "start_date": row.start_date,
            "end_date": row.end_date,
            "active": True,
            "deactivated_at": None,
            "created_at": now,
            "updated_at": now,
        }
        for row in plan.create
    ]
    updated: list[dict[str, Any]] = []
    for change in plan.update:
        values: dict[str, Any] = {"id": change.resident.id, **change.changes, "updated_at": now}
        if change.changes.get("active"):
            values["deactivated_at"] = None
        updated.append(values)
    deactivated = [
        {"id": r.id, "active": False, "deactivated_at": now, "updated_at": now} for r in plan.deactivate
    ]
    try:
        # Updates first: the plan never moves an e-mail address or external id onto one still in use, so
        # no statement can trip a unique constraint unless another transaction changed the roster meanwhile.
        repository.update_many(session, updated + deactivated)
        created_ids = repository.insert_many(session, program_id=program_id, rows=created)
    except IntegrityError:
        raise Conflict(
            "The roster changed while this file was being imported; nothing was imported. Upload it again."
        ) from None
    # Residents who leave keep no future check-ins (PRODUCT.md); newcomers and changes get booked soon.
    booking.residents_changed(session, resident_ids=[r.id for r in plan.deactivate], now=now)
    if created or updated or deactivated:
        booking.request_auto_booking(session, program_id=program_id, now=now)
    return created_ids


def _entry(row: int | None, resident: ExistingResident | None, **values: Any) -> RosterEntry:
    return RosterEntry(row=row, resident_id=resident.id if resident else None, **values)


def _result(
    plan: RosterPlan, *, created_ids: dict[str, int], dry_run: bool, replace: bool, warnings: list[str]
) -> RosterImportResult:
    def names(source: Any) -> dict[str, Any]:
        return {
            "external_id": source.external_id,
            "first_name": source.first_name,
            "last_name": source.last_name,
        }

    return RosterImportResult(
        dry_run=dry_run,
        replace=replace,
        counts=RosterCounts(
            created=len(plan.create),
            updated=len(plan.update),
            unchanged=len(plan.unchanged),
            deactivated=len(plan.deactivate),
        ),
        created=[
            RosterEntry(row=row.row, resident_id=created_ids.get(row.email), **names(row))
            for row in plan.create
        ],
        updated=[
            _entry(
                u.row.row,
                u.resident,
                **{**names(u.row), "external_id": u.row.external_id or u.resident.external_id},
                changes=sorted(u.changes),
            )
            for u in plan.update
        ],
        unchanged=[_entry(row.row, resident, **names(resident)) for row, resident in plan.unchanged],
        deactivated=[_entry(None, r, **names(r)) for r in plan.deactivate],
        warnings=warnings,
    )


def list_residents(
    session: Session, *, staff: StaffAccount, program_id: int, active: bool | None = None
) -> list[Resident]:
    """The programme's residents by name, optionally only the active (or only the deactivated) ones."""
    get_program(session, program_id=program_id)
    record_access(session, staff=staff, action="list", record_kind=RECORD_KIND, program_id=program_id)
    return repository.list_for_program(session, program_id=program_id, active=active)


def export_roster(session: Session, *, staff: StaffAccount, program_id: int, active: bool = True) -> str:
    """The roster as CSV in the import format (re-importing it changes nothing), formulas neutralised."""
    get_program(session, program_id=program_id)
    record_access(session, staff=staff, action="export", record_kind=RECORD_KIND, program_id=program_id)
    residents = repository.list_for_program(session, program_id=program_id, active=active)
    return render_csv(
        [CANONICAL_HEADING[name] for name in EXPORT_COLUMNS],
        ([getattr(r, name) for name in EXPORT_COLUMNS] for r in residents),
    )


def _resident(session: Session, *, program_id: int, resident_id: int) -> Resident:
    get_program(session, program_id=program_id)
    resident = repository.get(session, program_id=program_id, resident_id=resident_id)
    if resident is None:
        raise NotFound(f"There is no resident with id {resident_id} in this programme.")
    return resident


def get_resident(session: Session, *, staff: StaffAccount, program_id: int, resident_id: int) -> Resident:
    """One resident of the programme; NotFound for residents of other programmes too."""
    resident = _resident(session, program_id=program_id, resident_id=resident_id)
    record_access(session, staff=staff, action="view", record_kind=RECORD_KIND, program_id=program_id)
    return resident


def update_resident(
    session: Session, *, staff: StaffAccount, program_id: int, resident_id: int, data: ResidentUpdate
) -> Resident:
    """Correct a resident's name, e-mail address, PGY level, dates or external id.

    The values are validated as an import validates them; an e-mail address or external id that another
    resident of the programme already has is a Conflict.
    """
    resident = _resident(session, program_id=program_id, resident_id=resident_id)
    changes = data.model_dump(exclude_unset=True)
    start = changes.get("start_date", resident.start_date)
    end = changes.get("end_date", resident.end_date)
    try:
        fields.check_dates(start, end)
    except ValueError as exc:
        raise InvalidInput(f"The resident cannot be saved: {exc}.") from None
    email = changes.get("email")
    if email is not None and repository.email_taken(
        session, program_id=program_id, email=email, other_than=resident.id
    ):
        raise Conflict("Another resident of this programme already has this e-mail address.")
    external_id = changes.get("external_id")
    if external_id is not None and repository.external_id_taken(
        session, program_id=program_id, external_id=external_id, other_than=resident.id
    ):
        raise Conflict("Another resident of this programme already has this external id.")
    for name, value in changes.items():
        setattr(resident, name, value)
    record_access(session, staff=staff, action="update", record_kind=RECORD_KIND, program_id=program_id)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("The roster changed while this correction was being saved; try again.") from None
    if changes.keys() & {"pgy", "start_date", "end_date"}:
        # Eligibility, the window or the last day may have changed: free what no longer fits, look again soon.
        booking.residents_changed(session, resident_ids=[resident.id], now=utcnow())
        booking.request_auto_booking(session, program_id=program_id, now=utcnow())
    return resident
