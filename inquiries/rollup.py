"""What each inquiry contributes to the inquiry reports (erp.history rollups), by KST day.

Cells (scope = the source, extra = the category, both as the small numbers below; person =
the assignee's user id, 0 when none):
- ``received`` on the day it came in, quarantined spam excepted (the module's own counts
  leave the quarantine out too); ``spam`` on that day for the quarantined ones;
- ``converted`` on the day it came in, once a ticket was opened from it (a conversion rate
  per intake cohort, never above 100 %);
- ``first_answer`` on the day of the first answer, value = minutes from receipt;
- ``unanswered`` on the day it came in while it waits (new or in progress, never answered):
  the brief's and the home widget's "still waiting" figure, a sum of small rows.

Changes arrive through the module's domain signals (every write goes through a service that
sends one inside its transaction), so no column needs an index for a change feed. Figures
only: no name, address, subject or message ever enters a rollup.
"""

from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from erp.history.rollups import Cell, CellSQL, Rollup, sql_in, sql_minutes
from erp.workcalendar.calendar import KST

from . import signals
from .models import OPEN_STATUSES, Category, Inquiry, InquirySource, Status, TicketLink

# Fixed numbers for the choices (cells keep numbers; appending a choice keeps the old ones).
SOURCE_CODES = {
    InquirySource.WEBSITE: 1,
    InquirySource.WIDGET: 2,
    InquirySource.API: 3,
    InquirySource.EMAIL: 4,
    InquirySource.MANUAL: 5,
}
CATEGORY_CODES = {
    Category.ADOPTION: 1,
    Category.QUOTE: 2,
    Category.PARTNERSHIP: 3,
    Category.DEMO: 4,
    Category.SUPPORT: 5,
    Category.OTHER: 6,
}
CHANGE_SIGNALS = (
    signals.inquiry_received,
    signals.inquiry_quarantined,
    signals.inquiry_released,
    signals.inquiry_updated,
    signals.inquiry_assigned,
    signals.inquiry_status_changed,
    signals.inquiry_answered,
    signals.inquiry_converted,
)


def inquiry_records():
    return Inquiry.objects.annotate(
        received_day=TruncDate("received_at", tzinfo=KST),
        answered_day=TruncDate("answered_at", tzinfo=KST),
        answered_after=ExpressionWrapper(F("answered_at") - F("received_at"), output_field=DurationField()),
        has_ticket=Exists(TicketLink.objects.filter(inquiry=OuterRef("pk"))),
    ).values("id", "source", "category", "status", "assignee_id", "received_day", "answered_day", "answered_after",
             "has_ticket")  # fmt: skip


def inquiry_cells(row: dict) -> list[Cell]:
    scope, extra = SOURCE_CODES.get(row["source"], 0), CATEGORY_CODES.get(row["category"], 0)
    person, day = row["assignee_id"] or 0, row["received_day"]
    if row["status"] == Status.SPAM:
        return [Cell("spam", day, scope, person, extra)]
    cells = [Cell("received", day, scope, person, extra)]
    if row["has_ticket"]:
        cells.append(Cell("converted", day, scope, person, extra))
    if row["answered_day"]:
        minutes = max(row["answered_after"].total_seconds(), 0) / 60  # unrounded: as the SQL below
        cells.append(Cell("first_answer", row["answered_day"], scope, person, extra, value=minutes))
    elif row["status"] in OPEN_STATUSES:
        cells.append(Cell("unanswered", day, scope, person, extra))
    return cells


def _code_sql(column: str, codes: dict) -> str:
    whens = " ".join(f"WHEN '{choice}' THEN {code}" for choice, code in codes.items())
    return f"CASE {column} {whens} ELSE 0 END"


# inquiry_cells in SQL, over inquiry_records' columns (PostgreSQL's fold; tests/history checks they agree).
_KEY = {
    "day": "received_day",
    "scope": _code_sql("source", SOURCE_CODES),
    "person": "coalesce(assignee_id, 0)",
    "extra": _code_sql("category", CATEGORY_CODES),
}
_NOT_SPAM = f"status <> '{Status.SPAM}'"
_OPEN = sql_in("status", OPEN_STATUSES)
INQUIRY_CELLS_SQL = (
    CellSQL("spam", **_KEY, when=f"NOT ({_NOT_SPAM})"),
    CellSQL("received", **_KEY, when=_NOT_SPAM),
    CellSQL("converted", **_KEY, when=f"{_NOT_SPAM} AND has_ticket"),
    CellSQL("first_answer", **{**_KEY, "day": "answered_day"}, when=f"{_NOT_SPAM} AND answered_day IS NOT NULL",
            value=sql_minutes("answered_after")),
    CellSQL("unanswered", **_KEY, when=f"{_NOT_SPAM} AND answered_day IS NULL AND {_OPEN}"),
)  # fmt: skip


def _changed_inquiry(inquiry, **_ignored):
    return [inquiry.pk]


INQUIRY_ROLLUP = Rollup(
    key="inquiries",
    label=_("Customer inquiries"),
    records=inquiry_records,
    contribute=inquiry_cells,
    cells_sql=INQUIRY_CELLS_SQL,
    signals=tuple((signal, _changed_inquiry) for signal in CHANGE_SIGNALS),
)
