"""Leave in the history search: requests found by their reason or the approver's comment, only
by those who may open them (leave.selectors.visible_requests: a sick-leave reason is private)."""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from erp.core.search import SearchSource

from .models import LeaveRequest
from .selectors import visible_requests


def _title(leave: LeaveRequest) -> str:
    return gettext("%(name)s · %(kind)s from %(date)s (%(status)s)") % {
        "name": leave.employee.display_name,
        "kind": leave.leave_type.label,
        "date": f"{leave.start_date:%Y-%m-%d}",
        "status": leave.get_status_display(),
    }


def _summary(leave: LeaveRequest) -> str:
    return Truncator(leave.reason).chars(160)


def _url(leave: LeaveRequest) -> str:
    return reverse("leave:detail", args=[leave.pk])


LEAVE_SOURCE = SearchSource(
    key="leave_requests",
    label=_("Leave requests"),
    model=LeaveRequest,
    fields=("reason", "decision_note"),
    for_user=visible_requests,
    title=_title,
    summary=_summary,
    url=_url,
    date_field="created_at",
    order=22,
    select_related=("employee", "leave_type"),
    person_fields=("employee",),
    status_field="status",
    body=lambda leave: f"{leave.reason}\n{leave.decision_note}",
)
