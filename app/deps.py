"""Request dependencies: the database session and the authenticated staff member."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.auth import service as auth_service
from app.auth.models import StaffAccount
from app.config import Settings
from app.db import transaction
from app.errors import Unauthorized


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request, committed when the handler returns and before the response is sent."""
    with transaction(request.app.state.session_factory) as session:
        yield session


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# scope="function": commit before the response leaves, so a failed commit is never reported as success.
# Ids in paths: positive and within a 32-bit integer column, so an absurd id is a 422, not a database error.
RecordId = Annotated[int, Path(ge=1, le=2_147_483_647)]

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]

_bearer = HTTPBearer(auto_error=False, description="A staff API token: `Authorization: Bearer tend_…`")


def current_staff(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> StaffAccount:
    """The staff member whose token came with the request, or 401."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Send a staff API token as 'Authorization: Bearer <token>'.")
    staff = auth_service.authenticate(session, token=credentials.credentials)
    if staff is None:
        raise Unauthorized("This API token is not valid or has been revoked.")
    return staff


CurrentStaff = Annotated[StaffAccount, Depends(current_staff)]
