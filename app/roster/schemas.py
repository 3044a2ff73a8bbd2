"""Residents as the API shows them, the coordinator's corrections, and the result of a roster import."""

from datetime import date, datetime
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from app.roster import fields


def _name(value: Any) -> Any:
    return fields.clean_name(value) if isinstance(value, str) else value


def _email(value: Any) -> Any:
    return fields.clean_email(value) if isinstance(value, str) else value


def _external_id(value: Any) -> Any:
    return fields.clean_external_id(value) if isinstance(value, str) else value


def _pgy(value: Any) -> Any:
    return fields.parse_pgy(value) if isinstance(value, str | int) and not isinstance(value, bool) else value


def _date(value: Any) -> Any:
    return fields.parse_date(value) if isinstance(value, str) else value


Name = Annotated[str, BeforeValidator(_name)]
Email = Annotated[str, BeforeValidator(_email)]
ExternalId = Annotated[str | None, BeforeValidator(_external_id)]
Pgy = Annotated[int, BeforeValidator(_pgy)]
# The range is checked after parsing too: JSON may give a date as a number (seconds since 1970).
RosterDate = Annotated[date, BeforeValidator(_date), AfterValidator(fields.check_date_range)]

_REQUIRED = ("first_name", "last_name", "email", "pgy", "start_date")


class ResidentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    program_id: int
    external_id: str | None
    first_name: str
    last_name: str
    email: str
    pgy: int
    start_date: date
    end_date: date | None
    active: bool
    deactivated_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ResidentUpdate(BaseModel):
    """A coordinator's correction: any of these fields; validated as the roster import validates them.

    ``external_id`` and ``end_date`` may be set to null to clear them; the other fields are required.
    Dates may be written as 2026-07-01 or 7/1/2026.
    """

    model_config = ConfigDict(extra="forbid")

    external_id: ExternalId = None
    first_name: Name | None = None
    last_name: Name | None = None
    email: Email | None = None
    pgy: Pgy | None = None
    start_date: RosterDate | None = None
    end_date: RosterDate | None = None

    @model_validator(mode="after")
    def _required_not_cleared(self) -> Self:
        cleared = [
            name for name in _REQUIRED if name in self.model_fields_set and getattr(self, name) is None
        ]
        if cleared:
            raise ValueError(f"{', '.join(cleared)} cannot be empty")
        return self


class RosterEntry(BaseModel):
    """One resident in an import's result. ``row`` is the file's row; ``resident_id`` is known once stored."""

    row: int | None = None
    resident_id: int | None = None
    external_id: str | None
    first_name: str
    last_name: str
    changes: list[str] = Field(
        default=[], description="For updated residents: the fields that changed ('active' = reactivated)."
    )


class RosterCounts(BaseModel):
    created: int
    updated: int
    unchanged: int
    deactivated: int


class RosterImportResult(BaseModel):
    """What an import did — or, for a dry run, what it would do; nothing is written by a dry run."""

    dry_run: bool
    replace: bool
    counts: RosterCounts
    created: list[RosterEntry]
    updated: list[RosterEntry]
    unchanged: list[RosterEntry]
    deactivated: list[RosterEntry] = Field(
        description="Active residents absent from the file (only with replace=true)."
    )
    warnings: list[str] = Field(description="For example, columns that were not recognised and were ignored.")
