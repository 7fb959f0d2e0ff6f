"""Inquiry intake on the system status page and /metrics: what came in recently, per channel."""

from datetime import timedelta

from django.db.models import Count, Max
from django.utils.translation import gettext_lazy

from erp.core.status import Metric, StatusReport, StatusSection, ago, seconds_since

WINDOW = timedelta(hours=1)
RECEIVED_LAST_HOUR = Metric(
    "haru_inquiries_received_last_hour", "Inquiries received in the last hour, by channel", ("source",)
)
LAST_RECEIVED_AGE = Metric("haru_inquiries_last_received_age_seconds", "Seconds since the newest inquiry arrived")


def read(now) -> StatusReport:
    from inquiries.models import Inquiry, InquirySource

    report = StatusReport()
    # Both on the received_at index: a recent range, and its maximum.
    recent = dict(
        Inquiry.objects.filter(received_at__gte=now - WINDOW, received_at__lte=now)
        .order_by()
        .values_list("source")
        .annotate(count=Count("id"))
    )
    newest = Inquiry.objects.aggregate(newest=Max("received_at"))["newest"]
    for source in InquirySource:
        report.add(RECEIVED_LAST_HOUR, recent.get(source.value, 0), source.value)
        report.rows.append([source.label, recent.get(source.value, 0)])
    report.add(LAST_RECEIVED_AGE, seconds_since(newest, now))
    report.rows.append([gettext_lazy("Newest inquiry"), ago(newest, now)])
    return report


SECTION = StatusSection(
    key="inquiries.intake",
    label=gettext_lazy("Inquiry intake"),
    columns=(gettext_lazy("Channel"), gettext_lazy("Received in the last hour")),
    read=read,
    metrics=(RECEIVED_LAST_HOUR, LAST_RECEIVED_AGE),
    order=40,
)
