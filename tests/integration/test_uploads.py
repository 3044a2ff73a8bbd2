"""The roster and call-schedule imports read files through one module (app.uploads): the same checks, each in
its own words."""

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.config import Settings
from tests.factories import make_program, make_staff


@dataclass(frozen=True)
class Import:
    path: str
    what: str  # how its messages name the file
    split_advice: str


IMPORTS = [
    Import("roster", "roster", "Split the roster into smaller files."),
    Import("call-schedule", "schedule", "Split the schedule into smaller files (by month, say)."),
]


@pytest.fixture(params=IMPORTS, ids=[i.path for i in IMPORTS])
def target(request: pytest.FixtureRequest, db: Session) -> tuple[Import, str, dict[str, str]]:
    program = make_program(db)
    coordinator = make_staff(db, Role.coordinator, program=program)
    chosen: Import = request.param
    return chosen, f"/programs/{program.id}/{chosen.path}", coordinator.headers


def test_two_files_in_one_upload_are_refused_with_the_reason(
    client: TestClient, target: tuple[Import, str, dict[str, str]]
) -> None:
    chosen, url, headers = target
    files = [("file", ("a.csv", b"x", "text/csv")), ("file", ("b.csv", b"y", "text/csv"))]

    response = client.post(url, headers=headers, files=files)

    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("The multipart upload could not be read (Too many files")
    assert f"Send the {chosen.what}" in detail


def test_an_upload_without_the_file_field_says_how_to_send_it(
    client: TestClient, target: tuple[Import, str, dict[str, str]]
) -> None:
    chosen, url, headers = target

    response = client.post(url, headers=headers, files={"other": ("a.csv", b"x", "text/csv")})

    assert response.status_code == 422
    assert "no file in the field 'file'" in response.json()["detail"]
    assert f"Send the {chosen.what}" in response.json()["detail"]


def test_a_json_body_is_refused_in_the_imports_words(
    client: TestClient, target: tuple[Import, str, dict[str, str]]
) -> None:
    chosen, url, headers = target

    response = client.post(url, headers=headers, json={"rows": []})

    assert response.status_code == 415
    assert "not JSON" in response.json()["detail"] and f"Send the {chosen.what}" in response.json()["detail"]


@pytest.mark.parametrize("as_file", [True, False], ids=["multipart", "body"])
def test_a_file_over_the_limit_is_a_413_with_the_imports_advice(
    client: TestClient, settings: Settings, target: tuple[Import, str, dict[str, str]], as_file: bool
) -> None:
    chosen, url, headers = target
    data = b"x" * (settings.max_upload_bytes + 1)

    if as_file:
        response = client.post(url, headers=headers, files={"file": ("big.csv", data, "text/csv")})
    else:
        response = client.post(url, headers={**headers, "Content-Type": "text/csv"}, content=data)

    assert response.status_code == 413
    assert response.json()["detail"].endswith(chosen.split_advice)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(b"%PDF-1.7\n", "a PDF document, not text"), (b"a,b\n\x00\x00\x01", "binary data, not text")],
    ids=["pdf", "nul-bytes"],
)
def test_a_file_that_is_not_text_is_a_415_saying_how_to_export_it(
    client: TestClient, target: tuple[Import, str, dict[str, str]], content: bytes, fragment: str
) -> None:
    _, url, headers = target

    response = client.post(url, headers={**headers, "Content-Type": "text/csv"}, content=content)

    assert response.status_code == 415
    assert fragment in response.json()["detail"] and "CSV UTF-8" in response.json()["detail"]
