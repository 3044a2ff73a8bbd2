"""Cadence periods and each resident's check-in window.

The academic year starts on 1 July. A policy with ``checkins_per_academic_year = n`` splits it into ``n``
periods of ``12 / n`` whole months, and a resident is due one check-in per period. The period that matters for
a resident is the one containing the later of today (in the programme's zone) and the resident's start date:
an incoming intern who starts on 1 July is planned for the year that begins then, even if the plan is made in
June.

The window is ``window_days`` programme-local days long and opens on the resident's start date, or on the
first day of the period for a resident who started before it. It is cut short by the end of the period and by
the resident's last day in the programme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from scheduling.model import Policy, Resident

__all__ = ["Window", "academic_period", "check_in_window", "format_day", "format_window"]

ACADEMIC_YEAR_START_MONTH = 7
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def academic_period(day: date, checkins_per_academic_year: int) -> tuple[date, date]:
    """Return the cadence period containing ``day`` as ``(first day, day after the last day)``."""
    year_start = date(
        day.year if day.month >= ACADEMIC_YEAR_START_MONTH else day.year - 1, ACADEMIC_YEAR_START_MONTH, 1
    )
    months = 12 // checkins_per_academic_year
    elapsed = (day.year - year_start.year) * 12 + day.month - year_start.month
    start = _add_months(year_start, (elapsed // months) * months)
    return start, _add_months(start, months)


@dataclass(frozen=True, slots=True)
class Window:
    """A resident's check-in window in programme-local dates: ``first`` to ``end`` (exclusive).

    ``period`` is the cadence period the window belongs to, as ``(first day, day after the last)``.
    """

    first: date
    end: date
    period: tuple[date, date]

    @property
    def last(self) -> date:
        """The window's last day (inclusive)."""
        return self.end - timedelta(days=1)

    @property
    def is_empty(self) -> bool:
        """True when the window contains no day at all."""
        return self.end <= self.first


def check_in_window(policy: Policy, resident: Resident, today: date) -> Window:
    """Return ``resident``'s check-in window for the period that is current for them on ``today``."""
    reference = max(today, resident.start_date)
    period = academic_period(reference, policy.checkins_per_academic_year)
    first = max(resident.start_date, period[0])
    end = min(first + timedelta(days=policy.window_days), period[1])
    if resident.end_date is not None:
        end = min(end, resident.end_date + timedelta(days=1))
    return Window(first=first, end=end, period=period)


def format_day(day: date, *, with_year: bool = False) -> str:
    """Format a date the way coordinators write it, e.g. ``1 Jul`` or ``1 Jul 2026``."""
    # Not strftime("%b"): that follows the process locale, and reasons must read the same everywhere.
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text


def format_window(window: Window) -> str:
    """Format a window as ``1 Jul–25 Aug 2026`` (both days inclusive)."""
    last = window.last if not window.is_empty else window.first
    if window.first.year != last.year:
        return f"{format_day(window.first, with_year=True)}–{format_day(last, with_year=True)}"
    if window.first == last:
        return format_day(last, with_year=True)
    return f"{format_day(window.first)}–{format_day(last, with_year=True)}"
