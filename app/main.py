"""create_app(): routers, exception handlers and middleware — nothing else."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

from app.auth.router import router as auth_router
from app.booking.router import router as booking_router
from app.call_schedules.router import router as call_schedules_router
from app.config import Settings, get_settings
from app.db import make_engine, make_session_factory
from app.errors import DomainError
from app.health.router import router as health_router
from app.json_text import UnpairedSurrogateMiddleware
from app.limits import BodySizeLimitMiddleware
from app.logging import RequestLogMiddleware, configure_logging
from app.programs.router import router as programs_router
from app.roster.router import router as roster_router
from app.therapists.router import router as therapists_router

log = logging.getLogger("tend")


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc if part not in ("body", "query", "path"))


async def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    content: dict[str, object] = {"detail": exc.message}
    if exc.errors is not None:
        content["errors"] = exc.errors
    return JSONResponse(content, status_code=exc.status_code)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    # The default handler echoes the submitted values back; we give the field and the reason only.
    assert isinstance(exc, RequestValidationError)
    errors = [{"field": _location(e["loc"]), "message": e["msg"]} for e in exc.errors()]
    summary = "; ".join(f"{e['field'] or 'request'}: {e['message']}" for e in errors[:5])
    return JSONResponse(
        {"detail": f"The request is not valid — {summary}", "errors": errors}, status_code=422
    )


async def _out_of_range(_: Request, exc: Exception) -> JSONResponse:
    # Safety net: a number too large for its column must not surface as a 500.
    return JSONResponse({"detail": "A number in the request is out of range."}, status_code=422)


async def _unexpected_error(_: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error", extra={"error_type": type(exc).__name__})
    return JSONResponse({"detail": "Something went wrong on our side; nothing was changed."}, status_code=500)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The web application. Pass settings in tests; production reads them from the environment."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    engine = make_engine(settings.database_url)

    app = FastAPI(
        title="Tend",
        summary="Confidential opt-out wellness check-ins for resident physicians.",
        version="0.1.0",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)

    for router in (
        health_router,
        auth_router,
        programs_router,
        roster_router,
        therapists_router,
        booking_router,
        call_schedules_router,
    ):
        app.include_router(router)

    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(OverflowError, _out_of_range)
    app.add_exception_handler(DataError, _out_of_range)
    app.add_exception_handler(Exception, _unexpected_error)
    # Inside the size limit: it reads a JSON body whole, which must be known to be small enough by then.
    app.add_middleware(UnpairedSurrogateMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_upload_bytes)
    app.add_middleware(RequestLogMiddleware)
    return app
