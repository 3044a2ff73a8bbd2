from datetime import datetime
from functools import partial
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from app.auth.models import Role
from app.validation import check_plain_text, normalise_email

Email = Annotated[str, AfterValidator(normalise_email)]
# No control characters: PostgreSQL refuses NUL, and the others are never meant in a name or a label.
StaffName = Annotated[
    str, Field(min_length=1, max_length=200), AfterValidator(partial(check_plain_text, what="the name"))
]
TokenLabel = Annotated[str, AfterValidator(partial(check_plain_text, what="the label"))]


class StaffCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: StaffName
    email: Email
    role: Role
    program_id: int | None = Field(
        default=None, ge=1, le=2_147_483_647, description="Required for coordinators and directors."
    )
    therapist_id: int | None = Field(
        default=None, ge=1, le=2_147_483_647, description="Required for therapist accounts."
    )

    @model_validator(mode="after")
    def _links_match_role(self) -> "StaffCreate":
        needs_program = self.role in (Role.coordinator, Role.director)
        if needs_program != (self.program_id is not None):
            raise ValueError("program_id is required for coordinators and directors, and only for them")
        if (self.role == Role.therapist) != (self.therapist_id is not None):
            raise ValueError("therapist_id is required for therapist accounts, and only for them")
        return self


class StaffUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: StaffName | None = None
    active: bool | None = None


class StaffOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    email: str
    role: Role
    program_id: int | None
    therapist_id: int | None
    active: bool


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    label: TokenLabel = Field(default="", max_length=100)


class TokenOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    staff_id: int
    label: str
    created_at: datetime
    revoked_at: datetime | None


class TokenIssued(TokenOut):
    token: str = Field(description="Shown once. Store it now: Tend keeps only its hash.")
