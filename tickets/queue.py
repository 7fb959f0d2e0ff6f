"""Queue views of the ticket list: 열린 티켓 (the default), 내 미해결, 미배정, SLA 위반·임박,
우리 팀, 내가 요청한, 전체 — each a named condition (``?view=mine``), combined with the filters.

Counts are capped (erp.core.counts): each is ``COUNT(*)`` over ``LIMIT cap+1`` of an indexed,
narrowed query, never an unbounded count of the whole table.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp.core.counts import capped_count, count_label  # noqa: F401  (the list view uses both)
from erp.people.roles import is_agent
from erp.people.selectors import employee_of

from .models import ACTIVE_STATUSES, SLAState

DEFAULT_VIEW = "open"


@dataclass(frozen=True)
class QueueView:
    key: str
    label: str
    agents_only: bool = False

    def condition(self, user) -> Q | None:
        """The view's condition for ``user``; None when it cannot apply (no department)."""
        active = Q(status__in=ACTIVE_STATUSES)
        if self.key == "open":
            return active
        if self.key == "mine":
            return active & Q(assignee=user)
        if self.key == "unassigned":
            return active & Q(assignee__isnull=True)
        if self.key == "sla":
            return active & Q(sla_state__in=[SLAState.AT_RISK, SLAState.BREACHED])
        if self.key == "team":
            employee = employee_of(user)
            return active & Q(group_id=employee.department_id) if employee and employee.department_id else None
        if self.key == "requested":
            return Q(requester=user)
        return Q()  # "all"


VIEWS = (
    QueueView("open", _("Open tickets")),
    QueueView("mine", _("My open tickets"), agents_only=True),
    QueueView("unassigned", _("Unassigned"), agents_only=True),
    QueueView("sla", _("SLA breached or at risk"), agents_only=True),
    QueueView("team", _("My team"), agents_only=True),
    QueueView("requested", _("Requested by me")),
    QueueView("all", _("All tickets")),
)
BY_KEY = {view.key: view for view in VIEWS}


def views_for(user) -> list[QueueView]:
    agent = is_agent(user)
    return [view for view in VIEWS if agent or not view.agents_only]


def current_view(user, key: str | None) -> QueueView:
    allowed = {view.key: view for view in views_for(user)}
    return allowed.get(key or DEFAULT_VIEW, allowed[DEFAULT_VIEW])


def apply_view(queryset, view: QueueView, user):
    condition = view.condition(user)
    return queryset.none() if condition is None else queryset.filter(condition)


def view_counts(base_queryset, user) -> list[tuple[QueueView, str]]:
    """Every view the user has, with its live count over ``base_queryset`` (visible tickets).

    "All tickets" has no count: it is the one view that would count the whole history (its
    capped result count shows when it is open)."""
    return [
        (view, "" if view.key == "all" else count_label(apply_view(base_queryset, view, user)))
        for view in views_for(user)
    ]
