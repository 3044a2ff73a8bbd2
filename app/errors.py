"""Domain errors. Each carries the HTTP status it maps to and a message a person can act on.

Messages never name a resident, a therapist or a check-in: they are shown to staff and may end up in
screenshots or support tickets.
"""

from typing import Any


class DomainError(Exception):
    """Base class: a request that cannot be carried out, with a clear reason."""

    status_code = 400

    def __init__(self, message: str, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors


class InvalidInput(DomainError):
    status_code = 422


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Unauthorized(DomainError):
    status_code = 401


class Conflict(DomainError):
    status_code = 409


class PayloadTooLarge(DomainError):
    status_code = 413


class UnsupportedMediaType(DomainError):
    status_code = 415
