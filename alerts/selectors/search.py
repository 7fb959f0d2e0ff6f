"""Alerts in the history search: groups, found by title, grouping key or summary (Korean bigrams)."""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from erp.core.search import SearchSource

from ..models import AlertGroup
from . import visible_groups

SEARCH_FIELDS = ("title", "key", "summary")


def _title(group: AlertGroup) -> str:
    return gettext("%(title)s · %(source)s (%(state)s)") % {
        "title": group.title,
        "source": group.source.name,
        "state": group.get_state_display(),
    }


def _summary(group: AlertGroup) -> str:
    return Truncator(group.summary or group.key).chars(160)


def _url(group: AlertGroup) -> str:
    return reverse("alerts:group", args=[group.pk])


GROUP_SOURCE = SearchSource(
    key="alert_groups",
    label=_("Alerts"),
    model=AlertGroup,
    fields=SEARCH_FIELDS,
    for_user=visible_groups,
    title=_title,
    summary=_summary,
    url=_url,
    date_field="last_seen",
    select_related=("source",),
    order=60,
)
