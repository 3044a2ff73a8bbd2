"""Imports every model so that ``Base.metadata`` is complete (Alembic and the app load this)."""

from app.auth.models import ApiToken, AuditEvent, StaffAccount
from app.booking.models import AutoBookingRun, BookingRequest, JobLease, UnplacedResident
from app.call_schedules.models import Blackout
from app.checkins.models import CheckIn
from app.programs.models import Program
from app.roster.models import Resident
from app.therapists.models import AvailabilityWindow, Therapist, TherapistExclusion, TimeOff

__all__ = [
    "ApiToken",
    "AuditEvent",
    "AutoBookingRun",
    "AvailabilityWindow",
    "Blackout",
    "BookingRequest",
    "CheckIn",
    "JobLease",
    "Program",
    "Resident",
    "StaffAccount",
    "Therapist",
    "TherapistExclusion",
    "TimeOff",
    "UnplacedResident",
]
