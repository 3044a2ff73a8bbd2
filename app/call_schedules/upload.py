"""Reading a call schedule out of an HTTP request, and its bytes into text.

The file comes as a multipart upload (field ``file``) or as the request body itself; the checks are those
of every import (``app.uploads``), with the schedule's wording. Its format is decided from the content: a
file that begins with ``BEGIN:VCALENDAR`` is iCalendar, anything else is read as CSV. A file *declared* as
iCalendar (Content-Type ``text/calendar``, or an upload named ``*.ics``) that does not look like one is
reported as a malformed calendar rather than read as CSV.
"""

from dataclasses import dataclass

from starlette.requests import Request

from app.uploads import UploadRules, decode_text, read_upload

CALENDAR_TYPES = frozenset({"text/calendar", "application/ics"})
CALENDAR_SUFFIXES = (".ics", ".ical", ".ifb", ".icalendar")
SCHEDULE_UPLOAD = UploadRules(
    body_types=frozenset(
        {"text/csv", "application/csv", "text/plain", "application/octet-stream", *CALENDAR_TYPES}
    ),
    how_to_send=(
        "Send the schedule as an Amion-style CSV file or an iCalendar (.ics) file: either a "
        "multipart/form-data upload with the file in the field 'file' (curl -F file=@schedule.csv …), or the "
        "file itself as the body with 'Content-Type: text/csv' or 'Content-Type: text/calendar' "
        "(curl --data-binary @schedule.ics …)."
    ),
    split_advice="Split the schedule into smaller files (by month, say).",
    not_json=(
        "This endpoint takes a schedule file, not JSON (to import from a calendar URL, POST "
        '{"url": …} to …/call-schedule/ics-url).'
    ),
)
_EMPTY = (
    "The file is empty. Upload the call schedule as an Amion-style CSV file (with a heading row) or an "
    "iCalendar (.ics) file."
)
_EXPORT_ADVICE = (
    "Upload the call schedule as a CSV file (in Amion, export the report as CSV; in a spreadsheet, File → "
    "Save As → 'CSV UTF-8') or as an iCalendar (.ics) file."
)


@dataclass(frozen=True)
class ScheduleUpload:
    """The uploaded bytes, and whether the sender declared them to be iCalendar."""

    data: bytes
    declared_calendar: bool = False


async def read_schedule_upload(request: Request, *, max_bytes: int) -> ScheduleUpload:
    """The uploaded schedule (at most ``max_bytes``), or a 4xx saying how to send it."""
    upload = await read_upload(request, rules=SCHEDULE_UPLOAD, max_bytes=max_bytes)
    named_ics = upload.filename.lower().endswith(CALENDAR_SUFFIXES)
    return ScheduleUpload(upload.data, declared_calendar=named_ics or upload.media_type in CALENDAR_TYPES)


def decode(data: bytes) -> str:
    """The file's text: 422 when empty or not UTF-8, 415 when it is not text at all."""
    return decode_text(data, empty=_EMPTY, export_advice=_EXPORT_ADVICE)
