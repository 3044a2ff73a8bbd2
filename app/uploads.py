"""Uploaded files, for every import (the roster, call schedules): out of the request, into text, and the
shape of a problem found in one of their rows.

A file comes as a multipart/form-data upload (the field ``file``) or as the request body itself, under one of
the media types the import accepts. What differs between imports — the media types, how to send the file, what
to do about one that is too large, how to export one that is not text — is given by the import as
``UploadRules``; the checks are the same for all. Nothing here logs, and no message quotes the file.
"""

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from app.errors import DomainError, InvalidInput, PayloadTooLarge, UnsupportedMediaType

# File signatures of formats coordinators most often send by mistake.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old-style Excel workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class UploadRules:
    """What one import accepts as a request body, and the wording of its answers where imports differ."""

    body_types: frozenset[str]  # Content-Types accepted for the file sent as the body itself
    how_to_send: str  # appended to every refusal of the request's form
    split_advice: str  # what to do with a file over the size limit
    not_json: str  # the refusal of a JSON body, without how_to_send


@dataclass(frozen=True)
class Upload:
    """An uploaded file's bytes, with the media type and file name its sender declared (if any)."""

    data: bytes
    media_type: str = ""  # of the body, or of the multipart part
    filename: str = ""  # multipart uploads only


@dataclass(frozen=True)
class RowError:
    """A problem in one place of an uploaded file: ``row`` is a CSV file's row or a calendar event's line."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


def too_large(max_bytes: int, *, split_advice: str) -> PayloadTooLarge:
    """The 413 for a file over the upload limit."""
    return PayloadTooLarge(f"The file is larger than the {max_bytes / 1_048_576:g} MB limit. {split_advice}")


async def read_upload(request: Request, *, rules: UploadRules, max_bytes: int) -> Upload:
    """The uploaded file (at most ``max_bytes``), or a 4xx saying how to send it."""
    media_type = _media_type(request.headers.get("content-type"))
    if media_type == "multipart/form-data":
        return await _from_multipart(request, rules=rules, max_bytes=max_bytes)
    if media_type in rules.body_types:
        data = bytearray()
        async for chunk in request.stream():
            data.extend(chunk)
            if len(data) > max_bytes:
                raise too_large(max_bytes, split_advice=rules.split_advice)
        return Upload(bytes(data), media_type=media_type)
    if media_type == "application/json" or media_type.endswith("+json"):
        raise UnsupportedMediaType(f"{rules.not_json} {rules.how_to_send}")
    if not media_type:
        raise UnsupportedMediaType("The request has no Content-Type. " + rules.how_to_send)
    raise UnsupportedMediaType(f"Content-Type '{media_type[:80]}' is not accepted here. " + rules.how_to_send)


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


async def _from_multipart(request: Request, *, rules: UploadRules, max_bytes: int) -> Upload:
    try:
        form = await request.form(max_files=1, max_fields=20)
    except HTTPException as exc:
        raise DomainError(
            f"The multipart upload could not be read ({str(exc.detail)[:200].rstrip('.')}). "
            + rules.how_to_send
        ) from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput(
                "The upload has no file in the field 'file' (or it was cut off). " + rules.how_to_send
            )
        data = await upload.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise too_large(max_bytes, split_advice=rules.split_advice)
        return Upload(data, media_type=_media_type(upload.content_type), filename=upload.filename or "")
    finally:
        await form.close()


def decode_text(data: bytes, *, empty: str, export_advice: str) -> str:
    """The file's text: 415 for files that are not text, 422 for empty files and text that is not UTF-8.

    ``empty`` is the whole message for an empty file; ``export_advice`` says how to save the file as text.
    A byte-order mark is dropped.
    """
    if not data.strip():
        raise InvalidInput(empty)
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise UnsupportedMediaType(f"This file looks like {kind}, not text. {export_advice}")
    if data.startswith(_UTF16_BOMS) or (b"\x00" in data[:4096] and _looks_utf16(data[:4096])):
        raise InvalidInput(
            'The file is saved as UTF-16 ("Unicode text"), not UTF-8. In your spreadsheet, choose '
            "File → Save As → 'CSV UTF-8 (comma delimited)' and upload that file."
        )
    if b"\x00" in data:
        raise UnsupportedMediaType(f"This file contains binary data, not text. {export_advice}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            f"The file is not UTF-8 text (the first character that is not is on line {line}); it was "
            "probably saved as 'CSV' in a Windows or Mac encoding. In your spreadsheet, choose "
            "File → Save As → 'CSV UTF-8 (comma delimited)' and upload that file."
        ) from None
    if not text.strip():
        raise InvalidInput(empty)
    return text


def _looks_utf16(sample: bytes) -> bool:
    # ASCII text in UTF-16 has a zero in every other byte.
    evens, odds = sample[0::2], sample[1::2]
    return max(evens.count(0), odds.count(0)) > len(sample) // 4


def openapi_file_body(*body_types: str) -> dict[str, Any]:
    """The OpenAPI ``requestBody`` of an import endpoint: a multipart upload or the file as the body."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
                **{media_type: {"schema": {"type": "string"}} for media_type in body_types},
            },
        }
    }
