"""Reading the roster file out of an HTTP request: a multipart upload (field ``file``) or a text/csv body."""

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from app.errors import DomainError, InvalidInput, PayloadTooLarge, UnsupportedMediaType

CSV_BODY_TYPES = frozenset({"text/csv", "application/csv", "text/plain"})
HOW_TO_SEND = (
    "Send the roster as a CSV file: either a multipart/form-data upload with the file in the field 'file' "
    "(curl -F file=@roster.csv …), or the file itself as the body with 'Content-Type: text/csv' "
    "(curl -H 'Content-Type: text/csv' --data-binary @roster.csv …)."
)


def _too_large(max_bytes: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"The file is larger than the {max_bytes / 1_048_576:g} MB limit. "
        "Split the roster into smaller files."
    )


async def read_roster_upload(request: Request, *, max_bytes: int) -> bytes:
    """The uploaded file's bytes (at most ``max_bytes``), or a 4xx saying how to send it."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        return await _from_multipart(request, max_bytes=max_bytes)
    if media_type in CSV_BODY_TYPES:
        data = bytearray()
        async for chunk in request.stream():
            data.extend(chunk)
            if len(data) > max_bytes:
                raise _too_large(max_bytes)
        return bytes(data)
    if media_type in {"application/json"} or media_type.endswith("+json"):
        raise UnsupportedMediaType("This endpoint takes a CSV file, not JSON. " + HOW_TO_SEND)
    if not media_type:
        raise UnsupportedMediaType("The request has no Content-Type. " + HOW_TO_SEND)
    raise UnsupportedMediaType(f"Content-Type '{media_type[:80]}' is not accepted here. " + HOW_TO_SEND)


async def _from_multipart(request: Request, *, max_bytes: int) -> bytes:
    try:
        form = await request.form(max_files=1, max_fields=20)
    except HTTPException as exc:
        raise DomainError(
            f"The multipart upload could not be read ({str(exc.detail)[:200].rstrip('.')}). " + HOW_TO_SEND
        ) from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput(
                "The upload has no file in the field 'file' (or it was cut off). " + HOW_TO_SEND
            )
        data = await upload.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise _too_large(max_bytes)
        return data
    finally:
        await form.close()
