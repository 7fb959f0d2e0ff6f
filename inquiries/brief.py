"""The inquiries section of the morning brief (erp.history.brief), for the sales and marketing
teams only: inquiries received since the previous working day (by category) and how many
still wait for a first answer, from the rollup.

Privacy: counts and category names only — never a customer's name, company, contact, subject
or message, and no inquiry numbers (a team channel can have guests).
"""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.history.brief import BriefPart, BriefSection
from erp.history.reports import cells, totals
from erp.workcalendar.calendar import get_calendar

from .conf import setting
from .dashboard import ROLLUP, unanswered_now
from .models import Category
from .rollup import CATEGORY_CODES

LABEL = gettext_lazy("Customer inquiries")


def is_inquiry_team(department) -> bool:
    codes = (*setting("INQUIRIES_SALES_DEPARTMENTS"), *setting("INQUIRIES_MARKETING_DEPARTMENTS"))
    return bool(department.code) and department.code in codes


def inquiries_brief(department, day) -> BriefPart | None:
    if not is_inquiry_team(department):
        return None
    since = get_calendar().previous_working_day(day)
    received = totals(cells(ROLLUP, ["received"], allowed=Q(), first=since, last=day - timedelta(days=1)), "extra")
    new = sum(n for _total, n in received.values())
    waiting = unanswered_now(Q())
    if not (new or waiting):
        return None
    names = {code: Category(value).label for value, code in CATEGORY_CODES.items()}
    by_category = sorted(((n, extra) for (_m, extra), (_t, n) in received.items() if n), key=lambda x: (-x[0], x[1]))
    line = _("Since %(day)s: %(count)d new") % {"day": f"{since:%m-%d}", "count": new}
    if by_category:
        line += " (" + ", ".join(f"{names.get(extra, '—')} {n}" for n, extra in by_category) + ")"
    lines = [line, _("Waiting for a first answer: %(count)d") % {"count": waiting}]
    return BriefPart(lines=lines, link=(_("Inquiry report"), reverse("reports:report", args=[ROLLUP])))


# Stands in for the unanswered-inquiries nudge routed to an opted-in team's channel.
BRIEF_SECTION = BriefSection("inquiries", LABEL, inquiries_brief, order=30, replaces=("inquiries.unanswered",))
