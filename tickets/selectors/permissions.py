"""Who may see and do what with tickets: the ONE place that says it (roles: see the package).

The browser UI, the REST API, the admin and the Slack layer all call these, and the
services enforce the ``can_*`` checks by raising ``django.core.exceptions.PermissionDenied``.
``handler_q`` / ``visibility_q`` (querysets) and ``can_handle`` / ``can_view`` (one ticket)
state the same rules twice; tests/tickets/matrix.py checks both against one table.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from erp.people.roles import is_agent, is_module_admin
from erp.people.selectors import employee_of

from ..models import ACTIVE_STATUSES, Status, Ticket


def is_ticket_admin(user) -> bool:
    return is_module_admin(user, "tickets")


def _agent_employee(user):
    """The employee record when the user has an agent-level role with a department."""
    employee = employee_of(user)
    if employee and employee.is_agent and employee.department_id:
        return employee
    return None


@dataclass(frozen=True)
class Viewer:
    """What the ticket visibility rules read of a (non-admin) user: their id and department.

    ``handler_q`` and ``visibility_q`` are built from this alone, so a caller can build the same
    Q from placeholder values and compile it once (erp.core.prepared): ``shape`` says which of
    the rules' branches apply, ``values`` the values they bind.
    """

    pk: int
    agent_department_id: int | None = None  # an agent-level role in this department
    agent_is_manager: bool = False
    manager_department_id: int | None = None  # a manager of this department (agent or not)

    @property
    def shape(self) -> tuple[bool, bool, bool]:
        return (self.agent_department_id is not None, self.agent_is_manager, self.manager_department_id is not None)

    @property
    def values(self) -> tuple[int, ...]:
        """``pk``, then the department when a branch reads it (both branches read the same one)."""
        department = self.agent_department_id or self.manager_department_id
        return (self.pk,) if department is None else (self.pk, department)

    @classmethod
    def of_shape(cls, shape: tuple[bool, bool, bool], *values: int) -> "Viewer":
        """The viewer of ``shape`` with ``values`` (as ``values`` gives them): placeholders welcome."""
        has_agent_department, agent_is_manager, has_manager_department = shape
        pk, department = values[0], values[1] if len(values) > 1 else None
        return cls(
            pk=pk,
            agent_department_id=department if has_agent_department else None,
            agent_is_manager=agent_is_manager,
            manager_department_id=department if has_manager_department else None,
        )


def viewer_of(user) -> Viewer | None:
    """The Viewer of a signed-in user; None for a ticket admin (who sees every ticket)."""
    if is_ticket_admin(user):
        return None
    agent = _agent_employee(user)
    employee = employee_of(user)
    return Viewer(
        pk=user.pk,
        agent_department_id=agent.department_id if agent else None,
        agent_is_manager=bool(agent and agent.is_manager),
        manager_department_id=(
            employee.department_id if employee and employee.is_manager and employee.department_id else None
        ),
    )


def handler_q(user, prefix: str = "") -> Q | None:
    """Tickets ``user`` handles as an agent (None = all tickets; Q(pk__in=[]) = none)."""
    viewer = viewer_of(user)
    return None if viewer is None else viewer_handles_q(viewer, prefix)


def viewer_handles_q(viewer: Viewer, prefix: str = "") -> Q:
    p = prefix
    handled = Q(**{f"{p}assignee_id": viewer.pk})
    if viewer.agent_department_id is not None:
        in_group = Q(**{f"{p}group_id": viewer.agent_department_id})
        if viewer.agent_is_manager:
            handled |= in_group
        else:
            handled |= in_group & Q(**{f"{p}sensitive": False})
    return handled


def visibility_q(user, prefix: str = "") -> Q | None:
    """Tickets ``user`` may see (None = all tickets)."""
    viewer = viewer_of(user)
    return None if viewer is None else viewer_sees_q(viewer, prefix)


def viewer_sees_q(viewer: Viewer, prefix: str = "") -> Q:
    p = prefix
    watched = Ticket.watchers.through.objects.filter(user_id=viewer.pk).values("ticket_id")
    # A subquery, not a join through the watchers table, so a list never repeats a ticket.
    visible = Q(**{f"{p}requester_id": viewer.pk}) | viewer_handles_q(viewer, prefix) | Q(**{f"{p}pk__in": watched})
    if viewer.manager_department_id is not None:
        visible |= Q(**{f"{p}requester__employee__department_id": viewer.manager_department_id, f"{p}sensitive": False})
    return visible


def visible_tickets(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Ticket.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated:
        return queryset.none()
    condition = visibility_q(user)
    return queryset if condition is None else queryset.filter(condition)


# --- single-ticket checks --------------------------------------------------------------
def _employee_cache(user):
    return employee_of(user) if user is not None and user.is_authenticated else None


def can_handle(user, ticket: Ticket) -> bool:
    """Agent-level rights on this ticket: assign, change status, internal notes, escalate."""
    if user is None or not user.is_authenticated:
        return False
    if is_ticket_admin(user):
        return True
    if ticket.assignee_id == user.pk:
        return True
    employee = _agent_employee(user)
    if employee is None or ticket.group_id != employee.department_id:
        return False
    return not ticket.sensitive or employee.is_manager


def can_view(user, ticket: Ticket) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if ticket.requester_id == user.pk or can_handle(user, ticket):
        return True
    if ticket.pk and ticket.watchers.filter(pk=user.pk).exists():
        return True
    employee = _employee_cache(user)
    if employee and employee.is_manager and employee.department_id and not ticket.sensitive:
        requester_employee = employee_of(ticket.requester)
        return bool(requester_employee and requester_employee.department_id == employee.department_id)
    return False


def is_requester(user, ticket: Ticket) -> bool:
    return user is not None and user.is_authenticated and ticket.requester_id == user.pk


def can_edit(user, ticket: Ticket) -> bool:
    """Handlers edit any field; the requester edits title/description while nobody picked it up."""
    if ticket.status == Status.CLOSED:
        return False
    return can_handle(user, ticket) or (is_requester(user, ticket) and ticket.status == Status.OPEN)


def can_declassify(user, ticket: Ticket) -> bool:
    """Clearing ``sensitive`` widens who sees the ticket: only its requester, the managers
    of its group and ticket admins may (a plain agent assignee may not; review M2)."""
    if user is None or not user.is_authenticated:
        return False
    if is_ticket_admin(user) or is_requester(user, ticket):
        return True
    employee = _agent_employee(user)
    return bool(employee and employee.is_manager and ticket.group_id == employee.department_id)


def can_assign(user, ticket: Ticket) -> bool:
    return ticket.status != Status.CLOSED and can_handle(user, ticket)


def can_change_status(user, ticket: Ticket) -> bool:
    return can_handle(user, ticket)


def can_comment(user, ticket: Ticket, *, internal: bool = False) -> bool:
    if ticket.status == Status.CLOSED:
        return False
    if internal:
        return can_handle(user, ticket)
    return can_view(user, ticket)


def can_comment_from_thread(user, ticket: Ticket) -> bool:
    """Whether a reply in the chat thread under a ticket's message becomes a comment.

    Agents' replies and the requester's do (the requester's as a public comment, which also
    resumes a ticket waiting on them): a ticket's thread in a team channel is also where
    colleagues chat about it, and only the people working the ticket or the person it is for
    speak for it there. Anyone else comments through the portal, a command or the button.
    """
    if ticket.requester_id == getattr(user, "pk", None):
        return can_comment(user, ticket)
    return is_agent(user) and can_comment(user, ticket)


def can_see_internal(user, ticket: Ticket) -> bool:
    return can_handle(user, ticket)


def can_escalate(user, ticket: Ticket) -> bool:
    return ticket.status in ACTIVE_STATUSES and can_handle(user, ticket)


def can_resolve(user, ticket: Ticket) -> bool:
    return can_handle(user, ticket)


def can_close(user, ticket: Ticket) -> bool:
    """Handlers close tickets; a requester may close their own (e.g. no longer needed)."""
    return can_handle(user, ticket) or is_requester(user, ticket)


def can_reopen(user, ticket: Ticket) -> bool:
    return can_handle(user, ticket) or is_requester(user, ticket)


def can_rate(user, ticket: Ticket) -> bool:
    """Only the requester rates, once the ticket is resolved or closed (tickets.services.ticket_rate)."""
    return is_requester(user, ticket) and ticket.status in (Status.RESOLVED, Status.CLOSED)


def allowed_actions(user, ticket: Ticket) -> dict[str, bool]:
    """Every check at once, for templates and API clients."""
    return {
        "view": can_view(user, ticket),
        "edit": can_edit(user, ticket),
        "assign": can_assign(user, ticket),
        "change_status": can_change_status(user, ticket),
        "comment": can_comment(user, ticket),
        "internal_note": can_comment(user, ticket, internal=True),
        "escalate": can_escalate(user, ticket),
        "resolve": can_resolve(user, ticket) and ticket.status in ACTIVE_STATUSES,
        "close": can_close(user, ticket) and ticket.status != Status.CLOSED,
        "reopen": can_reopen(user, ticket) and ticket.status in (Status.RESOLVED, Status.CLOSED),
        "rate": can_rate(user, ticket),
    }
