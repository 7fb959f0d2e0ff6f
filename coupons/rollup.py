"""What each coupon send contributes to the coupon reports (erp.history rollups), by KST send day.

Cells (scope = the client, extra = the campaign, person = the goods; 0 when none):
- ``sent`` for every send;
- ``issued`` for the sends that issued a coupon, value = its sell price (the bizmoney cost:
  ``SendLog.cost``), so n / sent is the success rate and the total the cost;
- ``used`` / ``expired`` for the coupons whose PIN status says so by now (the send day's
  cohort, as coupons/reports.py counts "used so far").

Changes reach the rollup through two change feeds: ``updated_at`` (every import stamps the
rows it adds or changes) and ``status_checked_at`` (status polling stamps each check, and
updates with a plain UPDATE that leaves ``updated_at`` alone). Neither column is indexed
today — every index costs the million-row import its share of the upsert, the coupons
module's call — so on a large send log each fold filters them by a sequential scan; see the
coupons section of bench/README.md. Figures only: no phone number, tr_id or order number ever
enters a rollup.
"""

from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from erp.history.rollups import Cell, ChangeFeed, Rollup
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


SEND_ROLLUP = Rollup(
    key="coupons",
    label=_("Coupon send logs"),
    records=send_records,
    contribute=send_cells,
    feeds=(ChangeFeed(SendLog, "updated_at"), ChangeFeed(SendLog, "status_checked_at")),
)
