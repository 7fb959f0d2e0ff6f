"""Browser pages: list (filters, search, keyset pages, CSV), detail with actions, forms.

Views only translate HTTP to service calls: reads via tickets.selectors, writes via
tickets.services (which enforce permissions; PermissionDenied becomes a 403 page).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from erp.audit.actor import Actor
from erp.audit.models import Source
from erp.core.errors import DomainError, error_text
from erp.people.names import display_name
from erp.people.roles import is_agent

from . import services
from .export import csv_response
from .filter_controls import filter_controls
from .filters import TicketFilter
from .forms import (
    AssignForm,
    CloseForm,
    CommentForm,
    RatingForm,
    ReasonForm,
    ResolveForm,
    StatusForm,
    TicketForm,
    ToolbarForm,
)
from .incident_links import incident_link
from .list_filters import BULK_STATUSES, active_filters, clean_query, view_url
from .list_rows import handled_pks, list_rows, row_labels
from .models import ACTIVE_STATUSES, SavedView, Status
from .oncall.selectors import on_call_now
from .p1_policy import notice_for as p1_notice_for
from .pagination import DEFAULT_SORT, SORTS, keyset_page
from .queue import apply_view, capped_count, current_view, view_counts
from .selectors import (
    allowed_actions,
    can_edit,
    can_handle,
    latest_rating,
    list_tickets,
    ticket_attachments,
)
from .shortcuts import visible_ticket_or_404
from .timeline import ticket_timeline

PAGE_SIZE = 50
# Shown in the first row of the list filters; the others fold under "More filters".
PRIMARY_FILTERS = ("status", "priority", "ticket_type", "group", "assignee", "sla_state")
# A requester's list holds only their own requests: routing and SLA filters mean nothing to them.
REQUESTER_FILTERS = ("status", "ticket_type", "category", "tag", "created")


def saved_views_for(user, agent: bool) -> list[SavedView]:
    """My saved views, then (for agents) those colleagues shared."""
    mine = Q(owner=user)
    return list(SavedView.objects.filter(mine | Q(shared=True) if agent else mine).select_related("owner__employee"))


def filtered_tickets(request):
    """(filterset, queryset, queue view): the queue view (?view=, default open tickets) narrows
    the visible tickets first; the filters apply within it."""
    view = current_view(request.user, request.GET.get("view"))
    base = apply_view(list_tickets(request.user), view, request.user)
    # Always bound (an empty query is a valid "no filter"), so invalid input shows as form errors.
    filterset = TicketFilter(request.GET, queryset=base, user=request.user)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    return filterset, queryset, view


@login_required
def ticket_list(request):
    clean = clean_query(request.GET)
    if clean is not None:
        # Empty filter fields of a submitted form: the same list under a short URL to share.
        return redirect(f"{request.path}?{clean}" if clean else request.path)
    filterset, queryset, view = filtered_tickets(request)
    agent = is_agent(request.user)
    controls = [c for c in filter_controls(filterset) if agent or c["name"] in REQUESTER_FILTERS]
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else DEFAULT_SORT
    if sort == "due":
        queryset = queryset.filter(resolution_due__isnull=False)
    page = keyset_page(queryset, sort=sort, cursor=request.GET.get("cursor"), page_size=PAGE_SIZE)
    if page.cursor_ignored:
        messages.warning(request, _("That page link is not valid (any more); showing the first page."))
    params = request.GET.copy()
    params.pop("cursor", None)
    result_count, result_capped = capped_count(queryset)
    return render(
        request,
        "tickets/ticket_list.html",
        {
            "filter": filterset,
            "filter_controls": controls,
            "page": page,
            "tickets": page.items,
            "rows": list_rows(page.items, handled_pks(request.user, page.items) if agent else frozenset()),
            **row_labels(),
            "sort": sort,
            "sorts": [(key, label) for key, (label, _fields) in SORTS.items()],
            "query_string": params.urlencode(),
            "is_agent": agent,
            "view": view,
            "views": [
                (item, count, view_url(request.GET, item.key))
                for item, count in view_counts(list_tickets(request.user), request.user)
            ],
            "active_filters": active_filters(controls, request.GET),
            "saved_views": saved_views_for(request.user, agent),
            "result_count": result_count,
            "result_capped": result_capped,
            "bulk_statuses": [(value, label) for value, label in Status.choices if value in BULK_STATUSES],
            "list_url": request.get_full_path(),
            "primary_filters": PRIMARY_FILTERS if agent else REQUESTER_FILTERS,
            # Errors of filters without a control of their own (the search box, requester id).
            "unlisted_filter_errors": [
                (filterset.form.fields[name].label, error)
                for name, errors in filterset.errors.items()
                if name not in {control["name"] for control in controls}
                for error in errors
            ],
            "more_filters_used": any(
                control["name"] not in PRIMARY_FILTERS and control.get("value", "") != "" for control in controls
            )
            or any(value for control in controls for _name, value in control.get("inputs", ())),
        },
    )


@login_required
def ticket_export(request):
    """CSV of the filtered list (every matching row, streamed; UTF-8 with BOM for Excel)."""
    filterset, queryset, _view = filtered_tickets(request)
    if not filterset.is_valid():
        # An empty file would look like "no tickets match"; say what is wrong instead.
        return HttpResponseBadRequest(_filter_errors_text(filterset), content_type="text/plain; charset=utf-8")
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else DEFAULT_SORT
    return csv_response(queryset, sort=sort)


def _filter_errors_text(filterset) -> str:
    lines = [_("The export filters are invalid:")]
    for name, errors in filterset.errors.items():
        field = filterset.form.fields.get(name)
        label = field.label if field is not None else name
        lines += [f"{label}: {error}" for error in errors]
    return "\n".join(lines) + "\n"


@login_required
@require_http_methods(["GET", "POST"])
def ticket_create(request):
    agent = is_agent(request.user)
    form = TicketForm(request.POST or None, request.FILES or None, agent=agent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        impact, urgency = form.impact_urgency()
        try:
            ticket = services.ticket_create(
                title=data["title"],
                description=data["description"],
                ticket_type=data["ticket_type"],
                category=data["category"],
                impact=impact,
                urgency=urgency,
                group=data.get("group"),
                sensitive=data["sensitive"],
                tags=data["tags"],
                requester=data.get("requester"),
                assignee=data.get("assignee"),
                attachments=data["attachments"],
                by=Actor.for_request(request, source=Source.WEB),
            )
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            messages.success(request, _("%(number)s was created.") % {"number": ticket.number})
            if notice := p1_notice_for(ticket):
                messages.warning(request, notice)
            return redirect(ticket)
    return render(request, "tickets/ticket_form.html", {"form": form, "creating": True})


def _add_form_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def ticket_edit(request, ref):
    ticket = visible_ticket_or_404(request.user, ref)
    if not can_edit(request.user, ticket):
        raise PermissionDenied(_("You cannot edit this ticket."))
    requester_only = not can_handle(request.user, ticket)
    form = TicketForm(
        request.POST or None,
        request.FILES or None,
        instance=ticket,
        agent=is_agent(request.user),
        editing=True,
        requester_only=requester_only,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("attachments", [])
        by = Actor.for_request(request, source=Source.WEB)
        try:
            ticket = services.ticket_update(ticket=ticket, by=by, **data)
            if files:
                services.ticket_add_attachments(ticket=ticket, files=files, by=by)
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            messages.success(request, _("%(number)s was saved.") % {"number": ticket.number})
            return redirect(ticket)
    return render(request, "tickets/ticket_form.html", {"form": form, "ticket": ticket, "creating": False})


@login_required
def ticket_detail(request, ref):
    ticket = visible_ticket_or_404(request.user, ref)
    user = request.user
    actions = allowed_actions(user, ticket)
    rating = latest_rating(ticket)
    return render(
        request,
        "tickets/ticket_detail.html",
        {
            "ticket": ticket,
            "incident": _incident_banner(ticket),
            "actions": actions,
            "timeline": ticket_timeline(user, ticket),
            "attachments": ticket_attachments(user, ticket).filter(comment=None),
            # One auto_id per form: several forms share field names (reason, resolution), and
            # duplicate ids would tie each <label> to the wrong box.
            "assign_form": AssignForm(
                initial={"assignee": ticket.assignee_id}, group=ticket.group, auto_id="assign-%s"
            ),
            "toolbar": _toolbar(user, ticket, actions),
            "toolbar_form": ToolbarForm(allowed=services.quick_next_statuses(ticket.status), auto_id="act-%s"),
            "comment_form": CommentForm(auto_id="comment-%s"),
            "reopen_form": ReasonForm(auto_id="reopen-%s"),
            "close_form": CloseForm(auto_id="close-%s"),
            "rating": rating,
            "rating_form": RatingForm(
                initial={"score": rating.score, "comment": rating.comment} if rating else None, auto_id="rating-%s"
            ),
        },
    )


def _toolbar(user, ticket, actions) -> dict | None:
    """Which toolbar buttons an agent gets (None: not a handler, or nothing left to do)."""
    if not actions["change_status"]:
        return None
    toolbar = {
        "assign_me": actions["assign"] and ticket.assignee_id != user.pk,
        "status": bool(services.quick_next_statuses(ticket.status)),
        "resolve": actions["resolve"],
        "escalate": actions["escalate"],
        "close": actions["close"],
    }
    if not any(toolbar.values()):
        return None
    # One resolution box for Resolve and Close; a ticket resolved before keeps its resolution.
    toolbar["resolution"] = actions["resolve"] or (actions["close"] and not ticket.resolution)
    return toolbar


def _incident_banner(ticket) -> dict | None:
    """For an open P1: its incident channel (when Slack opened one) and who is on call."""
    if ticket.priority != "P1" or ticket.status not in ACTIVE_STATUSES:
        return None
    on_call = on_call_now(ticket.group)
    link = incident_link(ticket)
    return {"on_call": on_call.display_name if on_call else "", "channel": link}


def _action(form_class, perform):
    """A POST-only action view: validate the form, call the service, report, go back."""

    @login_required
    @require_POST
    def view(request, ref):
        ticket = visible_ticket_or_404(request.user, ref)
        form = form_class(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(ticket)
        try:
            message = perform(ticket, form.cleaned_data, Actor.for_request(request, source=Source.WEB))
        except (ValidationError, DomainError) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, message)
        return _back_to(request, ticket)

    return view


def _back_to(request, ticket):
    """The ticket page, or the list when the action took the ticket out of the actor's sight
    (escalated to another group, assigned away): nobody lands on a 404 after their own work."""
    if list_tickets(request.user).filter(pk=ticket.pk).exists():
        return redirect(ticket)
    messages.info(request, _("%(number)s is no longer in your queue; back to the list.") % {"number": ticket.number})
    return redirect("tickets:list")


def _assign(ticket, data, by):
    ticket = services.ticket_assign(ticket=ticket, assignee=data["assignee"], auto=data["auto"], by=by)
    if ticket.assignee_id:
        return _("Assigned to %(name)s.") % {"name": display_name(ticket.assignee)}
    return _("The ticket is now unassigned.")


def _status(ticket, data, by):
    ticket = services.ticket_change_status(ticket=ticket, status=data["status"], reason=data["reason"], by=by)
    return _("Status changed to %(status)s.") % {"status": ticket.get_status_display()}


def _comment(ticket, data, by):
    comment = services.ticket_comment(
        ticket=ticket, body=data["body"], internal=data["internal"], attachments=data["attachments"], by=by
    )
    return _("Internal note added.") if comment.internal else _("Reply added.")


def _escalate(ticket, data, by):
    ticket = services.ticket_escalate(ticket=ticket, reason=data["reason"], by=by)
    if ticket.group_id:
        return _("%(number)s was escalated to %(group)s (level %(level)d).") % {
            "number": ticket.number,
            "group": ticket.group.name,
            "level": ticket.escalation_level,
        }
    return _("Escalated to level %(level)d.") % {"level": ticket.escalation_level}


def _resolve(ticket, data, by):
    services.ticket_resolve(ticket=ticket, resolution=data["resolution"], by=by)
    return _("The ticket was resolved.")


def _close(ticket, data, by):
    services.ticket_close(ticket=ticket, reason=data["reason"], resolution=data["resolution"], by=by)
    return _("The ticket was closed.")


def _reopen(ticket, data, by):
    services.ticket_reopen(ticket=ticket, reason=data["reason"], by=by)
    return _("The ticket was reopened.")


def _rate(ticket, data, by):
    services.ticket_rate(ticket=ticket, score=data["score"], comment=data["comment"], by=by)
    return _("Thank you for rating %(number)s.") % {"number": ticket.number}


def _toolbar_action(ticket, data, by):
    """The toolbar's pressed button, handed to the same service as the single-action forms."""
    action = data["action"]
    if action == "assign_me":
        return _assign(ticket, {"assignee": by.user, "auto": False}, by)
    if action == "status":
        return _status(ticket, data, by)
    if action == "resolve":
        return _resolve(ticket, data, by)
    if action == "escalate":
        return _escalate(ticket, data, by)
    return _close(ticket, data, by)


ticket_toolbar = _action(ToolbarForm, _toolbar_action)
ticket_assign = _action(AssignForm, _assign)
ticket_status = _action(StatusForm, _status)
ticket_comment = _action(CommentForm, _comment)
ticket_escalate = _action(ReasonForm, _escalate)
ticket_resolve = _action(ResolveForm, _resolve)
ticket_close = _action(CloseForm, _close)
ticket_reopen = _action(ReasonForm, _reopen)
ticket_rate = _action(RatingForm, _rate)


@login_required
def attachment_download(request, ref, attachment_id):
    """Serve a file only to people who may read it (internal-note files only to handlers)."""
    ticket = visible_ticket_or_404(request.user, ref)
    attachment = get_object_or_404(ticket_attachments(request.user, ticket), pk=attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)
