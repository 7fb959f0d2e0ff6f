"""Coupon imports on the system status page and /metrics: running, refused and imported rows."""

from datetime import timedelta

from django.db.models import Count, Max, Min, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.core.status import Metric, StatusReport, StatusSection, ago, seconds_since

WINDOW = timedelta(hours=24)
# An import left "running" this long has lost its worker (the task is redelivered, but say so).
STUCK_AFTER = timedelta(hours=1)

IMPORTS_LAST_DAY = Metric(
    "haru_coupon_imports_last_day", "Coupon imports started in the last 24 hours, by status", ("status",)
)
ROWS_LAST_DAY = Metric(
    "haru_coupon_import_rows_last_day", "Rows of the coupon imports of the last 24 hours, by outcome", ("outcome",)
)
RUNNING_OLDEST_AGE = Metric(
    "haru_coupon_import_running_oldest_age_seconds", "Age of the oldest coupon import still running"
)
LAST_FINISHED = Metric(
    "haru_coupon_import_last_finished_timestamp_seconds", "When the last coupon import finished (Unix time)"
)


def read(now) -> StatusReport:
    from coupons.models import ImportRun, ImportStatus

    report = StatusReport()
    recent = ImportRun.objects.filter(created_at__gte=now - WINDOW).order_by()
    by_status = dict(recent.values_list("status").annotate(count=Count("id")))
    rows = recent.aggregate(
        inserted=Sum("inserted"), updated=Sum("updated"), unchanged=Sum("unchanged"), errors=Sum("error_count")
    )
    for status in ImportStatus:
        report.add(IMPORTS_LAST_DAY, by_status.get(status.value, 0), status.value)
    for outcome, total in rows.items():
        report.add(ROWS_LAST_DAY, total or 0, outcome)
    running = ImportRun.objects.filter(status=ImportStatus.RUNNING).aggregate(oldest=Min("created_at"))["oldest"]
    report.add(RUNNING_OLDEST_AGE, seconds_since(running, now) or 0)
    finished = ImportRun.objects.aggregate(last=Max("finished_at"))["last"]
    if finished:
        report.add(LAST_FINISHED, finished.timestamp())
    report.rows.append(
        [
            by_status.get(ImportStatus.DONE, 0),
            by_status.get(ImportStatus.REFUSED, 0),
            by_status.get(ImportStatus.RUNNING, 0),
            rows["inserted"] or 0,
            rows["errors"] or 0,
            ago(finished, now),
        ]
    )
    if running and now - running > STUCK_AFTER:
        report.problems.append(_("A coupon import has been running since %(when)s.") % {"when": ago(running, now)})
    return report


SECTION = StatusSection(
    key="coupons.imports",
    label=gettext_lazy("Coupon imports (last 24 hours)"),
    columns=(
        gettext_lazy("Done"),
        gettext_lazy("Refused"),
        gettext_lazy("Running"),
        gettext_lazy("Rows added"),
        gettext_lazy("Rows with errors"),
        gettext_lazy("Last finished"),
    ),
    read=read,
    metrics=(IMPORTS_LAST_DAY, ROWS_LAST_DAY, RUNNING_OLDEST_AGE, LAST_FINISHED),
    order=50,
)
