"""Reading the roster file out of an HTTP request: a multipart upload (field ``file``) or a text/csv body.

The checks are those of every import (``app.uploads``); only the wording is the roster's.
"""

from starlette.requests import Request

from app.uploads import UploadRules, read_upload

ROSTER_UPLOAD = UploadRules(
    body_types=frozenset({"text/csv", "application/csv", "text/plain"}),
    how_to_send=(
        "Send the roster as a CSV file: either a multipart/form-data upload with the file in the field "
        "'file' (curl -F file=@roster.csv …), or the file itself as the body with 'Content-Type: text/csv' "
        "(curl -H 'Content-Type: text/csv' --data-binary @roster.csv …)."
    ),
    split_advice="Split the roster into smaller files.",
    not_json="This endpoint takes a CSV file, not JSON.",
)


async def read_roster_upload(request: Request, *, max_bytes: int) -> bytes:
    """The uploaded file's bytes (at most ``max_bytes``), or a 4xx saying how to send it."""
    upload = await read_upload(request, rules=ROSTER_UPLOAD, max_bytes=max_bytes)
    return upload.data
