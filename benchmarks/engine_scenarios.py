"""Realistic, reproducible planning scenarios for the engine benchmark, written in the scenario format.

One internal-medicine programme in New York (video check-ins, 30 minutes, a 10-minute buffer, weekdays
08:00-18:00, an 8-week window from 1 July), planned on the morning of 1 July:

* Residents: a quarter are incoming interns starting on 1 July, the rest started in earlier years (so their
  window opens with the academic year). Each works four 2-week rotation blocks: wards with 24-hour call every
  fourth day (call from 07:00 plus the post-call day blocked), night float (19:00-07:00 Sunday to Thursday,
  asleep until 15:00), ICU with call every third day, or an elective without call; about a third take one week
  of vacation.
* Therapists: 200, spread over five US zones (most in New York), each offering two to four weekly blocks of
  two to four hours in their own local time, with a few meetings a week on their calendar, an occasional week
  off, daily and weekly limits, and licensure mostly but not always in New York; a few are excluded from the
  programme (they teach there).

The same seed always gives the same scenario.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

PROGRAMME_ZONE = ZoneInfo("America/New_York")
PROGRAMME_ID = "im-nyc"
YEAR_START = date(2026, 7, 1)
NOW = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
THERAPIST_ZONES = (
    ["America/New_York"] * 10
    + ["America/Chicago"] * 3
    + ["America/Denver"]
    + ["America/Phoenix"]
    + ["America/Los_Angeles"] * 3
)


def _iso(day: date, wall: time, tz: ZoneInfo) -> str:
    return datetime.combine(day, wall, tzinfo=tz).astimezone(UTC).isoformat().replace("+00:00", "Z")


def _span(first: date, first_wall: time, last: date, last_wall: time) -> dict[str, str]:
    return {"start": _iso(first, first_wall, PROGRAMME_ZONE), "end": _iso(last, last_wall, PROGRAMME_ZONE)}


def _call_schedule(rng: random.Random) -> list[dict[str, str]]:
    """Blackouts for eight weeks of rotations starting on 1 July, plus an occasional vacation week."""
    blackouts: list[dict[str, str]] = []
    for block in range(4):
        first = YEAR_START + timedelta(days=14 * block)
        rotation = rng.choices(["wards", "nights", "icu", "elective"], weights=[4, 2, 2, 2])[0]
        if rotation in ("wards", "icu"):
            every = 4 if rotation == "wards" else 3
            for offset in range(rng.randrange(every), 14, every):
                day = first + timedelta(days=offset)
                # 24 hours on call from 07:00, then the post-call day is blocked to its end.
                blackouts.append(_span(day, time(7), day + timedelta(days=2), time(0)))
        elif rotation == "nights":
            for offset in range(14):
                day = first + timedelta(days=offset)
                if day.weekday() in (6, 0, 1, 2, 3):  # Sunday to Thursday nights
                    blackouts.append(_span(day, time(19), day + timedelta(days=1), time(15)))
    if rng.random() < 0.35:
        monday = YEAR_START + timedelta(days=(7 - YEAR_START.weekday()) % 7 + 7 * rng.randrange(8))
        blackouts.append(_span(monday - timedelta(days=2), time(0), monday + timedelta(days=7), time(0)))
    return blackouts


def _resident(index: int, rng: random.Random) -> dict[str, Any]:
    intern = rng.random() < 0.25
    pgy = 1 if intern else rng.choice([2, 2, 3, 3, 4])
    start = YEAR_START if intern else date(YEAR_START.year - pgy + 1, 7, 1)
    return {
        "id": f"R{index:05d}",
        "pgy": pgy,
        "start_date": start.isoformat(),
        "end_date": None,
        "blackouts": _call_schedule(rng),
    }


def _therapist(index: int, rng: random.Random) -> dict[str, Any]:
    zone_name = rng.choice(THERAPIST_ZONES)
    tz = ZoneInfo(zone_name)
    availability = []
    for weekday in sorted(rng.sample(range(5), rng.randint(2, 4))):
        start_hour = rng.randint(8, 16)
        hours = rng.randint(2, 4)
        availability.append(
            {
                "weekday": weekday,
                "start": f"{start_hour:02d}:00",
                "end": f"{min(start_hour + hours, 20):02d}:00",
            }
        )
    busy = []
    for week in range(9):
        for _ in range(rng.randint(1, 4)):
            day = YEAR_START + timedelta(days=7 * week + rng.randrange(7))
            start = time(rng.randint(8, 18), rng.choice([0, 15, 30, 45]))
            end = (datetime.combine(day, start) + timedelta(minutes=rng.choice([30, 60, 90]))).time()
            busy.append({"start": _iso(day, start, tz), "end": _iso(day, end, tz)})
    time_off = []
    if rng.random() < 0.2:
        first = YEAR_START + timedelta(days=7 * rng.randrange(8))
        time_off.append(
            {"start": _iso(first, time(0), tz), "end": _iso(first + timedelta(days=7), time(0), tz)}
        )
    states = {"NY"} if rng.random() < 0.9 else set()
    states |= set(rng.sample(["NJ", "CT", "PA", "CA", "IL"], rng.randint(0, 2)))
    if not states:
        states = {"NJ"}
    return {
        "id": f"T{index:03d}",
        "time_zone": zone_name,
        "availability": availability,
        "time_off": time_off,
        "busy": busy,
        "max_per_day": rng.randint(3, 6),
        "max_per_week": rng.randint(6, 12),
        "licensed_states": sorted(states),
        "excluded_programs": [PROGRAMME_ID] if rng.random() < 0.05 else [],
    }


def generate_scenario(residents: int, therapists: int = 200, *, seed: int = 2026) -> dict[str, Any]:
    """Return a scenario dict (ready for ``json.dump`` or ``load_scenario``) with the given roster size."""
    rng = random.Random(seed * 1_000_003 + residents)
    return {
        "version": 1,
        "now": NOW.isoformat().replace("+00:00", "Z"),
        "policy": {
            "program_id": PROGRAMME_ID,
            "time_zone": "America/New_York",
            "state": "NY",
            "modality": "video",
            "duration_minutes": 30,
            "buffer_minutes": 10,
            "min_notice_hours": 24,
            "window_days": 56,
            "checkins_per_academic_year": 1,
            "pgy_levels": [1, 2, 3, 4],
            "allowed_weekdays": [0, 1, 2, 3, 4],
            "day_start": "08:00",
            "day_end": "18:00",
            "slot_step_minutes": 15,
        },
        "residents": [_resident(i, rng) for i in range(residents)],
        "therapists": [_therapist(i, rng) for i in range(therapists)],
        "existing_bookings": [],
    }
