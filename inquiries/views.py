"""Portal pages of inquiries: list (filters, search, counts), detail with history, edit, notes,
tags, status actions, e-mail answers with templates, CSV export.

Every read goes through the selectors (sales all, marketing shared ones, others 404) and
every write through the services, with ``Actor.for_request(request, source=web)``.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from erp.audit.actor import Actor
from erp.audit.models import AuditEvent, Source
from erp.core.errors import DomainError, error_text
from erp.core.pagination import keyset_page

from .exports import csv_response
from .filters import InquiryFilter
from .forms import AnswerForm, ConvertForm, InquiryEditForm, NoteForm, StatusForm
from .models import Inquiry, Status
from .selectors import (
    can_handle,
    can_see_abuse_data,
    can_see_contact,
    inquiry_counts,
    inquiry_for,
    sees_inquiries,
    visible_inquiries,
)
from .services import (
    default_ticket_title,
    inquiry_add_note,
    inquiry_answer,
    inquiry_assign,
    inquiry_change_status,
    inquiry_convert_to_ticket,
    inquiry_share,
    inquiry_update,
    render_template,
)

PAGE_SIZE = 50
ORDER = (("received_at", True), ("id", True))
EXPORT_LIMIT = 50_000


def _actor(request) -> Actor:
    return Actor.for_request(request, source=Source.WEB)


def _visible_or_404(request, pk) -> Inquiry:
    try:
        return inquiry_for(request.user, pk)
    except Inquiry.DoesNotExist:
        raise Http404() from None


def _require_sales(request):
    if not can_handle(request.user):
        raise PermissionDenied(_("Only the sales team can change inquiries."))


def _filtered(request):
    return InquiryFilter(request.GET, queryset=visible_inquiries(request.user), user=request.user)


@login_required
def inquiry_list(request):
    if not sees_inquiries(request.user):
        raise PermissionDenied(_("Customer inquiries are for the sales and marketing teams."))
    filterset = _filtered(request)
    rows = filterset.qs if filterset.is_valid() else visible_inquiries(request.user).none()
    page = keyset_page(
        rows.select_related("assignee"), order=ORDER, cursor=request.GET.get("cursor"), page_size=PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "inquiries/inquiry_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "counts": inquiry_counts(request.user, since=timezone.now() - timedelta(days=30)),
            "can_handle": can_handle(request.user),
        },
    )


ACTION_LABELS = {
    "received": gettext_lazy("Received"),
    "quarantined": gettext_lazy("Held as suspected spam"),
    "assigned": gettext_lazy("Assigned"),
    "status_changed": gettext_lazy("Status changed"),
    "updated": gettext_lazy("Edited"),
    "noted": gettext_lazy("Internal note added"),
    "shared": gettext_lazy("Shared with marketing"),
    "converted": gettext_lazy("Converted to a ticket"),
    "answered": gettext_lazy("Answered by e-mail"),
    "answer_failed": gettext_lazy("E-mail answer failed"),
}


def _history(inquiry) -> list:
    """The audit trail with each action in words (not the stored code)."""
    events = AuditEvent.objects.filter(
        content_type__app_label="inquiries", content_type__model="inquiry", object_id=str(inquiry.pk)
    ).order_by("created_at", "id")
    return [(event, ACTION_LABELS.get(event.action, event.action)) for event in events]


@login_required
def inquiry_detail(request, pk):
    inquiry = _visible_or_404(request, pk)
    handler = can_handle(request.user)
    context = {
        "inquiry": inquiry,
        "can_handle": handler,
        "show_contact": can_see_contact(request.user, inquiry),
        "show_abuse": can_see_abuse_data(request.user),
        "notes": inquiry.notes.select_related("author") if handler else [],
        "answers": inquiry.answers.select_related("sent_by") if handler else [],
        "tickets": [link.ticket for link in inquiry.ticket_links.select_related("ticket")] if handler else [],
        "repeats": visible_inquiries(request.user).filter(duplicate_of=inquiry).order_by("received_at")[:20],
        "history": _history(inquiry) if handler else [],
        "note_form": NoteForm(),
        "status_form": StatusForm(initial={"status": inquiry.status}),
    }
    return render(request, "inquiries/inquiry_detail.html", context)


def _apply_errors(form, exc: ValidationError, aliases: dict | None = None):
    if hasattr(exc, "error_dict"):
        for field, problems in exc.message_dict.items():
            field = (aliases or {}).get(field, field)
            form.add_error(field if field in form.fields else None, " ".join(problems))
    else:
        form.add_error(None, " ".join(exc.messages))


@login_required
def inquiry_edit(request, pk):
    inquiry = _visible_or_404(request, pk)
    _require_sales(request)
    initial = {name: getattr(inquiry, name) for name in InquiryEditForm.base_fields}
    initial["tags"] = ", ".join(inquiry.tag_list)
    form = InquiryEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            inquiry_update(inquiry=inquiry, changes=form.cleaned_data, by=_actor(request))
        except ValidationError as exc:
            _apply_errors(form, exc, InquiryEditForm.ERROR_FIELDS)
        else:
            messages.success(request, _("The inquiry was saved."))
            return redirect(inquiry)
    return render(request, "inquiries/inquiry_form.html", {"inquiry": inquiry, "form": form})


@login_required
@require_POST
def inquiry_note(request, pk):
    inquiry = _visible_or_404(request, pk)
    try:
        inquiry_add_note(inquiry=inquiry, body=request.POST.get("body", ""), by=_actor(request))
        messages.success(request, _("The note was added."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect(inquiry)


ACTIONS = {
    "assign_me": lambda request, inquiry, by: inquiry_assign(inquiry=inquiry, assignee=request.user, by=by),
    "unassign": lambda request, inquiry, by: inquiry_assign(inquiry=inquiry, assignee=None, by=by),
    "status": lambda request, inquiry, by: inquiry_change_status(
        inquiry=inquiry, status=request.POST.get("status", ""), by=by
    ),
    "release": lambda request, inquiry, by: inquiry_change_status(inquiry=inquiry, status=Status.NEW, by=by),
    "spam": lambda request, inquiry, by: inquiry_change_status(inquiry=inquiry, status=Status.SPAM, by=by),
    "share": lambda request, inquiry, by: inquiry_share(inquiry=inquiry, by=by),
}


@login_required
@require_POST
def inquiry_action(request, pk, action):
    inquiry = _visible_or_404(request, pk)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404()
    try:
        handler(request, inquiry, _actor(request))
    except (ValidationError, PermissionDenied, DomainError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The inquiry was updated."))
    return redirect(inquiry)


@login_required
def inquiry_convert_view(request, pk):
    """Convert to a ticket: the title (prefilled with the subject), type and priority first."""
    inquiry = _visible_or_404(request, pk)
    _require_sales(request)
    form = ConvertForm(request.POST or None, initial={"title": default_ticket_title(inquiry)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = inquiry_convert_to_ticket(
                inquiry=inquiry,
                title=data["title"],
                ticket_type=data["ticket_type"],
                priority=data["priority"],
                by=_actor(request),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except (PermissionDenied, DomainError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Ticket %(number)s was opened.") % {"number": ticket.number})
            return redirect(inquiry)
    return render(request, "inquiries/inquiry_convert.html", {"inquiry": inquiry, "form": form})


@login_required
def inquiry_answer_view(request, pk):
    inquiry = _visible_or_404(request, pk)
    _require_sales(request)
    initial = {"subject": f"Re: {inquiry.subject}"}
    template_id = request.GET.get("template", "")
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method != "POST" and template_id.isdigit():
        template = form.fields["template"].queryset.filter(pk=int(template_id)).first()
        if template is not None:
            try:
                subject, body = render_template(template, inquiry, request.user)
                form = AnswerForm(initial={"template": template, "subject": subject, "body": body})
            except ValidationError as exc:
                messages.error(request, error_text(exc))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inquiry_answer(
                inquiry=inquiry,
                subject=data["subject"],
                body=data["body"],
                template=data["template"],
                by=_actor(request),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The answer was sent to the customer."))
            return redirect(inquiry)
    return render(request, "inquiries/inquiry_answer.html", {"inquiry": inquiry, "form": form})


EXPORT_COLUMNS = (
    ("number", "number"),
    ("received_at", "received_at"),
    ("status", "status"),
    ("source", "source"),
    ("category", "category"),
    ("customer_name", "customer_name"),
    ("company", "company"),
    ("email", "email"),
    ("phone", "phone"),
    ("subject", "subject"),
    ("product", "product"),
    ("consent_contact", "consent_contact"),
    ("assignee", "assignee"),
    ("tags", "tags"),
    ("utm_source", "utm_source"),
    ("utm_campaign", "utm_campaign"),
    ("duplicate_of", "duplicate_of_id"),
)


@login_required
def inquiry_export(request):
    """CSV of the filtered list (sales only: it holds contact details), UTF-8 with BOM for Excel."""
    _require_sales(request)
    filterset = _filtered(request)
    if not filterset.is_valid():
        messages.error(request, _("Fix the filters before exporting."))
        return redirect("inquiries:list")
    rows = filterset.qs.select_related("assignee").order_by("-received_at", "-id")[:EXPORT_LIMIT]
    return csv_response(
        "inquiries",
        [header for header, _attr in EXPORT_COLUMNS],
        (_export_row(inquiry) for inquiry in rows.iterator(chunk_size=2000)),
    )


def _export_row(inquiry) -> list:
    row = []
    for header, attribute in EXPORT_COLUMNS:
        value = getattr(inquiry, attribute)
        if header == "received_at":
            value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        elif header == "assignee":
            value = str(value.employee.display_name if hasattr(value, "employee") else value) if value else ""
        elif header == "tags":
            value = ", ".join(inquiry.tag_list)
        elif header in ("status", "source", "category"):
            value = getattr(inquiry, f"get_{header}_display")()
        row.append(value)  # csv_response guards formula-looking text
    return row


def home_panel_context(request):
    """The home panel: open inquiries for sales, last 30 days' counts for marketing; else hidden."""
    if not sees_inquiries(request.user):
        return None
    counts = inquiry_counts(request.user, since=timezone.now() - timedelta(days=30))
    open_count = visible_inquiries(request.user).filter(status__in=(Status.NEW, Status.IN_PROGRESS)).count()
    return {"counts": counts, "open_count": open_count if can_handle(request.user) else None}
