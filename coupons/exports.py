"""CSV / XLSX exports of the send log: phones masked unless the reader may see full numbers
(then the export itself is audited, as a reveal of every number in it)."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from erp.core.spreadsheet import append_safe_row, safe_cell
from erp.workcalendar.calendar import KST

from .phones import format_phone, mask_phone

MAX_EXPORT_ROWS = 200_000


def headers() -> list[str]:
    return [
        _("Transaction id"),
        _("Sent at"),
        _("Client"),
        _("Campaign"),
        _("Goods"),
        _("Recipient phone"),
        _("Result code"),
        _("Result message"),
        _("Order number"),
        _("PIN status"),
        _("Valid until"),
        _("Sell price"),
        _("Consumer price"),
    ]


def rows(sends, *, full_phones: bool):
    show = format_phone if full_phones else mask_phone
    for send in sends:
        yield [
            send.tr_id,
            f"{timezone.localtime(send.sent_at, KST):%Y-%m-%d %H:%M:%S}",
            send.client.name,
            send.campaign.name if send.campaign else "",
            str(send.goods) if send.goods else "",
            show(send.phone),
            send.result_code,
            send.result_message,
            send.order_no,
            send.get_pin_status_display(),
            f"{timezone.localtime(send.valid_until, KST):%Y-%m-%d}" if send.valid_until else "",
            send.sell_price,
            send.consumer_price,
        ]


def to_csv(sends, *, full_phones: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    for row in rows(sends, full_phones=full_phones):
        writer.writerow([safe_cell(value) for value in row])
    # With a BOM: Korean Excel opens UTF-8 CSV correctly only then.
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(sends, *, full_phones: bool) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = _("Coupon sends")[:31]
    sheet.append(headers())
    for row in rows(sends, full_phones=full_phones):
        append_safe_row(sheet, row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
