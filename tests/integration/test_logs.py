"""Logs: one structured line per request, and nothing personal in any of them."""

import json
import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.logging import JsonFormatter
from tests.factories import make_staff


def test_one_json_line_per_request_with_no_names_emails_or_tokens(
    client: TestClient, db: Session, caplog: pytest.LogCaptureFixture
) -> None:
    admin = make_staff(db, Role.admin)
    name, email = "Zebulon Quixote-Marchetti", "zebulon.quixote@hospital.example.org"
    caplog.clear()
    caplog.set_level(logging.DEBUG)

    created = client.post(
        "/staff", headers=admin.headers, json={"name": name, "email": email, "role": "admin"}
    )
    token = client.post(f"/staff/{created.json()['id']}/tokens", headers=admin.headers, json={}).json()[
        "token"
    ]
    client.get("/me", headers={"Authorization": f"Bearer {token}"})
    client.get(f"/me?email={email}&name={name}", headers={"Authorization": f"Bearer {token}x"})
    client.post("/staff", headers=admin.headers, json={"name": name, "email": email, "role": "admin"})  # 409
    client.post(
        "/staff", headers=admin.headers, json={"name": name, "email": "broken@", "role": "admin"}
    )  # 422

    # Every record, from any logger, rendered exactly as production writes it.
    lines = [JsonFormatter().format(record) for record in caplog.records]
    logged = "\n".join(lines)
    for secret in (name, "Zebulon", email, "zebulon", token, admin.token, token[5:20]):
        assert secret not in logged
    requests = [json.loads(line) for line in lines if '"tend.request"' in line]
    assert [r["status"] for r in requests] == [201, 201, 200, 401, 409, 422]
    assert requests[1]["route"] == "/staff/{staff_id}/tokens"
    assert all({"method", "route", "status", "duration_ms", "request_id"} <= r.keys() for r in requests)
