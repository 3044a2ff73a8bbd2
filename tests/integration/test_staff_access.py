"""Staff accounts and API tokens, as an administrator uses them."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import ApiToken, Role
from tests.factories import make_program, make_staff


def test_admin_creates_a_coordinator_and_issues_a_token_that_works(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    program = make_program(db)
    created = client.post(
        "/staff",
        headers=admin.headers,
        json={
            "name": "Casey",
            "email": " Casey@Hospital.example.org",
            "role": "coordinator",
            "program_id": program.id,
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["email"] == "casey@hospital.example.org"
    issued = client.post(
        f"/staff/{created.json()['id']}/tokens", headers=admin.headers, json={"label": "laptop"}
    )
    assert issued.status_code == 201
    token = issued.json()["token"]
    me = client.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["role"] == "coordinator"
    assert me.json()["program_id"] == program.id


def test_tokens_are_random_long_and_stored_only_as_hashes(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    staff_id = admin.account.id
    tokens = {
        client.post(f"/staff/{staff_id}/tokens", headers=admin.headers, json={}).json()["token"]
        for _ in range(5)
    }
    assert len(tokens) == 5
    # 32 random bytes, url-safe base64: 43 characters after the prefix, i.e. 256 bits (≥ 128 required).
    assert all(len(t.removeprefix("tend_")) >= 43 for t in tokens)
    stored = {row.token_hash for row in db.scalars(select(ApiToken))}
    assert not tokens & stored
    assert all(len(h) == 64 for h in stored)


def test_a_revoked_token_stops_working_at_once(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    other = make_staff(db, Role.admin)
    assert client.get("/me", headers=other.headers).status_code == 200
    token_id = db.scalars(select(ApiToken.id).where(ApiToken.staff_id == other.account.id)).one()
    assert client.delete(f"/tokens/{token_id}", headers=admin.headers).status_code == 200
    refused = client.get("/me", headers=other.headers)
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]


def test_a_deactivated_account_cannot_use_its_tokens(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    other = make_staff(db, Role.admin)
    assert (
        client.patch(f"/staff/{other.account.id}", headers=admin.headers, json={"active": False}).status_code
        == 200
    )
    assert client.get("/me", headers=other.headers).status_code == 401


def test_garbage_tokens_are_refused_with_a_clear_message(client: TestClient) -> None:
    for header in ("Bearer nope", "Bearer tend_" + "x" * 43, "Basic abc", "Bearer " + "tend_" * 100):
        response = client.get("/me", headers={"Authorization": header})
        assert response.status_code == 401
        assert "token" in response.json()["detail"].lower()


def test_staff_role_and_links_must_agree(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    base = {"name": "X", "email": "x@example.org"}
    for body in (
        {**base, "role": "coordinator"},  # no programme
        {**base, "role": "admin", "program_id": 1},
        {**base, "role": "therapist"},  # no therapist
        {**base, "role": "superuser"},
        {**base, "role": "admin", "email": "not-an-email"},
    ):
        response = client.post("/staff", headers=admin.headers, json=body)
        assert response.status_code == 422, body
        assert response.json()["detail"]


def test_staff_for_unknown_programme_or_duplicate_email(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    unknown = client.post(
        "/staff",
        headers=admin.headers,
        json={"name": "X", "email": "x@example.org", "role": "director", "program_id": 99999},
    )
    assert unknown.status_code == 422
    assert "99999" in unknown.json()["detail"]
    body = {"name": "Y", "email": "y@example.org", "role": "admin"}
    assert client.post("/staff", headers=admin.headers, json=body).status_code == 201
    again = client.post("/staff", headers=admin.headers, json={**body, "email": "Y@Example.org"})
    assert again.status_code == 409


def test_unknown_ids_are_404(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    assert client.patch("/staff/424242", headers=admin.headers, json={"active": False}).status_code == 404
    assert client.post("/staff/424242/tokens", headers=admin.headers, json={}).status_code == 404
    assert client.delete("/tokens/424242", headers=admin.headers).status_code == 404


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        # PostgreSQL refuses NUL: it must be a clear 422 here, not "a number is out of range" there.
        (
            "Casey\u0000Jones",
            "name: Value error, the name contains a control character (U+0000, character 6)",
        ),
        ("Casey\tJones", "the name contains a control character (U+0009"),
        ("Ca\u0085sey", "the name contains a control character (U+0085"),
        ("   ", "name: String should have at least 1 character"),
    ],
)
def test_a_staff_name_with_a_control_character_or_only_spaces_is_refused(
    client: TestClient, db: Session, name: str, fragment: str
) -> None:
    admin = make_staff(db, Role.admin)
    before = client.get("/staff", headers=admin.headers).json()

    created = client.post(
        "/staff", headers=admin.headers, json={"name": name, "email": "casey@x.example.org", "role": "admin"}
    )
    renamed = client.patch(f"/staff/{admin.account.id}", headers=admin.headers, json={"name": name})

    for response in (created, renamed):
        assert response.status_code == 422, response.text
        assert fragment in response.json()["detail"]
    assert client.get("/staff", headers=admin.headers).json() == before


def test_a_token_label_with_a_control_character_is_refused(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    response = client.post(
        f"/staff/{admin.account.id}/tokens", headers=admin.headers, json={"label": "lap\u0000top"}
    )
    assert response.status_code == 422
    assert "the label contains a control character (U+0000, character 4)" in response.json()["detail"]
    assert len(client.get(f"/staff/{admin.account.id}/tokens", headers=admin.headers).json()) == 1
