"""Actions from the ticket list: bulk (assign the selected tickets to me, or set their status),
one row's status picker, and saving / deleting a named view of the list.

Each ticket goes through the same service as on its own page (permissions, audit, Slack);
one refusal does not stop the others, and the list says how many went through.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from erp.audit.actor import Actor
from erp.audit.models import Source
from erp.core.errors import DomainError, error_text
from erp.people.roles import is_agent

from . import services
from .forms import StatusForm
from .list_filters import BULK_STATUSES
from .list_rows import handled_pks, list_rows, row_labels
from .models import SavedView, Ticket
from .selectors import list_tickets, ticket_for
from .services import saved_views
from .shortcuts import visible_ticket_or_404

MAX_BULK = 100  # one page of the list is 50


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if allowed and target.startswith("/") else fallback


@login_required
@require_POST
def ticket_bulk(request):
    back = safe_next(request, reverse("tickets:list"))
    refs = request.POST.getlist("ticket")[:MAX_BULK]
    action = request.POST.get("action")
    status = request.POST.get("status")
    if not refs:
        messages.error(request, _("Select at least one ticket."))
        return redirect(back)
    if action not in {"assign_me", "status"} or (action == "status" and status not in BULK_STATUSES):
        messages.error(request, _("Choose an action for the selected tickets."))
        return redirect(back)
    by = Actor.for_request(request, source=Source.WEB)
    done, refused = 0, []
    for ref in refs:
        try:
            ticket = ticket_for(request.user, ref)
            if action == "assign_me":
                services.ticket_assign(ticket=ticket, assignee=request.user, by=by)
            else:
                services.ticket_change_status(ticket=ticket, status=status, reason="", by=by)
        except Ticket.DoesNotExist:
            refused.append(_("%(number)s: no such ticket, or you cannot see it.") % {"number": ref})
        except (PermissionDenied, ValidationError, DomainError) as error:
            refused.append(f"{ticket.number}: {error_text(error)}")
        else:
            done += 1
    if done:
        messages.success(
            request, ngettext("%(n)d ticket was updated.", "%(n)d tickets were updated.", done) % {"n": done}
        )
    for line in refused:
        messages.error(request, line)
    return redirect(back)


@login_required
@require_POST
def ticket_row_status(request):
    """A list row's status picker, through the same service as the ticket page (permissions,
    audit, Slack). The pressed button names the ticket (``ticket``), its row's picker the
    status (``status-<number>``). htmx gets the row back with the outcome inside it; without
    JavaScript the list is shown again with the outcome as a message."""
    ref = request.POST.get("ticket", "")
    ticket = visible_ticket_or_404(request.user, ref)
    form = StatusForm({"status": request.POST.get(f"status-{ref}", ""), "reason": ""})
    ok = False
    if not form.is_valid():
        message = " ".join(error for errors in form.errors.values() for error in errors)
    else:
        try:
            ticket = services.ticket_change_status(
                ticket=ticket,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                by=Actor.for_request(request, source=Source.WEB),
            )
        except (PermissionDenied, ValidationError, DomainError) as error:
            message = error_text(error)
            if ticket.number not in message:  # the list holds many tickets: say which one
                message = f"{ticket.number}: {message}"
        else:
            ok = True
            message = _("%(number)s: status changed to %(status)s.") % {
                "number": ticket.number,
                "status": ticket.get_status_display(),
            }
    if not request.headers.get("HX-Request"):
        (messages.success if ok else messages.error)(request, message)
        return redirect(safe_next(request, reverse("tickets:list")))
    tickets = list(list_tickets(request.user).filter(pk=ticket.pk))
    return render(
        request,
        "tickets/_list_row.html",
        {
            "row": list_rows(tickets, handled_pks(request.user, tickets))[0] if tickets else None,
            "number": ticket.number,
            "row_message": message,
            "row_ok": ok,
            "is_agent": is_agent(request.user),
            "list_url": safe_next(request, reverse("tickets:list")),
            **row_labels(),
        },
    )


@login_required
@require_POST
def saved_view_save(request):
    back = safe_next(request, reverse("tickets:list"))
    query = back.split("?", 1)[1] if "?" in back else ""
    try:
        view = saved_views.saved_view_create(
            name=request.POST.get("name", ""),
            query=query,
            shared=request.POST.get("shared") == "on",
            by=Actor.for_request(request, source=Source.WEB),
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect(back)
    messages.success(request, _("Saved the view “%(name)s”.") % {"name": view.name})
    return redirect(f"{reverse('tickets:list')}?{view.query}" if view.query else reverse("tickets:list"))


@login_required
@require_POST
def saved_view_delete(request, pk):
    view = get_object_or_404(SavedView, pk=pk)
    try:
        saved_views.saved_view_delete(view=view, by=Actor.for_request(request, source=Source.WEB))
    except PermissionDenied as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Deleted the view “%(name)s”.") % {"name": view.name})
    return redirect(safe_next(request, reverse("tickets:list")))
