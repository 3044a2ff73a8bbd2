"""Refuse JSON request bodies whose text is not Unicode: an unpaired surrogate written as an escape.

JSON may spell any UTF-16 code unit as an escape, so ``"\\ud800"`` is valid JSON that decodes to half a
surrogate pair: no UTF-8 text, no database and no e-mail can hold it, and pydantic-core fails on it with a
UnicodeEncodeError (a 500) instead of a validation error. Every JSON body is checked here, once, before any
endpoint reads it; one holding such a string (or object key) gets a 422 naming where it is, and nothing else
runs. Other bodies, and JSON that does not parse (the endpoint reports that), pass through unchanged.
"""

import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_SURROGATE = re.compile("[\ud800-\udfff]")
# A body that can hold a surrogate at all: an escape of one, or text that is not UTF-8 (UTF-16 or -32 JSON).
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def unpaired_surrogate(body: bytes) -> tuple[str, str] | None:
    """(field, message) for the first string or key in the JSON ``body`` holding an unpaired surrogate."""
    if _SURROGATE_ESCAPE.search(body) is None and json.detect_encoding(body) == "utf-8":
        return None
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return None  # not JSON: the endpoint says so
    # Depth-first without recursion: the parser accepts nesting deeper than Python's recursion limit.
    pending: list[tuple[tuple[str, ...], Any]] = [((), document)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            if (found := _SURROGATE.search(value)) is not None:
                return _located(path, found)
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                if (found := _SURROGATE.search(key)) is not None:
                    return _located(path, found, in_key=True)
                pending.append(((*path, key), item))
        elif isinstance(value, list):
            pending.extend(((*path, str(i)), item) for i, item in reversed(list(enumerate(value))))
    return None


def _located(path: tuple[str, ...], found: re.Match[str], *, in_key: bool = False) -> tuple[str, str]:
    field = ".".join(path).encode("utf-8", "backslashreplace").decode("utf-8")
    what = "a field name" if in_key else "the text"
    message = (
        f"{what} contains an unpaired surrogate (U+{ord(found.group()):04X}, character {found.start() + 1}), "
        "which is not Unicode text; remove it"
    )
    return field, message


class UnpairedSurrogateMiddleware:
    """422 for a JSON request body holding an unpaired surrogate (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _declares_json(scope):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
        if (problem := unpaired_surrogate(body)) is not None:
            await _refuse(send, *problem)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def _declares_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            media_type: bytes = value.split(b";")[0].strip().lower()
            return media_type == b"application/json" or media_type.endswith(b"+json")
    return False


async def _refuse(send: Send, field: str, message: str) -> None:
    # The shape of every other validation error (app.main): a summary and the field with its reason.
    body = json.dumps(
        {
            "detail": f"The request is not valid — {field or 'request'}: {message}",
            "errors": [{"field": field, "message": message}],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
