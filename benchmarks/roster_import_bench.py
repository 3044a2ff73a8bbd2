"""Roster import at 10,000 residents, on SQLite and PostgreSQL, next to PostgreSQL COPY of the same rows.

Run:  .venv/bin/python benchmarks/roster_import_bench.py [--rows 10000] [--repeat 3] [--pg-url URL | --no-pg]

Each import goes through the real service (app.roster.service.import_roster): decode, parse and validate the
CSV, load the programme's residents in one query, plan, bulk-write, audit, commit. "first import" goes into a
fresh programme (every row created); "re-upload" sends the same file again (every row unchanged). The
baseline is PostgreSQL COPY of the same, already-parsed rows into a scratch table of the same shape, in the
same database and the same run: the floor for getting 10,000 rows into PostgreSQL at all.

The target is at most 2 s per import. Figures are the median of ``--repeat`` runs.
"""

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.auth import service as auth_service
from app.auth.models import Role, StaffAccount
from app.auth.schemas import StaffCreate
from app.config import Settings
from app.db import make_engine, make_session_factory
from app.migrate import upgrade_to_head
from app.programs import service as program_service
from app.programs.schemas import ProgramCreate
from app.roster import service as roster_service
from app.roster.csv_import import parse_roster

TARGET_SECONDS = 2.0
MAX_BYTES = Settings.model_fields["max_upload_bytes"].default
MAX_ROWS = Settings.model_fields["max_roster_rows"].default
FIRST = ["Ada", "Grace", "Alan", "Thảo", "José", "Małgorzata", "Siobhan", "Wei", "Fatima", "Rohan", "Tamika"]
LAST = ["Lovelace", "Hopper", "Turing", "Nguyễn", "García-López", "O'Brien", "Kowalczyk", "Chen", "Ahmed"]


def roster_csv(rows: int) -> bytes:
    """A roster export as a residency system writes it: BOM, CRLF, aliased headings, US dates."""
    rng = random.Random(20260701)
    lines = ["Last Name,First Name,Email Address,PGY Level,Program Start Date,Program End Date,Employee ID"]
    for i in range(rows):
        pgy = rng.randint(1, 7)
        start = date(2026 - pgy + 1, 7, 1) + timedelta(days=rng.choice([0, 0, 0, 14]))
        end = date(start.year + 3, 6, 30)
        lines.append(
            f"{rng.choice(LAST)},{rng.choice(FIRST)},resident.{i:05d}@Hospital.example.org,{pgy},"
            f"{start.month}/{start.day}/{start.year},{end:%m/%d/%Y},E{100000 + i}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def median_of(repeat: int, run: Callable[[], float]) -> float:
    return statistics.median(run() for _ in range(repeat))


def _setup(factory: sessionmaker[Session]) -> tuple[int, StaffAccount]:
    with factory() as session:
        program = program_service.create_program(
            session,
            data=ProgramCreate(name=f"Bench {secrets.token_hex(4)}", time_zone="America/Detroit", state="MI"),
        )
        staff = auth_service.create_staff(
            session,
            data=StaffCreate(
                name="Bench admin", email=f"bench-{secrets.token_hex(4)}@staff.example.org", role=Role.admin
            ),
        )
        session.commit()
        return program.id, staff


def _import(factory: sessionmaker[Session], program_id: int, staff: StaffAccount, data: bytes) -> float:
    started = time.perf_counter()
    with factory() as session:
        roster_service.import_roster(
            session,
            staff=staff,
            program_id=program_id,
            data=data,
            dry_run=False,
            replace=False,
            max_bytes=MAX_BYTES,
            max_rows=MAX_ROWS,
        )
        session.commit()
    return time.perf_counter() - started


def bench_database(url: str, data: bytes, rows: int, repeat: int) -> dict[str, float]:
    """Median seconds for a first import and a re-upload of the same file into one database."""
    upgrade_to_head(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    firsts: list[float] = []
    agains: list[float] = []
    try:
        for _ in range(repeat):
            program_id, staff = _setup(factory)
            firsts.append(_import(factory, program_id, staff, data))
            agains.append(_import(factory, program_id, staff, data))
            with factory() as session:
                count = session.execute(
                    text("SELECT count(*) FROM resident WHERE program_id = :p"), {"p": program_id}
                ).scalar_one()
            assert count == rows, f"expected {rows} residents, found {count}"
    finally:
        engine.dispose()
    return {"first import": statistics.median(firsts), "re-upload (all unchanged)": statistics.median(agains)}


SCRATCH_TABLE = """
CREATE TABLE copy_baseline (
    id serial PRIMARY KEY, program_id int NOT NULL, external_id varchar(100),
    first_name varchar(200) NOT NULL, last_name varchar(200) NOT NULL, email varchar(320) NOT NULL,
    pgy int NOT NULL, start_date date NOT NULL, end_date date, active boolean NOT NULL,
    UNIQUE (program_id, email), UNIQUE (program_id, external_id)
)
"""
COPY_SQL = (
    "COPY copy_baseline (program_id, external_id, first_name, last_name, email, pgy, start_date, end_date, "
    "active) FROM STDIN"
)


def bench_copy(url: str, data: bytes, repeat: int) -> float:
    """Median seconds for COPY of the parsed rows into a scratch table shaped like ``resident``."""
    rows = [
        (1, r.external_id, r.first_name, r.last_name, r.email, r.pgy, r.start_date, r.end_date, True)
        for r in parse_roster(data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS).rows
    ]
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)

    def once() -> float:
        with psycopg.connect(conninfo) as conn:
            conn.execute("DROP TABLE IF EXISTS copy_baseline")
            conn.execute(SCRATCH_TABLE)
            conn.commit()
            started = time.perf_counter()
            with conn.cursor() as cursor, cursor.copy(COPY_SQL) as copy:
                for row in rows:
                    copy.write_row(row)
            conn.commit()
            return time.perf_counter() - started

    return median_of(repeat, once)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = parser.parse_args()

    data = roster_csv(args.rows)
    results: list[tuple[str, float]] = []

    def parse_only() -> float:
        started = time.perf_counter()
        parse_roster(data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
        return time.perf_counter() - started

    results.append(("parse + validate only (no database)", median_of(args.repeat, parse_only)))

    with tempfile.TemporaryDirectory() as tmp:
        for label, seconds in bench_database(
            f"sqlite:///{tmp}/bench.db", data, args.rows, args.repeat
        ).items():
            results.append((f"SQLite      {label}", seconds))

    if not args.no_pg:
        name = f"tend_bench_{secrets.token_hex(3)}"
        admin = create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:  # report it and carry on with SQLite's figures
            print(f"PostgreSQL at {args.pg_url} is not reachable ({type(exc).__name__}); skipping it.")
        else:
            url = make_url(args.pg_url).set(database=name).render_as_string(hide_password=False)
            try:
                for label, seconds in bench_database(url, data, args.rows, args.repeat).items():
                    results.append((f"PostgreSQL  {label}", seconds))
                results.append(
                    ("PostgreSQL  COPY of the same rows (baseline)", bench_copy(url, data, args.repeat))
                )
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            admin.dispose()

    print(f"\nRoster import, {args.rows:,} rows ({len(data) / 1024:.0f} KB), median of {args.repeat} runs")
    width = max(len(label) for label, _ in results)
    print(f"{'':{width}}  seconds  target ≤ {TARGET_SECONDS:g} s")
    slow = False
    for label, seconds in results:
        is_import = "import" in label or "re-upload" in label
        verdict = ("ok" if seconds <= TARGET_SECONDS else "SLOW") if is_import and "only" not in label else ""
        slow = slow or verdict == "SLOW"
        print(f"{label:{width}}  {seconds:7.3f}  {verdict}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
