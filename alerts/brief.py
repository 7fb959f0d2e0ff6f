"""The alerts section of the morning brief (erp.history.brief), for a team that owns alert
sources: its alert groups still firing (by source) and the security releases its feeds
brought since the previous working day, from the rollups, plus a count of the other releases
its subscriptions wanted (what the release digest would have posted: the brief stands in for it).

Privacy: counts, source names and the titles of security releases (public release notes) —
never an alert's title or text (hostnames, addresses, people's names in a mail subject).
"""

from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.history.brief import BriefPart, BriefSection
from erp.history.reports import cells, totals
from erp.workcalendar.calendar import KST, get_calendar

from .dashboard import GROUPS, ITEMS, still_firing
from .models import Item, ItemKind, Source

LABEL = gettext_lazy("Alerts")
SOURCES_SHOWN = 5
RELEASES_SHOWN = 3


def alerts_brief(department, day) -> BriefPart | None:
    names = dict(Source.objects.filter(owner_team=department).values_list("pk", "name"))
    if not names:
        return None
    team = Q(scope=department.pk)
    firing = still_firing(team)
    since = get_calendar().previous_working_day(day)
    security = totals(cells(ITEMS, ["security_release"], allowed=team, first=since, last=day - timedelta(days=1)))
    releases = security.get(("security_release",), (0, 0))[1]
    wanted = _wanted_releases(names, since, day).aggregate(
        all=Count("pk"), security=Count("pk", filter=Q(facts__security=True))
    )
    others = wanted["all"] - wanted["security"]
    if not (firing or releases or others):
        return None
    lines = []
    if firing:
        busiest = sorted(firing.items(), key=lambda pair: (-pair[1], names.get(pair[0], "")))[:SOURCES_SHOWN]
        lines.append(
            _("Alert groups still firing: %(count)d (%(sources)s)")
            % {
                "count": sum(firing.values()),
                "sources": ", ".join(f"{names.get(pk, '—')} {n}" for pk, n in busiest),
            }
        )
    if releases:
        lines.append(_("New security releases since %(day)s: %(count)d") % {"day": f"{since:%m-%d}", "count": releases})
        lines += [f"· {title[:100]}" for title in _release_titles(names, since, day)]
    if others:
        lines.append(_("Other new releases since %(day)s: %(count)d") % {"day": f"{since:%m-%d}", "count": others})
    return BriefPart(lines=lines, link=(_("Alert report"), reverse("reports:report", args=[GROUPS])))


def _wanted_releases(names, since, day):
    """Releases the team's subscriptions wanted since ``since`` (along the source index)."""
    start, end = datetime.combine(since, time.min, KST), datetime.combine(day, time.min, KST)
    return Item.objects.filter(
        source__in=list(names), kind=ItemKind.RELEASE, received_at__gte=start, received_at__lt=end,
        facts__matched=True,
    )  # fmt: skip


def _release_titles(names, since, day) -> list[str]:
    """The newest few wanted security releases of the team's feeds."""
    rows = _wanted_releases(names, since, day).filter(facts__security=True).order_by("-received_at")
    return list(rows.values_list("title", flat=True)[:RELEASES_SHOWN])


# Stands in for the release digest of the team's own feeds in its channel (integrations/slack/alerts).
BRIEF_SECTION = BriefSection("alerts", LABEL, alerts_brief, order=50, replaces=("alerts.release_digest",))
