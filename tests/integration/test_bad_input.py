"""Malformed, hostile and oversized requests get a clear 4xx, never a 500, and change nothing."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.models import Role
from tests.factories import make_staff


def test_malformed_json_is_a_clear_422(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    response = client.post(
        "/programs", headers={**admin.headers, "Content-Type": "application/json"}, content=b'{"name": '
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]


def test_validation_errors_do_not_echo_submitted_values(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    response = client.post(
        "/staff",
        headers=admin.headers,
        json={"name": "Secret Person", "email": "secret.person@x", "role": "admin"},
    )
    assert response.status_code == 422
    assert "Secret Person" not in response.text


def test_oversized_bodies_are_refused_before_reading(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    big = b"x" * (11 * 1024 * 1024)
    response = client.post(
        "/programs", headers={**admin.headers, "Content-Type": "application/json"}, content=big
    )
    assert response.status_code == 413
    assert "MB" in response.json()["detail"]


def test_non_numeric_ids_are_422_not_500(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    assert client.get("/programs/abc", headers=admin.headers).status_code == 422
    assert client.get("/programs/99999999999999999999999", headers=admin.headers).status_code in (404, 422)
