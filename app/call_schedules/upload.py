"""Reading a call schedule out of an HTTP request, and its bytes into text.

The file comes as a multipart upload (field ``file``) or as the request body itself. Its format is decided
from the content: a file that begins with ``BEGIN:VCALENDAR`` is iCalendar, anything else is read as CSV.
A file *declared* as iCalendar (Content-Type ``text/calendar``, or an upload named ``*.ics``) that does not
look like one is reported as a malformed calendar rather than read as CSV.
"""

from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from app.errors import DomainError, InvalidInput, PayloadTooLarge, UnsupportedMediaType
from app.roster.csv_import import decode as decode_roster_text

BODY_TYPES = frozenset(
    {
        "text/csv",
        "application/csv",
        "text/plain",
        "text/calendar",
        "application/ics",
        "application/octet-stream",
    }
)
CALENDAR_TYPES = frozenset({"text/calendar", "application/ics"})
HOW_TO_SEND = (
    "Send the schedule as an Amion-style CSV file or an iCalendar (.ics) file: either a multipart/form-data "
    "upload with the file in the field 'file' (curl -F file=@schedule.csv …), or the file itself as the body "
    "with 'Content-Type: text/csv' or 'Content-Type: text/calendar' (curl --data-binary @schedule.ics …)."
)


@dataclass(frozen=True)
class ScheduleUpload:
    """The uploaded bytes, and whether the sender declared them to be iCalendar."""

    data: bytes
    declared_calendar: bool = False


def too_large(max_bytes: int) -> PayloadTooLarge:
    """The 413 for a schedule over the upload limit."""
    return PayloadTooLarge(
        f"The file is larger than the {max_bytes / 1_048_576:g} MB limit. Split the schedule into smaller "
        "files (by month, say)."
    )


async def read_schedule_upload(request: Request, *, max_bytes: int) -> ScheduleUpload:
    """The uploaded schedule (at most ``max_bytes``), or a 4xx saying how to send it."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        return await _from_multipart(request, max_bytes=max_bytes)
    if media_type in BODY_TYPES:
        data = bytearray()
        async for chunk in request.stream():
            data.extend(chunk)
            if len(data) > max_bytes:
                raise too_large(max_bytes)
        return ScheduleUpload(bytes(data), declared_calendar=media_type in CALENDAR_TYPES)
    if media_type == "application/json" or media_type.endswith("+json"):
        raise UnsupportedMediaType(
            "This endpoint takes a schedule file, not JSON (to import from a calendar URL, POST "
            '{"url": …} to …/call-schedule/ics-url). ' + HOW_TO_SEND
        )
    if not media_type:
        raise UnsupportedMediaType("The request has no Content-Type. " + HOW_TO_SEND)
    raise UnsupportedMediaType(f"Content-Type '{media_type[:80]}' is not accepted here. " + HOW_TO_SEND)


async def _from_multipart(request: Request, *, max_bytes: int) -> ScheduleUpload:
    try:
        form = await request.form(max_files=1, max_fields=20)
    except HTTPException:
        raise DomainError(
            "The multipart upload could not be read (it is malformed or incomplete). " + HOW_TO_SEND
        ) from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("The upload has no file in the field 'file'. " + HOW_TO_SEND)
        data = await upload.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise too_large(max_bytes)
        part_type = (upload.content_type or "").split(";")[0].strip().lower()
        named_ics = (upload.filename or "").lower().endswith((".ics", ".ical", ".ifb", ".icalendar"))
        return ScheduleUpload(data, declared_calendar=named_ics or part_type in CALENDAR_TYPES)
    finally:
        await form.close()


def decode(data: bytes) -> str:
    """The file's text: 422 when empty or not UTF-8, 415 when it is not text at all.

    The checks for binary files and encodings are the roster importer's; only the wording for a schedule
    differs.
    """
    if not data.strip():
        raise InvalidInput(
            "The file is empty. Upload the call schedule as an Amion-style CSV file (with a heading row) or "
            "an iCalendar (.ics) file."
        )
    try:
        text = decode_roster_text(data)
    except UnsupportedMediaType:
        raise UnsupportedMediaType(
            "This file is not text: it looks like a spreadsheet, a document or an image. Upload the call "
            "schedule as a CSV file (in Amion, export the report as CSV; in a spreadsheet, File → Save As → "
            "'CSV UTF-8') or as an iCalendar (.ics) file."
        ) from None
    if not text.strip():
        raise InvalidInput("The file is empty. Upload the call schedule as a CSV or iCalendar (.ics) file.")
    return text
