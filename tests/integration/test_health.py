from fastapi.testclient import TestClient
from sqlalchemy import text

from app.migrate import head_revision


def test_healthz_answers_without_database(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_reports_the_migration_head(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "revision": head_revision()}


def test_readyz_is_unavailable_when_schema_is_behind(client: TestClient, engine) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'old'"))
    try:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert "tend migrate" in response.json()["reason"]
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head_revision()})


def test_readyz_is_unavailable_when_database_is_unreachable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.config import Settings
    from app.main import create_app

    missing = tmp_path / "no-such-dir" / "tend.db"
    app = create_app(Settings(database_url=f"sqlite:///{missing}", dev_mode=True))
    with TestClient(app) as c:
        response = c.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reason"] == "database unreachable"
