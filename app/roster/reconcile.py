"""Matching an uploaded roster to the residents already on it, as plain data (no database, no web).

The rules:

- A row is matched by its external id when it has one, otherwise by its e-mail address.
- A row whose external id is new but whose e-mail address belongs to a resident *without* an external id is
  that resident: the import records the id. If that resident already has a different external id, the row is
  rejected — it would otherwise create a second resident with the same address.
- A row whose external id belongs to one resident and whose e-mail address to another is rejected: which of
  the two the row means cannot be known, and guessing would merge two people. The coordinator corrects the
  file or the roster (PATCH the resident) and uploads again.
- Two rows that match the same resident are rejected.
- A matched resident whose values differ is updated; a blank external id cell never erases a known one
  (it is the key other uploads match on). A blank end date clears the end date, when the file has that
  column at all; fields whose column is absent are left as they are.
- A deactivated resident who appears in the file is reactivated (counted as updated).
- With ``replace``, active residents the file does not mention are deactivated.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.roster.csv_import import CANONICAL_HEADING, RosterRow, invalid_rows
from app.uploads import RowError

COMPARED_FIELDS = ("first_name", "last_name", "email", "pgy", "start_date", "end_date")


@dataclass(frozen=True)
class ExistingResident:
    """A resident already on the roster, as the matching needs them."""

    id: int
    external_id: str | None
    first_name: str
    last_name: str
    email: str
    pgy: int
    start_date: date
    end_date: date | None
    active: bool


@dataclass(frozen=True)
class Update:
    """A matched resident and the values the row changes (``active`` = True means reactivated)."""

    row: RosterRow
    resident: ExistingResident
    changes: dict[str, Any]


@dataclass
class RosterPlan:
    """What an import does: nothing is written until the whole plan is known to be valid."""

    create: list[RosterRow] = field(default_factory=list)
    update: list[Update] = field(default_factory=list)
    unchanged: list[tuple[RosterRow, ExistingResident]] = field(default_factory=list)
    deactivate: list[ExistingResident] = field(default_factory=list)


def plan_import(
    rows: Iterable[RosterRow],
    existing: Iterable[ExistingResident],
    *,
    replace: bool,
    headings: dict[str, str] | None = None,
) -> RosterPlan:
    """The changes that make the roster match ``rows``; InvalidInput listing every row that cannot be matched.

    ``headings`` maps fields to the headings used in the file (for error messages, and to know which optional
    columns the file has: an absent end-date column leaves end dates alone).
    """
    headings = headings if headings is not None else dict(CANONICAL_HEADING)
    residents = list(existing)
    by_external_id = {r.external_id: r for r in residents if r.external_id is not None}
    by_email = {r.email: r for r in residents}
    claimed: dict[int, int] = {}  # resident id → row that matched them
    plan = RosterPlan()
    errors: list[RowError] = []

    def heading(name: str) -> str:
        return headings.get(name, CANONICAL_HEADING[name])

    for row in rows:
        match_id = by_external_id.get(row.external_id) if row.external_id is not None else None
        match_email = by_email.get(row.email)
        if match_id is not None and match_email is not None and match_id.id != match_email.id:
            errors.append(
                RowError(
                    row.row,
                    heading("external_id"),
                    "the external id belongs to one resident on the roster and the e-mail address to "
                    "another; correct the row, or correct one of the two residents first",
                )
            )
            continue
        target = match_id or match_email
        if target is None:
            plan.create.append(row)
            continue
        if match_id is None and target.external_id is not None and row.external_id is not None:
            errors.append(
                RowError(
                    row.row,
                    heading("email"),
                    f"this e-mail address belongs to the resident with external id '{target.external_id}', "
                    f"not '{row.external_id}'; correct the row, or that resident's external id first",
                )
            )
            continue
        if (earlier := claimed.get(target.id)) is not None:
            errors.append(
                RowError(
                    row.row,
                    heading("external_id" if row.external_id else "email"),
                    f"rows {earlier} and {row.row} both match the same resident on the roster "
                    "(by external id or e-mail address)",
                )
            )
            continue
        claimed[target.id] = row.row
        changes = _changes(row, target, has_end_date="end_date" in headings)
        if changes:
            plan.update.append(Update(row=row, resident=target, changes=changes))
        else:
            plan.unchanged.append((row, target))

    if errors:
        raise invalid_rows(errors)
    if replace:
        plan.deactivate = [r for r in residents if r.active and r.id not in claimed]
    return plan


def _changes(row: RosterRow, resident: ExistingResident, *, has_end_date: bool) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in COMPARED_FIELDS:
        if name == "end_date" and not has_end_date:
            continue
        new = getattr(row, name)
        if new != getattr(resident, name):
            changes[name] = new
    if row.external_id is not None and row.external_id != resident.external_id:
        changes["external_id"] = row.external_id
    if not resident.active:
        changes["active"] = True
    return changes
