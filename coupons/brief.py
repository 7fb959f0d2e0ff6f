"""The coupons section of the morning brief (erp.history.brief), for a team that owns coupon
clients (the team whose channel gets a client's daily summary): its clients' sends and
failures since the previous working day, from the rollup.

Privacy: counts and client names (companies) only — never a phone number, a tr_id, an order
number or a failure message (the gateway's text can quote a recipient).
"""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.history.brief import BriefPart, BriefSection
from erp.history.reports import cells, totals
from erp.workcalendar.calendar import get_calendar

from .dashboard import ROLLUP
from .models import Client

LABEL = gettext_lazy("Coupon sends")
CLIENTS_SHOWN = 5


def coupons_brief(department, day) -> BriefPart | None:
    clients = dict(Client.objects.filter(department=department).values_list("pk", "name"))
    if not clients:
        return None
    since = get_calendar().previous_working_day(day)
    figures = totals(
        cells(
            ROLLUP, ["sent", "issued"], allowed=Q(scope__in=list(clients)), first=since, last=day - timedelta(days=1)
        ),
        "scope",
    )
    by_client = []
    for pk, name in clients.items():
        sent = figures.get(("sent", pk), (0, 0))[1]
        if sent:
            by_client.append((sent, name, sent - figures.get(("issued", pk), (0, 0))[1]))
    if not by_client:
        return None
    by_client.sort(key=lambda row: (-row[0], row[1]))
    sent, failed = sum(row[0] for row in by_client), sum(row[2] for row in by_client)
    lines = [
        _("Since %(day)s: %(sent)s sends, %(failed)s failed")
        % {"day": f"{since:%m-%d}", "sent": f"{sent:,}", "failed": f"{failed:,}"}
    ]
    lines += [
        _("%(client)s: %(sent)s sends, %(failed)s failed") % {"client": name, "sent": f"{n:,}", "failed": f"{bad:,}"}
        for n, name, bad in by_client[:CLIENTS_SHOWN]
    ]
    return BriefPart(lines=lines, link=(_("Coupon report"), reverse("reports:report", args=[ROLLUP])))


# Stands in for the 09:00 "yesterday's coupons" post of an opted-in team (integrations/slack/coupons).
BRIEF_SECTION = BriefSection("coupons", LABEL, coupons_brief, order=40, replaces=("coupons.daily_summary",))
