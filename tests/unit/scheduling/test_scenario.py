"""The scenario format: loading, clear errors, the published JSON Schema, and the plan as JSON."""

from __future__ import annotations

import copy
import json
from datetime import date, time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from benchmarks.engine_scenarios import generate_scenario
from scheduling.model import Modality
from scheduling.scenario import (
    SCHEMA_PATH,
    ScenarioError,
    load_scenario,
    run_scenario_file,
    scenario_json_schema,
)


def _scenario() -> dict[str, Any]:
    return {
        "version": 1,
        "now": "2026-07-01T12:00:00Z",
        "policy": {
            "program_id": "im",
            "time_zone": "America/New_York",
            "state": "NY",
            "modality": "video",
            "duration_minutes": 30,
            "min_notice_hours": 0,
            "window_days": 7,
            "day_start": "09:00",
            "day_end": "17:00",
        },
        "residents": [
            {
                "id": "r1",
                "pgy": 1,
                "start_date": "2026-07-06",
                "blackouts": [{"start": "2026-07-06T11:00:00Z", "end": "2026-07-07T11:00:00-00:00"}],
            },
            {"id": "r2", "pgy": 9 - 8, "start_date": "2026-07-06"},
        ],
        "therapists": [
            {
                "id": "t1",
                "time_zone": "America/Chicago",
                "availability": [{"weekday": 1, "start": "08:00", "end": "09:00"}],
                "max_per_day": 1,
                "licensed_states": ["NY"],
            }
        ],
        "existing_bookings": [],
    }


def test_a_scenario_loads_into_the_engines_types() -> None:
    problem = load_scenario(_scenario())

    assert problem.policy.modality is Modality.VIDEO
    assert problem.policy.day_start == time(9)
    assert problem.residents[0].start_date == date(2026, 7, 6)
    assert problem.residents[0].blackouts[0].end.isoformat() == "2026-07-07T11:00:00+00:00"
    assert problem.therapists[0].availability[0].weekday == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s["policy"].update(time_zone="America/NYC"), "policy.time_zone: unknown IANA time zone"),
        (lambda s: s["policy"].update(duration_minutes=90), "policy.duration_minutes: Input should be less"),
        (lambda s: s["policy"].update(state="New York"), "policy.state: String should match pattern"),
        (lambda s: s["residents"][1].update(pgy=0), "residents[1].pgy: Input should be greater than"),
        (
            lambda s: s["residents"][0].update(nickname="x"),
            "residents[0].nickname: Extra inputs are not permitted",
        ),
        (
            lambda s: s["residents"][0]["blackouts"][0].update(start="2026-07-06T11:00:00"),
            "residents[0].blackouts[0].start: Input should have timezone info",
        ),
        (
            lambda s: s["residents"][0]["blackouts"][0].update(end="2026-07-05T11:00:00Z"),
            "residents[0].blackouts[0]: interval ends",
        ),
        (lambda s: s["residents"][1].update(id="r1"), "resident id 'r1' appears more than once"),
        (lambda s: s["therapists"][0]["availability"][0].update(weekday=7), "availability[0].weekday"),
        (lambda s: s["therapists"][0]["availability"][0].update(start="8am"), "availability[0].start"),
        (lambda s: s.pop("now"), "now: Field required"),
    ],
)
def test_bad_scenarios_say_where_and_what(change: Any, message: str) -> None:
    scenario = copy.deepcopy(_scenario())
    change(scenario)

    with pytest.raises(ScenarioError) as raised:
        load_scenario(scenario)

    assert message in str(raised.value)


def test_a_file_that_is_not_json_is_reported_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "scenario.json"
    path.write_text('{"version": 1,,}', encoding="utf-8")

    with pytest.raises(ScenarioError, match=r"not valid JSON: .* at line 1, column 15"):
        run_scenario_file(path)


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="Cannot read the scenario file"):
        run_scenario_file(tmp_path / "missing.json")


def test_running_a_scenario_file_prints_the_plan_as_json(tmp_path: Path) -> None:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(_scenario()), encoding="utf-8")

    result = run_scenario_file(path)

    assert result["summary"] == {"booked": 1, "unplaced": 1, "already_booked": 0}
    # Tuesday 08:00 in Chicago is 09:00 in New York; r1 is on call until Tuesday 07:00 New York time.
    assert result["bookings"] == [
        {
            "resident_id": "r1",
            "therapist_id": "t1",
            "start": "2026-07-07T13:00:00Z",
            "end": "2026-07-07T13:30:00Z",
        }
    ]
    assert result["unplaced"][0]["resident_id"] == "r2"
    json.dumps(result)  # JSON-ready as it is


def test_the_published_schema_matches_the_loader() -> None:
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == scenario_json_schema()


def test_generated_and_example_scenarios_validate_against_the_published_schema() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    validator.check_schema(schema)

    example = json.loads(SCHEMA_PATH.with_name("scenario.example.json").read_text(encoding="utf-8"))
    for scenario in (_scenario(), example, generate_scenario(30, 5)):
        assert list(validator.iter_errors(scenario)) == []
        load_scenario(scenario)

    bad = _scenario()
    bad["therapists"][0]["availability"][0]["start"] = "8am"
    assert list(validator.iter_errors(bad)) != []


def test_the_example_scenario_in_the_repository_plans_as_documented() -> None:
    example = SCHEMA_PATH.with_name("scenario.example.json")

    result = run_scenario_file(example)

    assert result["summary"] == {"booked": 2, "unplaced": 2, "already_booked": 1}
    assert {u["resident_id"]: u["reason"].split(":")[0] for u in result["unplaced"]} == {
        "fellow-ed": "Not eligible",
        "intern-bo": "No therapist time in the check-in window (1 Jul–25 Aug 2026) falls outside this "
        "resident's call schedule and other blackouts",
    }
    assert {b["therapist_id"] for b in result["bookings"]} == {"dr-lee"}  # dr-ortiz teaches in im-nyc
