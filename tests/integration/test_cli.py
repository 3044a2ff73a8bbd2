"""The `tend` command as an operator uses it on a fresh database."""

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.cli import main
from app.config import get_settings
from app.demo import seed
from app.main import create_app


@pytest.fixture
def fresh_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/var/cli.db"
    monkeypatch.setenv("TEND_DATABASE_URL", url)
    monkeypatch.setenv("TEND_SECRET_KEY", "k" * 40)
    monkeypatch.delenv("TEND_DEV_MODE", raising=False)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_migrate_then_create_admin_prints_a_working_token(
    fresh_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"]) == 0
    assert main(["create-admin", "--name", "Ada Admin", "--email", "ada@tend.example.org"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    with TestClient(create_app()) as client:
        me = client.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["role"] == "admin"


def test_create_admin_twice_explains_the_conflict(fresh_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["migrate"])
    main(["create-admin", "--name", "Ada", "--email", "ada@tend.example.org"])
    assert main(["create-admin", "--name", "Ada", "--email", "ADA@tend.example.org"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_placeholder_secret_outside_dev_mode_is_a_clear_error(
    fresh_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEND_SECRET_KEY")
    get_settings.cache_clear()
    with pytest.raises(SystemExit, match="TEND_SECRET_KEY"):
        main(["migrate"])


def test_demo_seed_is_idempotent_and_its_tokens_work(fresh_env: str, tmp_path: Path) -> None:
    from app.db import make_engine, make_session_factory, transaction
    from app.migrate import upgrade_to_head

    main(["migrate"])
    factory = make_session_factory(make_engine(fresh_env))
    with transaction(factory) as session:
        first = seed(session)
    with transaction(factory) as session:
        second = seed(session)
    second.write(tmp_path / "creds.json")
    saved = json.loads((tmp_path / "creds.json").read_text())
    assert saved["tokens"].keys() == {"admin", "coordinator", "director", "therapist"}
    assert first.program_id == second.program_id
    upgrade_to_head(fresh_env)
    with TestClient(create_app()) as client:
        old = client.get("/me", headers={"Authorization": f"Bearer {first.tokens['admin']}"})
        assert old.status_code == 401  # superseded by the second start
        for role, token in second.tokens.items():
            me = client.get("/me", headers={"Authorization": f"Bearer {token}"})
            assert me.json()["role"] == role
        coordinator = {"Authorization": f"Bearer {second.tokens['coordinator']}"}
        assert client.get(f"/programs/{second.program_id}", headers=coordinator).status_code == 200


def test_plan_prints_the_plan_of_a_scenario_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from scheduling.scenario import SCHEMA_PATH

    monkeypatch.chdir(tmp_path)
    example = SCHEMA_PATH.with_name("scenario.example.json")
    assert main(["plan", str(example)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["bookings"], "the example scenario books somebody"
    assert {"resident_id", "therapist_id", "start", "end"} <= result["bookings"][0].keys()
    assert all(u["reason"] for u in result["unplaced"])
    assert list(tmp_path.iterdir()) == []


def test_plan_explains_a_broken_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"policy": {"time_zone": "Mars/Base"}}')
    assert main(["plan", str(broken)]) == 2
    assert "tend plan:" in capsys.readouterr().err
    assert main(["plan", str(tmp_path / "missing.json")]) == 2


def test_demo_refuses_to_seed_a_non_sqlite_database(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TEND_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/production")
    assert main(["demo"]) == 2
    assert "non-SQLite" in capsys.readouterr().err
