"""The `tend` command: run the service, migrate, create the first administrator, run the demo."""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn
from pydantic import ValidationError
from sqlalchemy.engine import make_url

from app.config import Settings, get_settings
from app.db import make_engine, make_session_factory, transaction
from app.migrate import upgrade_to_head


def _settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as exc:
        messages = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise SystemExit(f"tend: configuration error: {messages}") from None


def _ensure_sqlite_folder(url: str) -> None:
    # A fresh checkout has no var/ folder; SQLite would fail with "unable to open database file".
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def cmd_migrate(_: argparse.Namespace) -> int:
    settings = _settings()
    _ensure_sqlite_folder(settings.database_url)
    upgrade_to_head(settings.database_url)
    print("database schema is at the newest migration")
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    from app.auth import service as auth_service
    from app.errors import DomainError

    settings = _settings()
    factory = make_session_factory(make_engine(settings.database_url))
    try:
        with transaction(factory) as session:
            staff, token = auth_service.create_admin(session, name=args.name, email=args.email)
    except DomainError as exc:
        print(f"tend: {exc.message}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        print(f"tend: {exc.errors()[0]['msg']}", file=sys.stderr)
        return 2
    print(f"administrator #{staff.id} created. API token (shown once, store it now):\n{token}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    settings = _settings()
    if args.migrate:
        _ensure_sqlite_folder(settings.database_url)
        upgrade_to_head(settings.database_url)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=False,
        log_config=None,  # keep our JSON logging (create_app configures it)
        proxy_headers=True,
    )
    return 0


def cmd_scheduler(_: argparse.Namespace) -> int:
    from scheduling.scheduler import run_forever

    settings = _settings()
    run_forever(settings, make_session_factory(make_engine(settings.database_url)))
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    """Plan a self-contained scenario and print the result as JSON; writes nothing anywhere."""
    import json

    from scheduling.scenario import ScenarioError, run_scenario_file

    try:
        result = run_scenario_file(args.scenario)
    except ScenarioError as exc:
        print(f"tend plan: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"tend plan: cannot read {args.scenario}: {exc.strerror}", file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from app import demo
    from app.booking.models import RunKind
    from app.booking.service import run_auto_booking
    from app.db import utcnow
    from app.main import create_app

    settings = Settings(dev_mode=True, mail_transport="file")
    if make_url(settings.database_url).get_backend_name() != "sqlite" and not args.allow_any_database:
        # Demo staff get admin tokens: never seed them into a real database by accident.
        print(
            "tend demo: TEND_DATABASE_URL points at a non-SQLite database, and the demo seeds admin tokens "
            "into it. Unset TEND_DATABASE_URL, or pass --allow-any-database if you really mean it.",
            file=sys.stderr,
        )
        return 2
    _ensure_sqlite_folder(settings.database_url)
    settings.mail_dir.mkdir(parents=True, exist_ok=True)
    upgrade_to_head(settings.database_url)
    factory = make_session_factory(make_engine(settings.database_url))
    with transaction(factory) as session:
        credentials = demo.seed(session)
    with transaction(factory) as session:
        run = run_auto_booking(session, program_id=credentials.program_id, kind=RunKind.manual, now=utcnow())
        coverage = f"{run.already_booked + run.placed} of {run.eligible} eligible residents booked"
    credentials.write(args.credentials)
    base = f"http://{args.host}:{args.port}"
    print(
        f"\nTend demo at {base}  (API docs: {base}/docs)\n"
        f"Database: {settings.database_url}   Mail written to: {settings.mail_dir}/\n"
        f"Demo programme id: {credentials.program_id} ({coverage})\n"
        "Staff tokens (also in "
        + str(args.credentials)
        + "):\n"
        + "\n".join(f"  {role:<12} {token}" for role, token in credentials.tokens.items())
        + f"\n\nTry:  curl -H 'Authorization: Bearer {credentials.tokens['coordinator']}' "
        f"{base}/programs/{credentials.program_id}\n",
        flush=True,
    )
    from scheduling.scheduler import build_scheduler

    # The embedded demo runs the scheduler in-process; production runs exactly one `tend scheduler`.
    scheduler, lease = build_scheduler(settings, factory, background=True)
    scheduler.start()
    try:
        uvicorn.run(create_app(settings), host=args.host, port=args.port, access_log=False, log_config=None)
    finally:
        scheduler.shutdown(wait=False)
        lease.release()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tend", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web service (production)")
    serve.add_argument("--host", default="0.0.0.0")  # noqa: S104 - a server listens on all interfaces
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=2)
    serve.add_argument("--migrate", action="store_true", help="run migrations first")
    serve.set_defaults(func=cmd_serve)

    migrate = commands.add_parser("migrate", help="bring the database schema to the newest migration")
    migrate.set_defaults(func=cmd_migrate)

    admin = commands.add_parser("create-admin", help="create an administrator and print an API token")
    admin.add_argument("--name", required=True)
    admin.add_argument("--email", required=True)
    admin.set_defaults(func=cmd_create_admin)

    scheduler = commands.add_parser(
        "scheduler", help="run the one scheduler process (auto-booking and other jobs)"
    )
    scheduler.set_defaults(func=cmd_scheduler)

    plan = commands.add_parser("plan", help="plan a scenario JSON file (capacity planning); writes nothing")
    plan.add_argument("scenario", type=Path, help="scenario file; format: scheduling/scenario.schema.json")
    plan.set_defaults(func=cmd_plan)

    demo = commands.add_parser("demo", help="run the embedded demo (SQLite, mail to files, demo data)")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--credentials", type=Path, default=Path("var/demo-credentials.json"))
    demo.add_argument(
        "--allow-any-database", action="store_true", help="seed demo data into a non-SQLite database"
    )
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `tend` console command."""
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
