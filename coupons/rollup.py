"""What each coupon send contributes to the coupon reports (erp.history rollups), by KST send day.

Cells (scope = the client, extra = the campaign, person = the goods; 0 when none):
- ``sent`` for every send;
- ``issued`` for the sends that issued a coupon, value = its sell price (the bizmoney cost:
  ``SendLog.cost``), so n / sent is the success rate and the total the cost;
- ``used`` / ``expired`` for the coupons whose PIN status says so by now (the send day's
  cohort, as coupons/reports.py counts "used so far").

Changes reach the rollup through one change feed, ``updated_at`` (indexed): every import
stamps the rows it adds or changes, and status polling stamps it when a check changed something
(a check that changed nothing stamps only ``status_checked_at``, and is not folded again).
Figures only: no phone number, tr_id or order number ever enters a rollup.
"""

from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from erp.history.rollups import Cell, CellSQL, ChangeFeed, Rollup
from erp.workcalendar.calendar import KST

from .models import PinStatus, SendLog


def send_records():
    return SendLog.objects.annotate(day=TruncDate("sent_at", tzinfo=KST)).values(
        "id", "day", "client_id", "campaign_id", "goods_id", "succeeded", "sell_price", "pin_status"
    )


def send_cells(row: dict) -> list[Cell]:
    day, client, campaign, goods = row["day"], row["client_id"], row["campaign_id"] or 0, row["goods_id"] or 0
    cells = [Cell("sent", day, client, goods, campaign)]
    if row["succeeded"]:
        cells.append(Cell("issued", day, client, goods, campaign, value=row["sell_price"]))
    if row["pin_status"] == PinStatus.USED:
        cells.append(Cell("used", day, client, goods, campaign))
    elif row["pin_status"] == PinStatus.EXPIRED:
        cells.append(Cell("expired", day, client, goods, campaign))
    return cells


# send_cells in SQL, over send_records' columns (PostgreSQL's fold; tests/history checks they agree).
_DIMENSIONS = {
    "day": "day",
    "scope": "client_id",
    "person": "coalesce(goods_id, 0)",
    "extra": "coalesce(campaign_id, 0)",
}
SEND_CELLS_SQL = (
    CellSQL("sent", **_DIMENSIONS),
    CellSQL("issued", **_DIMENSIONS, value="sell_price", when="succeeded"),
    CellSQL("used", **_DIMENSIONS, when=f"pin_status = '{PinStatus.USED}'"),
    CellSQL("expired", **_DIMENSIONS, when=f"pin_status = '{PinStatus.EXPIRED}'"),
)

SEND_ROLLUP = Rollup(
    key="coupons",
    label=_("Coupon send logs"),
    records=send_records,
    contribute=send_cells,
    cells_sql=SEND_CELLS_SQL,
    feeds=(ChangeFeed(SendLog, "updated_at"),),
)
