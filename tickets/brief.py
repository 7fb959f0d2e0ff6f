"""The tickets section of the morning brief (erp.history.brief): the team group's tickets since
the previous working day (new, resolved, SLA breaches, from the rollup) and its open P1s.

Privacy: counts, ticket numbers and titles of non-sensitive P1s (personal data masked);
a sensitive P1 is counted, never named.
"""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.core.pii import mask_pii
from erp.history.brief import BriefPart, BriefSection
from erp.history.reports import cells, totals
from erp.workcalendar.calendar import get_calendar

from .dashboard import ROLLUP
from .models import ACTIVE_STATUSES, Priority, Ticket

P1_SHOWN = 5
LABEL = gettext_lazy("IT tickets")


def tickets_brief(department, day) -> BriefPart | None:
    since = get_calendar().previous_working_day(day)
    figures = totals(
        cells(
            ROLLUP,
            ["created", "resolved", "sla_first_response", "sla_resolution"],
            allowed=Q(scope=department.pk),
            first=since,
            last=day - timedelta(days=1),
        )
    )
    get = lambda metric: figures.get((metric,), (0, 0))  # noqa: E731
    breaches = sum(get(m)[1] - int(get(m)[0]) for m in ("sla_first_response", "sla_resolution"))
    p1 = Ticket.objects.filter(group=department, priority=Priority.P1, status__in=ACTIVE_STATUSES).order_by(
        "created_at"
    )
    shown = list(p1.filter(sensitive=False)[:P1_SHOWN])
    p1_count = p1.count()
    if not (get("created")[1] or get("resolved")[1] or breaches or p1_count):
        return None
    lines = [
        _("Since %(day)s: %(new)d new, %(resolved)d resolved, %(breaches)d SLA breaches")
        % {"day": f"{since:%m-%d}", "new": get("created")[1], "resolved": get("resolved")[1], "breaches": breaches}
    ]
    if p1_count:
        lines.append(_("Open P1 tickets: %(count)d") % {"count": p1_count})
        lines += [f"{ticket.number} {mask_pii(ticket.title)[:80]}" for ticket in shown]
    return BriefPart(lines=lines, link=(_("Ticket report"), reverse("reports:report", args=["tickets"])))


BRIEF_SECTION = BriefSection("tickets", LABEL, tickets_brief, order=10, replaces=("tickets.digest",))
