"""CSV exports of inquiries: the sales export (everything) and marketing's (what was shared).

Both stream UTF-8 with a BOM (Excel opens Korean text right) and guard every cell against
formula injection (erp.core.spreadsheet).
"""

import csv
from urllib.parse import urlsplit, urlunsplit

from django.http import StreamingHttpResponse
from django.utils import timezone

from erp.core.pii import mask_pii
from erp.core.spreadsheet import safe_cell


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    """Stream ``header`` then each row of ``rows`` (an iterable of lists of values)."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(["" if value is None else safe_cell(str(value)) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate():%Y%m%d}.csv"'
    return response


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _page_only(url: str) -> str:
    """A referrer or landing page without its query and fragment (they can carry an e-mail
    address or a session token; the campaign is in the utm_ columns)."""
    if not url:
        return ""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


SHARED_HEADER = [
    "number",
    "received_at",
    "shared_at",
    "status",
    "source",
    "category",
    "product",
    "company",
    "subject",
    "consent_contact",
    "customer_name",
    "email",
    "phone",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "referrer",
    "landing_page",
]


def shared_row(inquiry) -> list:
    """One shared inquiry as marketing may keep it: name and contact only with the customer's
    consent, the subject with any e-mail/phone in it masked, no message, IP, notes or assignee."""
    consented = inquiry.consent_contact
    return [
        inquiry.number,
        _local(inquiry.received_at),
        _local(inquiry.shared_at),
        inquiry.get_status_display(),
        inquiry.get_source_display(),
        inquiry.get_category_display(),
        inquiry.product,
        inquiry.company,
        mask_pii(inquiry.subject),
        "yes" if consented else "no",
        inquiry.customer_name if consented else "",
        inquiry.email if consented else "",
        inquiry.phone if consented else "",
        inquiry.utm_source,
        inquiry.utm_medium,
        inquiry.utm_campaign,
        inquiry.utm_term,
        inquiry.utm_content,
        _page_only(inquiry.referrer),
        _page_only(inquiry.landing_page),
    ]
