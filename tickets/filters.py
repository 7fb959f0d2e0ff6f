"""The ONE ticket FilterSet: the list page, the CSV export, the REST API and Slack search use it.

Pass the acting user (``TicketFilter(data, queryset=list_tickets(user), user=user)``): the
free-text ``q`` only matches comment text the user may read.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from erp.core.filters import IdFilter, SaneDateRangeFilter, TagFilter, YesNoFilter
from erp.people.models import Department
from erp.people.selectors import agent_users

from .models import Category, Level, Priority, SLAState, Status, Ticket, TicketSource, TicketType
from .selectors import search_lines, search_q


def _agents(request=None):
    return agent_users()


class TicketFilter(django_filters.FilterSet):
    # distinct=False: no filter joins a to-many relation, and SELECT DISTINCT over every
    # column would force a sort of all matching rows instead of walking the sort index.
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=100)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Status.choices, distinct=False)
    priority = django_filters.MultipleChoiceFilter(label=_("Priority"), choices=Priority.choices, distinct=False)
    ticket_type = django_filters.ChoiceFilter(label=_("Type"), choices=TicketType.choices)
    group = django_filters.ModelChoiceFilter(
        label=_("Group"), queryset=Department.objects.filter(is_active=True), null_label=_("No group")
    )
    assignee = django_filters.ModelChoiceFilter(label=_("Assignee"), queryset=_agents, null_label=_("Unassigned"))
    requester = IdFilter(label=_("Requester (user id)"), field_name="requester_id")
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=Category.objects.all())
    sla_state = django_filters.MultipleChoiceFilter(label=_("SLA state"), choices=SLAState.choices, distinct=False)
    impact = django_filters.ChoiceFilter(label=_("Impact"), choices=Level.choices)
    urgency = django_filters.ChoiceFilter(label=_("Urgency"), choices=Level.choices)
    source = django_filters.ChoiceFilter(label=_("Source"), choices=TicketSource.choices)
    sensitive = YesNoFilter(label=_("Sensitive"))
    tag = TagFilter(label=_("Tag"))
    created = SaneDateRangeFilter(label=_("Created"), field_name="created_at")
    updated = SaneDateRangeFilter(label=_("Updated"), field_name="updated_at")

    class Meta:
        model = Ticket
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None else getattr(self.request, "user", None)

    def filter_q(self, queryset, name, value):
        return _text_filtered(queryset, self.user, value)


def text_search_lines(user, text: str, count: int) -> list:
    """The list's ``q`` for a caller with only a text (Slack's search): the first ``count``
    matches as one-line summaries (tickets.selectors.search_lines), latest change first.

    The same validation as the FilterSet (the ``q`` form field: ValidationError) and the same
    matches, without building the whole FilterSet and its form (16 filters deep-copied a call).
    """
    value = TicketFilter.base_filters["q"].field.clean(text)
    return search_lines(user, (value or "").strip(), count)


def _text_filtered(queryset, user, value):
    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.filter(search_q(user, value))
