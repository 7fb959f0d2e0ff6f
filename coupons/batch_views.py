"""Pages that send coupons: the send batches, a new batch, and resuming one that stopped.

Sending spends bizmoney, so every page here is for the module's admins (selectors.can_send).
The sending itself is the Giftishow adapter's task; a page only creates and starts batches.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from erp.audit.actor import Actor
from erp.audit.models import Source

from .forms import SendBatchForm
from .models import SendBatch, SendBatchStatus
from .selectors import can_send
from .sending import batch_create, batch_progress, batch_start

LIST_SIZE = 100


def _sender_or_403(request):
    if not can_send(request.user):
        raise PermissionDenied(_("Only the coupon module's admins send coupons."))


def _batches():
    return (
        SendBatch.objects.select_related("campaign__client", "goods", "created_by__employee")
        .annotate(total=Count("items"), sent_count=Count("items", filter=Q(items__sent=True)))
        .order_by("-created_at", "-id")[:LIST_SIZE]
    )


@login_required
def batch_list(request):
    """The batches, newest first, with a form for a new one (POST creates and starts it)."""
    _sender_or_403(request)
    form = SendBatchForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            actor = Actor.for_request(request, source=Source.WEB)
            try:
                with transaction.atomic():
                    batch = batch_create(
                        campaign=form.cleaned_data["campaign"],
                        goods=form.cleaned_data["goods"],
                        phones=form.cleaned_data["phones"],
                        by=actor,
                    )
                    batch_start(batch, by=actor)
            except ValidationError as error:
                form.add_error("phones", error)
            else:
                messages.success(
                    request, _("Batch #%(id)d is queued: %(n)d coupons.") % {"id": batch.pk, "n": batch.items.count()}
                )
                return redirect("coupons:batch-detail", pk=batch.pk)
        status = 400
    else:
        status = 200
    return render(request, "coupons/batch_list.html", {"form": form, "batches": _batches()}, status=status)


@login_required
def batch_detail(request, pk: int):
    _sender_or_403(request)
    batch = get_object_or_404(SendBatch.objects.select_related("campaign__client", "goods"), pk=pk)
    recent = batch.sends.order_by("-sent_at", "-id")[:20]
    return render(
        request,
        "coupons/batch_detail.html",
        {
            "batch": batch,
            "progress": batch_progress(batch),
            "recent": recent,
            "can_resume": batch.status != SendBatchStatus.DONE,
        },
    )


@login_required
@require_POST
def batch_resume(request, pk: int):
    _sender_or_403(request)
    batch = get_object_or_404(SendBatch, pk=pk)
    try:
        with transaction.atomic():
            batch_start(batch, by=Actor.for_request(request, source=Source.WEB))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Batch #%(id)d is queued again: only unsent coupons are sent.") % {"id": batch.pk})
    return redirect("coupons:batch-detail", pk=batch.pk)
