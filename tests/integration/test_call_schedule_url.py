"""Importing a call schedule from a calendar URL, fetched from a real HTTP server started by the test."""

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.call_schedules import fetch
from app.call_schedules.models import Blackout
from app.logging import JsonFormatter
from app.programs.models import Program
from app.roster.models import Resident
from tests.factories import Staff, make_program, make_resident, make_staff

CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tend tests//EN\r\n"
    b"BEGIN:VEVENT\r\nUID:feed-1\r\nDTSTAMP:20261101T000000Z\r\n"
    b"DTSTART;TZID=America/New_York:20261201T070000\r\nDTEND;TZID=America/New_York:20261201T190000\r\n"
    b"SUMMARY:MICU\r\nATTENDEE:mailto:ada@hospital.example.org\r\nEND:VEVENT\r\n"
    b"END:VCALENDAR\r\n"
)
BIG = 11 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # keep the test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/calendar", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/call.ics":
            self._send(200, CALENDAR)
        elif path == "/redirect":
            self._send(302, b"", Location="/call.ics")
        elif path == "/redirect-to-file":
            self._send(302, b"", Location="file:///etc/passwd")
        elif path == "/redirect-loop":
            self._send(302, b"", Location="/redirect-loop")
        elif path == "/page.html":
            self._send(200, b"<html><body>Sign in</body></html>", "text/html")
        elif path == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.send_header("Content-Length", str(BIG))
            self.end_headers()
        elif path == "/big-streamed":
            # No Content-Length: the body ends when the connection closes.
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()
            chunk = b"X" * 65536
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                for _ in range(BIG // len(chunk) + 2):
                    self.wfile.write(chunk)
        elif path == "/slow":
            time.sleep(2)
            self._send(200, CALENDAR)
        else:
            self._send(404, b"not here", "text/plain")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@dataclass
class Feed:
    program: Program
    coordinator: Staff
    resident: Resident

    @property
    def url(self) -> str:
        return f"/programs/{self.program.id}/call-schedule/ics-url"


@pytest.fixture
def feed(db: Session) -> Feed:
    program = make_program(db, time_zone="America/New_York", state="NY")
    return Feed(
        program=program,
        coordinator=make_staff(db, Role.coordinator, program=program),
        resident=make_resident(
            db, program, first_name="Ada", last_name="Lovelace", email="ada@hospital.example.org"
        ),
    )


def post(client: TestClient, feed: Feed, url: str, **params: Any) -> Response:
    query = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in params.items()}
    return client.post(feed.url, headers=feed.coordinator.headers, json={"url": url}, params=query)


def blackouts(db: Session) -> list[Blackout]:
    db.expire_all()
    return list(db.scalars(select(Blackout)))


def test_a_calendar_url_is_fetched_and_imported(
    client: TestClient, db: Session, feed: Feed, server: str
) -> None:
    response = post(client, feed, f"{server}/call.ics")

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["source"], body["shifts"], body["residents_matched"]) == ("ics", 1, 1)
    assert body["blackouts"] == {"created": 1, "unchanged": 0, "removed": 0}
    [blackout] = blackouts(db)
    assert blackout.resident_id == feed.resident.id
    assert (blackout.starts_at.isoformat(), blackout.ends_at.isoformat()) == (
        "2026-12-01T12:00:00+00:00",
        "2026-12-02T00:00:00+00:00",
    )


def test_fetching_again_changes_nothing(client: TestClient, db: Session, feed: Feed, server: str) -> None:
    post(client, feed, f"{server}/call.ics")

    response = post(client, feed, f"{server}/call.ics")

    assert response.json()["blackouts"] == {"created": 0, "unchanged": 1, "removed": 0}


def test_a_dry_run_fetches_but_writes_nothing(
    client: TestClient, db: Session, feed: Feed, server: str
) -> None:
    response = post(client, feed, f"{server}/call.ics", dry_run=True)

    assert response.status_code == 200
    assert response.json()["dry_run"] is True
    assert blackouts(db) == []


def test_redirects_to_http_are_followed(client: TestClient, db: Session, feed: Feed, server: str) -> None:
    assert post(client, feed, f"{server}/redirect").status_code == 200
    assert len(blackouts(db)) == 1


def _cannot_fetch(response: Response, db: Session, status: int = 422) -> str:
    assert response.status_code == status, response.text
    assert blackouts(db) == []
    detail: str = response.json()["detail"]
    return detail


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://127.0.0.1/call.ics", "data:text/calendar,BEGIN:VCALENDAR", "gopher://x/"],
)
def test_schemes_other_than_http_are_refused(client: TestClient, db: Session, feed: Feed, url: str) -> None:
    detail = _cannot_fetch(post(client, feed, url), db)
    assert "Only http:// and https://" in detail


def test_a_redirect_to_another_scheme_is_refused(
    client: TestClient, db: Session, feed: Feed, server: str
) -> None:
    detail = _cannot_fetch(post(client, feed, f"{server}/redirect-to-file"), db)
    assert detail.startswith(
        "Could not fetch the calendar URL: the server redirected to a URL that is not http"
    )


def test_endless_redirects_are_refused(client: TestClient, db: Session, feed: Feed, server: str) -> None:
    assert "more than 5 redirects" in _cannot_fetch(post(client, feed, f"{server}/redirect-loop"), db)


def test_an_error_status_is_reported(client: TestClient, db: Session, feed: Feed, server: str) -> None:
    detail = _cannot_fetch(post(client, feed, f"{server}/missing.ics?token=secret"), db)
    assert detail == "Could not fetch the calendar URL: the server answered 404 Not Found."
    assert "secret" not in detail


def test_an_unreachable_server_is_reported(client: TestClient, db: Session, feed: Feed) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again below: nothing listens there

    detail = _cannot_fetch(post(client, feed, f"http://127.0.0.1:{port}/call.ics"), db)

    assert "could not fetch" in detail.lower()
    assert "could not be reached" in detail


def test_a_server_that_does_not_answer_in_time_is_reported(
    client: TestClient, db: Session, feed: Feed, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch, "DEFAULT_TIMEOUT", 0.5)

    detail = _cannot_fetch(post(client, feed, f"{server}/slow"), db)

    assert "did not answer within 0.5 seconds" in detail


@pytest.mark.parametrize("path", ["/big-declared", "/big-streamed"])
def test_an_oversized_calendar_is_413(
    client: TestClient, db: Session, feed: Feed, server: str, path: str
) -> None:
    detail = _cannot_fetch(post(client, feed, f"{server}{path}"), db, status=413)
    assert "MB limit" in detail


def test_a_page_that_is_not_a_calendar_is_refused(
    client: TestClient, db: Session, feed: Feed, server: str
) -> None:
    assert "did not return an iCalendar file" in _cannot_fetch(post(client, feed, f"{server}/page.html"), db)


@pytest.mark.parametrize("body", [{}, {"url": ""}, {"url": "x" * 2001}, {"url": "https://x", "extra": 1}])
def test_a_bad_request_body_is_422(client: TestClient, feed: Feed, body: dict[str, Any]) -> None:
    response = client.post(feed.url, headers=feed.coordinator.headers, json=body)
    assert response.status_code == 422


def test_an_unknown_programme_is_404_before_anything_is_fetched(
    client: TestClient, db: Session, server: str
) -> None:
    admin = make_staff(db, Role.admin)
    response = client.post(
        "/programs/999999/call-schedule/ics-url", headers=admin.headers, json={"url": f"{server}/call.ics"}
    )
    assert response.status_code == 404


def test_another_programmes_coordinator_is_403(
    client: TestClient, db: Session, feed: Feed, server: str
) -> None:
    other = make_staff(db, Role.coordinator, program=make_program(db))
    response = client.post(feed.url, headers=other.headers, json={"url": f"{server}/call.ics"})
    assert response.status_code == 403
    assert blackouts(db) == []


def test_nothing_personal_or_secret_is_logged(
    client: TestClient, db: Session, feed: Feed, server: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.clear()
    caplog.set_level(logging.DEBUG)

    post(client, feed, f"{server}/call.ics?token=s3cr3t-feed-token")
    post(client, feed, f"{server}/missing.ics?token=s3cr3t-feed-token")
    client.post(
        f"/programs/{feed.program.id}/call-schedule",
        headers={**feed.coordinator.headers, "Content-Type": "text/csv"},
        content=b'Name,Date,Start,End\n"Lovelace, Ada",12-01-26,0800,1700\n"Zebulon Q",12-01-26,0800,1700\n',
    )

    logged = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert "call schedule import" in logged
    for secret in ("s3cr3t", "Lovelace", "Ada", "ada@hospital", "Zebulon", server):
        assert secret not in logged
