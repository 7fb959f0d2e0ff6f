"""Calendar sync on the system status page and /metrics: lag and failures per calendar source."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.core.status import Metric, StatusReport, StatusSection, ago, seconds_since

SYNC_LAG = Metric(
    "haru_calendar_sync_lag_seconds",
    "Seconds since a room calendar was last synced (since it was added, if never)",
    ("source", "room", "kind"),
)
SYNC_FAILURES = Metric(
    "haru_calendar_sync_failures", "Failed syncs in a row of a room calendar", ("source", "room", "kind")
)
WRITE_BACKS = Metric("haru_calendar_write_backs_pending", "Bookings waiting to be written to Google Calendar")


def stale_after_seconds() -> float:
    """Three missed polls: the calendar is reported as behind."""
    return 3 * settings.CELERY_BEAT_SCHEDULE["integrations.calendar.sync_due"]["schedule"]


def read(now) -> StatusReport:
    from meetings.models import CalendarSource, WriteBack

    report = StatusReport()
    sources = CalendarSource.objects.filter(is_active=True).select_related("room").order_by("room__name", "id")
    for source in sources:
        labels = (source.pk, source.room.name, source.kind)
        lag = seconds_since(source.last_synced_at, now)
        report.add(SYNC_LAG, lag, *labels)
        report.add(SYNC_FAILURES, source.failures, *labels)
        report.rows.append(
            [
                source.room.name,
                source.get_kind_display(),
                ago(source.last_synced_at, now),
                source.failures,
                source.last_error[:200],
            ]
        )
        if source.failures or lag is None or lag > stale_after_seconds():
            report.problems.append(
                _("Room calendar %(room)s (%(kind)s) last synced: %(when)s.")
                % {"room": source.room.name, "kind": source.get_kind_display(), "when": ago(source.last_synced_at, now)}
            )
    report.add(WRITE_BACKS, WriteBack.objects.count())
    return report


SECTION = StatusSection(
    key="meetings.calendar_sync",
    label=gettext_lazy("Room calendar sync"),
    columns=(
        gettext_lazy("Room"),
        gettext_lazy("Kind"),
        gettext_lazy("Last sync"),
        gettext_lazy("Failures in a row"),
        gettext_lazy("Last error"),
    ),
    read=read,
    metrics=(SYNC_LAG, SYNC_FAILURES, WRITE_BACKS),
    order=30,
)
