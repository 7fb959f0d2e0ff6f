"""Alert ingestion on the system status page and /metrics: items per source, release feed lag."""

from datetime import timedelta

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.core.status import Metric, StatusReport, StatusSection, ago, seconds_since

WINDOW = timedelta(hours=1)

ITEMS_LAST_HOUR = Metric(
    "haru_alert_items_last_hour", "Alert items received in the last hour, by source", ("source", "kind")
)
FEED_LAG = Metric("haru_alert_feed_fetch_lag_seconds", "Seconds since a release feed was last fetched", ("source",))
FEED_OVERDUE = Metric(
    "haru_alert_feed_overdue_seconds",
    "Seconds a release feed is past its poll interval (0 when on time)",
    ("source",),
)
FEED_FAILURES = Metric("haru_alert_feed_failures", "Failed fetches in a row of a release feed", ("source",))


def read(now) -> StatusReport:
    from alerts.models import Item, Source, SourceKind

    report = StatusReport()
    counts = dict(
        Item.objects.filter(received_at__gte=now - WINDOW, received_at__lte=now)
        .order_by()
        .values_list("source")
        .annotate(count=Count("id"))
    )
    for source in Source.objects.filter(is_active=True).order_by("name"):
        received = counts.get(source.pk, 0)
        report.add(ITEMS_LAST_HOUR, received, source.name, source.kind)
        fetched = "-"
        if source.kind == SourceKind.FEED:
            lag = seconds_since(source.last_fetched_at, now)
            report.add(FEED_LAG, lag, source.name)
            overdue = max(0.0, lag - source.poll_minutes * 60) if lag is not None else None
            report.add(FEED_OVERDUE, overdue, source.name)
            report.add(FEED_FAILURES, source.failures, source.name)
            fetched = ago(source.last_fetched_at, now)
            # Two poll intervals late, or failing: someone should look.
            if source.failures or (overdue is not None and overdue > source.poll_minutes * 60):
                report.problems.append(
                    _("Release feed %(name)s last fetched: %(when)s.") % {"name": source.name, "when": fetched}
                )
        report.rows.append([source.name, source.get_kind_display(), received, fetched, source.last_error[:200]])
    return report


SECTION = StatusSection(
    key="alerts.ingestion",
    label=gettext_lazy("Alert sources"),
    columns=(
        gettext_lazy("Alert source"),
        gettext_lazy("Kind"),
        gettext_lazy("Items in the last hour"),
        gettext_lazy("Last fetch"),
        gettext_lazy("Last error"),
    ),
    read=read,
    metrics=(ITEMS_LAST_HOUR, FEED_LAG, FEED_OVERDUE, FEED_FAILURES),
    order=60,
)
