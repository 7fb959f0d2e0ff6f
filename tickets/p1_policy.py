"""Who may raise a P1 (security review L6, issue 15): a policy an admin sets in
Admin → Ticket settings, enforced in the ticket services, so every surface obeys it (web
form, REST API, Slack ``/fs create`` and its modal, an alert's "티켓 생성" button, admin).

Decision: a requester who may not raise a P1 is not refused — an outage must still be
reported. The ticket is filed at P2 (no incident channel, no page), an audit event
"p1_not_allowed" notes the P1 that was asked for, and the surface tells the requester
(``notice_for``); an agent can raise it after triage. Editing impact/urgency up to P1
(``ticket_update``) is refused with a form error instead: that is a deliberate change by a
handler, not a report. The system itself (no user: automation) is never limited.
"""

from django.utils.translation import gettext as _

from erp.people.roles import is_agent
from erp.people.selectors import employee_of

from .models import P1Policy, Priority, TicketSettings

# The priority a disallowed P1 is filed at.
HELD_BACK_PRIORITY = Priority.P2


def may_raise_p1(user) -> bool:
    if user is None:
        return True
    policy = TicketSettings.current().p1_policy
    if policy == P1Policy.ANYONE or is_agent(user):
        return True
    if policy == P1Policy.AGENTS_AND_TEAM_LEADS:
        employee = employee_of(user)
        return bool(employee and employee.reports.exists())
    return False


def refusal_message() -> str:
    if TicketSettings.current().p1_policy == P1Policy.AGENTS_AND_TEAM_LEADS:
        return _("Only agents and team leads can raise a P1 (it opens an incident channel and pages on-call).")
    return _("Only agents can raise a P1 (it opens an incident channel and pages on-call).")


def notice_for(ticket) -> str:
    """What to tell the requester when their P1 was filed at P2 (empty otherwise)."""
    if not getattr(ticket, "p1_held_back", False):
        return ""
    if TicketSettings.current().p1_policy == P1Policy.AGENTS_AND_TEAM_LEADS:
        message = _(
            "%(number)s was filed at P2: under the company's policy only agents and team leads can raise "
            "a P1. An agent will review it and can raise the priority."
        )
    else:
        message = _(
            "%(number)s was filed at P2: under the company's policy only agents can raise a P1. "
            "An agent will review it and can raise the priority."
        )
    return message % {"number": ticket.number}
