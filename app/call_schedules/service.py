"""Call schedules: importing residents' blackouts from Amion-style CSV or iCalendar, and listing them.

The rules of an import:

- **Format.** A file that begins with ``BEGIN:VCALENDAR`` is iCalendar (``ics``); anything else is an
  Amion-style CSV (``amion_csv``). Reading each is described in ``amion`` and ``ics``; turning wall times into
  UTC blackouts, 24-hour shifts and the post-call day in ``shifts``.
- **Who.** Only *active* residents of *this* programme can match.
  CSV: by the Email column when the row has one; if that address matches nobody, by the name (a warning
  says how many rows that happened to). Names match as ``names`` describes (diacritics, case and
  punctuation ignored; "Last, First" or "First Last").
  ICS: an event belongs to every resident whose address is one of its ATTENDEEs; an event with no resident
  among its attendees belongs to the resident whose e-mail address or name its SUMMARY contains. With
  ``resident_id`` (for one resident's own feed), every event belongs to that resident.
- **All or nothing.** Any bad row — an unreadable date or time, a name that matches nobody, a name that
  matches several residents (ambiguous: never guessed), a summary that names several residents — fails the
  whole file with every problem listed as ``{row, column, message}``; nothing is written. With
  ``skip_unmatched``, shifts that match *nobody* are skipped and counted in a warning instead (for feeds that
  also carry other people's events); ambiguous ones still fail the file, and so does a file in which
  nothing matches (it would otherwise clear the days it covers).
- **Re-import.** The file is the programme's whole schedule, *from that source*, for the days it covers:
  the local dates from its earliest to its latest shift start. Blackouts the file gives that are stored
  already are left alone (``unchanged``); new ones are added; stored blackouts of the same source, of any
  resident of the programme (of the ``resident_id`` resident only, when given), that belong to a covered
  day and that the file no longer gives are removed — so a swapped call frees the day. A blackout belongs
  to the local date it starts on; a post-call blackout to the day before (its 24-hour shift's day).
  Blackouts on other days, and those from the other source, are never touched. Importing the same file
  again therefore changes nothing.
- **Dry run** answers the same counts and writes nothing. A real import that adds or removes blackouts
  asks the scheduler for an auto-booking run of the programme.

Answers carry counts and warnings only: never a check-in, and no message quotes a name or an address.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.auth.models import StaffAccount
from app.auth.service import record_access
from app.booking import service as booking
from app.call_schedules import repository
from app.call_schedules.amion import parse_amion
from app.call_schedules.entries import Entry, ParsedSchedule, invalid_rows
from app.call_schedules.fetch import fetch_calendar
from app.call_schedules.ics import looks_like_calendar, parse_ics
from app.call_schedules.models import Blackout, BlackoutSource
from app.call_schedules.names import Matcher
from app.call_schedules.schemas import (
    BlackoutCounts,
    CallScheduleImportResult,
    CoveredDays,
)
from app.call_schedules.shifts import CALL, blackout_day
from app.call_schedules.upload import ScheduleUpload, decode
from app.db import utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.programs.models import Program
from app.programs.service import get_program
from app.uploads import RowError

log = logging.getLogger(__name__)

RECORD_KIND = "blackout"
BlackoutKey = tuple[int, datetime, datetime]


def import_call_schedule(
    session: Session,
    *,
    staff: StaffAccount,
    program_id: int,
    upload: ScheduleUpload,
    dry_run: bool = False,
    resident_id: int | None = None,
    skip_unmatched: bool = False,
    today: date | None = None,
) -> CallScheduleImportResult:
    """Import a programme's call schedule from an uploaded CSV or ICS file, all or nothing.

    The rules are in this module's docstring. ``today`` bounds the expansion of never-ending repeating
    events (default: today in UTC). Raises NotFound (unknown programme or resident), InvalidInput listing
    every bad row, UnsupportedMediaType for files that are not text, PayloadTooLarge, or Conflict when
    another import into the programme wrote at the same moment.
    """
    program = _program(session, program_id=program_id, lock=not dry_run)
    _check_resident(session, program_id=program_id, resident_id=resident_id)
    text = decode(upload.data)
    zone = ZoneInfo(program.time_zone)
    if upload.declared_calendar or looks_like_calendar(text):
        parsed = parse_ics(text, zone=zone, today=today or utcnow().date())
        source = BlackoutSource.ics
    else:
        if resident_id is not None:
            raise InvalidInput(
                "resident_id applies to calendar (.ics) imports only; a CSV schedule names a resident on "
                "every row."
            )
        parsed = parse_amion(text, zone=zone)
        source = BlackoutSource.amion_csv
    return _import(
        session,
        staff=staff,
        program=program,
        parsed=parsed,
        source=source,
        dry_run=dry_run,
        resident_id=resident_id,
        skip_unmatched=skip_unmatched,
    )


def import_call_schedule_url(
    session: Session,
    *,
    staff: StaffAccount,
    program_id: int,
    url: str,
    max_bytes: int,
    dry_run: bool = False,
    resident_id: int | None = None,
    skip_unmatched: bool = False,
    today: date | None = None,
) -> CallScheduleImportResult:
    """Fetch an iCalendar file from ``url`` (see ``fetch`` for the rules) and import it as an upload would be.

    The programme and resident are checked before anything is fetched.
    """
    _program(session, program_id=program_id, lock=False)
    _check_resident(session, program_id=program_id, resident_id=resident_id)
    data = fetch_calendar(url, max_bytes=max_bytes)
    if data.strip() and not looks_like_calendar(decode(data)):
        raise InvalidInput(
            "The URL did not return an iCalendar file (its text does not begin with BEGIN:VCALENDAR). "
            "Check that it is the calendar's export or subscription link."
        )
    return import_call_schedule(
        session,
        staff=staff,
        program_id=program_id,
        upload=ScheduleUpload(data, declared_calendar=True),
        dry_run=dry_run,
        resident_id=resident_id,
        skip_unmatched=skip_unmatched,
        today=today,
    )


def list_blackouts(
    session: Session,
    *,
    staff: StaffAccount,
    program_id: int,
    resident_id: int | None = None,
    source: BlackoutSource | None = None,
) -> list[Blackout]:
    """The programme's blackouts, optionally of one resident or one source (by resident, then start)."""
    get_program(session, program_id=program_id)
    if (
        resident_id is not None
        and repository.resident_active(session, program_id=program_id, resident_id=resident_id) is None
    ):
        raise NotFound(f"There is no resident with id {resident_id} in this programme.")
    found = repository.blackouts(session, program_id=program_id, source=source, resident_id=resident_id)
    record_access(session, staff=staff, action="list", record_kind=RECORD_KIND, program_id=program_id)
    return found


def remove_blackouts(
    session: Session,
    *,
    staff: StaffAccount,
    program_id: int,
    source: BlackoutSource,
    resident_id: int | None = None,
) -> int:
    """Delete every blackout of ``source`` in the programme (or of one resident); returns how many."""
    _program(session, program_id=program_id, lock=True)
    if (
        resident_id is not None
        and repository.resident_active(session, program_id=program_id, resident_id=resident_id) is None
    ):
        raise NotFound(f"There is no resident with id {resident_id} in this programme.")
    found = repository.blackouts(session, program_id=program_id, source=source, resident_id=resident_id)
    repository.delete_ids(session, [b.id for b in found])
    record_access(session, staff=staff, action="delete", record_kind=RECORD_KIND, program_id=program_id)
    log.info(
        "blackouts removed", extra={"program_id": program_id, "source": source.value, "removed": len(found)}
    )
    return len(found)


def _program(session: Session, *, program_id: int, lock: bool) -> Program:
    if not lock:
        return get_program(session, program_id=program_id)
    program = repository.lock_program(session, program_id=program_id)
    if program is None:
        raise NotFound(f"There is no programme with id {program_id}.")
    return program


def _check_resident(session: Session, *, program_id: int, resident_id: int | None) -> None:
    if resident_id is None:
        return
    active = repository.resident_active(session, program_id=program_id, resident_id=resident_id)
    if active is None:
        raise NotFound(f"There is no resident with id {resident_id} in this programme.")
    if not active:
        raise InvalidInput(f"Resident {resident_id} is not active; only active residents get blackouts.")


@dataclass
class _Resolution:
    """Shifts matched to residents: the blackouts wanted, and what went wrong."""

    wanted: dict[BlackoutKey, str] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    unmatched: int = 0
    by_name_after_email: int = 0


def _resolve(
    parsed: ParsedSchedule, *, matcher: Matcher, resident_id: int | None, skip_unmatched: bool
) -> _Resolution:
    result = _Resolution(errors=list(parsed.errors))
    for entry in parsed.entries:
        ids = _who(entry, matcher=matcher, resident_id=resident_id, result=result, skip=skip_unmatched)
        for rid in ids:
            for interval in entry.intervals:
                key = (rid, interval.starts_at, interval.ends_at)
                # Two entries may give the same span ("call" and a "post-call"); the call's label wins.
                if key not in result.wanted or interval.label == CALL:
                    result.wanted[key] = interval.label
    return result


def _who(
    entry: Entry, *, matcher: Matcher, resident_id: int | None, result: _Resolution, skip: bool
) -> list[int]:
    who = entry.who

    def nobody(column: str, message: str) -> list[int]:
        if skip:
            result.unmatched += 1
        else:
            result.errors.append(RowError(entry.row, column, message))
        return []

    if resident_id is not None:
        return [resident_id]
    if who.is_event:
        ids = sorted({rid for address in who.attendees if (rid := matcher.email(address)) is not None})
        if ids:
            return ids
        match = matcher.named_in(who.summary)
        if match.unique is not None:
            return [match.unique]
        if match.several_names:
            result.errors.append(
                RowError(
                    entry.row,
                    who.name_column,
                    "the summary names more than one resident; list the resident as an ATTENDEE instead",
                )
            )
            return []
        if match.ambiguous:
            result.errors.append(
                RowError(
                    entry.row,
                    who.name_column,
                    f"{len(match.resident_ids)} active residents of this programme have the name in the "
                    "summary; list the resident as an ATTENDEE (by e-mail address) instead",
                )
            )
            return []
        return nobody(
            who.email_column,
            "no attendee of this event is an active resident of this programme, and its summary names none",
        )
    if who.email:
        if (rid := matcher.email(who.email)) is not None:
            return [rid]
        if not who.name:
            return nobody(who.email_column, "no active resident of this programme has this e-mail address")
        result.by_name_after_email += 1
    match = matcher.name(who.name)
    if match.unique is not None:
        return [match.unique]
    if match.ambiguous:
        result.errors.append(
            RowError(
                entry.row,
                who.name_column,
                f"ambiguous: {len(match.resident_ids)} active residents of this programme have this name; "
                "add an Email column to tell them apart",
            )
        )
        return []
    also = " (nor this e-mail address)" if who.email else ""
    return nobody(who.name_column, f"no active resident of this programme has this name{also}")


def _import(
    session: Session,
    *,
    staff: StaffAccount,
    program: Program,
    parsed: ParsedSchedule,
    source: BlackoutSource,
    dry_run: bool,
    resident_id: int | None,
    skip_unmatched: bool,
) -> CallScheduleImportResult:
    zone = ZoneInfo(program.time_zone)
    matcher = Matcher.of(repository.active_people(session, program_id=program.id))
    resolution = _resolve(parsed, matcher=matcher, resident_id=resident_id, skip_unmatched=skip_unmatched)
    if resolution.errors:
        raise invalid_rows(resolution.errors)
    if not resolution.wanted:
        # Only with skip_unmatched: a file matching nobody (a roster that changed its addresses, the wrong
        # programme) would otherwise clear every blackout of the days it covers.
        raise InvalidInput(
            "None of the file's shifts belongs to an active resident of this programme; nothing was "
            "imported. Check that the roster is up to date and that this is the right programme's schedule."
        )
    first_day = min(entry.day for entry in parsed.entries)
    last_day = max(entry.day for entry in parsed.entries)

    stored = repository.blackouts(session, program_id=program.id, source=source, resident_id=resident_id)
    stored_by_key = {(b.resident_id, b.starts_at, b.ends_at): b for b in stored}
    created = [key for key in resolution.wanted if key not in stored_by_key]
    unchanged = [stored_by_key[key] for key in resolution.wanted if key in stored_by_key]
    removed = [
        b
        for key, b in stored_by_key.items()
        if key not in resolution.wanted and first_day <= blackout_day(b.starts_at, b.label, zone) <= last_day
    ]
    relabelled = [
        {"id": b.id, "label": label}
        for b in unchanged
        if b.label != (label := resolution.wanted[(b.resident_id, b.starts_at, b.ends_at)])
    ]
    if not dry_run:
        _apply(
            session,
            program_id=program.id,
            source=source,
            wanted=resolution.wanted,
            created=created,
            removed=removed,
            relabelled=relabelled,
        )
    record_access(
        session,
        staff=staff,
        action="preview import" if dry_run else "import",
        record_kind=RECORD_KIND,
        program_id=program.id,
    )
    log.info(
        "call schedule import",
        extra={
            "program_id": program.id,
            "source": source.value,
            "dry_run": dry_run,
            "shifts": len(parsed.entries),
            "blackouts_created": len(created),
            "blackouts_unchanged": len(unchanged),
            "blackouts_removed": len(removed),
        },
    )
    return CallScheduleImportResult(
        dry_run=dry_run,
        source=source,
        shifts=len(parsed.entries),
        residents_matched=len({key[0] for key in resolution.wanted}),
        blackouts=BlackoutCounts(created=len(created), unchanged=len(unchanged), removed=len(removed)),
        covered=CoveredDays(first=first_day, last=last_day),
        warnings=[*parsed.warnings, *_warnings(resolution)],
    )


def _warnings(resolution: _Resolution) -> list[str]:
    warnings = []
    if resolution.by_name_after_email:
        warnings.append(
            f"{resolution.by_name_after_email} row(s) had an e-mail address that matches no active resident; "
            "they were matched by name instead."
        )
    if resolution.unmatched:
        warnings.append(
            f"{resolution.unmatched} shift(s) or event(s) match no active resident of this programme and "
            "were skipped (skip_unmatched)."
        )
    return warnings


def _apply(
    session: Session,
    *,
    program_id: int,
    source: BlackoutSource,
    wanted: dict[BlackoutKey, str],
    created: list[BlackoutKey],
    removed: list[Blackout],
    relabelled: list[dict[str, Any]],
) -> None:
    now = utcnow()
    rows = [
        {
            "resident_id": rid,
            "source": source,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "label": wanted[(rid, starts_at, ends_at)],
            "created_at": now,
        }
        for rid, starts_at, ends_at in created
    ]
    try:
        # Removals first: a removed blackout is never one the file gives, so no insert can collide with it.
        repository.delete_ids(session, [b.id for b in removed])
        repository.relabel(session, relabelled)
        repository.insert_many(session, rows)
        session.flush()
    except IntegrityError:
        raise Conflict(
            "The programme's blackouts changed while this schedule was being imported; nothing was imported. "
            "Upload it again."
        ) from None
    if created or removed:
        # Check-ins booked before a newly imported call are freed by the booking side (the next run re-places
        # them); a resident freed from a removed call may now be bookable. This answer never hints at either.
        booking.residents_changed(session, resident_ids=sorted({rid for rid, _, _ in created}), now=now)
        booking.request_auto_booking(session, program_id=program_id, now=now)
