"""Pages of the coupon module: the send log (filters, search, export), campaign funnels, imports."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from erp.audit.actor import Actor
from erp.audit.models import Source
from erp.audit.services import audit_record
from erp.core.pagination import keyset_page

from . import exports, reports
from .filters import SendLogFilter
from .forms import MappingForm, UploadForm
from .importing.reading import FileRefused
from .importing.run import import_file, max_bytes, preview, progress_of
from .models import ImportRun, ImportStatus, SendLog
from .selectors import can_import, can_reveal_phone, can_send, can_view_coupons, visible_campaigns, visible_sends
from .services import phone_reveal

PAGE_SIZE = 50
# Files up to this size are imported during the request; bigger ones by the worker, with a
# progress bar on the import's page.
INLINE_IMPORT_BYTES = 2 * 1024 * 1024


def _viewer_or_403(request):
    if not can_view_coupons(request.user):
        raise PermissionDenied(_("Only the coupon team sees coupon sends."))


def _importer_or_403(request):
    if not can_import(request.user):
        raise PermissionDenied(_("You may not import coupon sends."))


@login_required
def send_list(request):
    _viewer_or_403(request)
    filterset = SendLogFilter(request.GET, queryset=visible_sends(request.user))
    sends = filterset.qs if filterset.is_valid() else SendLog.objects.none()
    page = keyset_page(
        sends, order=[("sent_at", True), ("id", True)], cursor=request.GET.get("cursor"), page_size=PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "coupons/send_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_import": can_import(request.user),
            "can_send": can_send(request.user),
        },
    )


@login_required
def send_detail(request, pk: int):
    _viewer_or_403(request)
    send = get_object_or_404(visible_sends(request.user), pk=pk)
    return render(
        request,
        "coupons/send_detail.html",
        {"send": send, "can_reveal": can_reveal_phone(request.user) and bool(send.phone), "full_phone": None},
    )


@login_required
@require_POST
def send_reveal(request, pk: int):
    _viewer_or_403(request)
    send = get_object_or_404(visible_sends(request.user), pk=pk)
    full = phone_reveal(
        send=send, by=Actor.for_request(request, source=Source.WEB), reason=request.POST.get("reason", "")
    )
    return render(request, "coupons/send_detail.html", {"send": send, "can_reveal": False, "full_phone": full})


@login_required
def export(request):
    _viewer_or_403(request)
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        return HttpResponse(_("Unknown export format."), status=400, content_type="text/plain; charset=utf-8")
    filterset = SendLogFilter(request.GET, queryset=visible_sends(request.user))
    if not filterset.is_valid():
        return HttpResponse(_("The filters are not valid."), status=400, content_type="text/plain; charset=utf-8")
    sends = filterset.qs.order_by("-sent_at", "-id")
    if sends[exports.MAX_EXPORT_ROWS : exports.MAX_EXPORT_ROWS + 1].exists():
        return HttpResponse(
            _("More than %(n)d sends match; narrow the filters.") % {"n": exports.MAX_EXPORT_ROWS},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    full = request.GET.get("full") == "1" and can_reveal_phone(request.user)
    if full:
        # An export with full numbers is a reveal of every number in it.
        audit_record(
            request.user,
            "coupon_phones_exported",
            by=Actor.for_request(request, source=Source.WEB),
            filters=request.GET.urlencode(),
        )
    body = (
        exports.to_csv(sends.iterator(), full_phones=full)
        if kind == "csv"
        else exports.to_xlsx(sends, full_phones=full)
    )
    content_type = (
        "text/csv; charset=utf-8"
        if kind == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="coupon-sends.{kind}"'
    return response


@login_required
def campaign_list(request):
    _viewer_or_403(request)
    campaigns = visible_campaigns(request.user).order_by("client__name", "name")
    return render(request, "coupons/campaign_list.html", {"campaigns": campaigns})


@login_required
def campaign_detail(request, pk: int):
    _viewer_or_403(request)
    campaign = get_object_or_404(visible_campaigns(request.user), pk=pk)
    figures = reports.funnel(campaign.sends.all())
    steps = [
        (_("Sent"), figures["sent"]),
        (_("Issued"), figures["issued"]),
        (_("Delivered"), figures["delivered"]),
        (_("Used"), figures["used"]),
        (_("Expired"), figures["expired"]),
    ]
    top = figures["sent"] or 1
    return render(
        request,
        "coupons/campaign_detail.html",
        {
            "campaign": campaign,
            "steps": [(label, n, n * 100 // top) for label, n in steps],
            "cost": figures["total_cost"],
        },
    )


@login_required
def import_list(request):
    _importer_or_403(request)
    runs = ImportRun.objects.select_related("created_by")[:100]
    return render(request, "coupons/import_list.html", {"runs": runs, "form": UploadForm()})


@login_required
@require_POST
def import_upload(request):
    _importer_or_403(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        runs = ImportRun.objects.select_related("created_by")[:100]
        return render(request, "coupons/import_list.html", {"runs": runs, "form": form}, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > max_bytes():
        form.add_error(
            "file",
            _("The file is %(size)d MB; at most %(max)d MB per import. Split it and import the parts.")
            % {"size": upload.size // 2**20, "max": max_bytes() // 2**20},
        )
        runs = ImportRun.objects.select_related("created_by")[:100]
        return render(request, "coupons/import_list.html", {"runs": runs, "form": form}, status=400)
    run = ImportRun.objects.create(
        source="web", filename=upload.name[:255], created_by=request.user, default_client=form.cleaned_data["client"]
    )
    run.upload.save(f"{run.pk}-{upload.name[-60:]}", upload, save=True)
    return redirect("coupons:import-detail", pk=run.pk)


@login_required
def import_detail(request, pk: int):
    """Waiting for a mapping: the preview and the mapping form. Running: a progress bar. Done:
    counts and errors. POST confirms the mapping and starts the import."""
    _importer_or_403(request)
    run = get_object_or_404(ImportRun, pk=pk)
    context = {"run": run, "progress": progress_of(run)}
    if run.status == ImportStatus.UPLOADED and run.upload:
        try:
            with run.upload.open("rb") as stream:
                shown = preview(stream, run.filename, mapping=run.mapping or None)
        except FileRefused as refusal:
            run.status, run.message = ImportStatus.REFUSED, str(refusal)
            run.save(update_fields=["status", "message"])
            run.upload.delete(save=True)
            return render(request, "coupons/import_detail.html", context)
        form = MappingForm(request.POST or None, header=shown["header"], initial_mapping=shown["mapping"])
        if request.method == "POST" and form.is_valid():
            run.mapping = form.mapping()
            run.save(update_fields=["mapping"])
            if "preview" in request.POST:
                return redirect("coupons:import-detail", pk=run.pk)
            return _start_import(request, run)
        context.update(form=form, preview=shown)
    return render(request, "coupons/import_detail.html", context)


def _start_import(request, run: ImportRun):
    if run.upload.size <= INLINE_IMPORT_BYTES:
        with run.upload.open("rb") as stream:
            import_file(run, io.BytesIO(stream.read()), client=run.default_client)
        run.upload.delete(save=True)
    else:
        transaction.on_commit(lambda: _publish(request, run))
        messages.info(request, _("The file is being imported; this page shows how far it is."))
    return redirect("coupons:import-detail", pk=run.pk)


def _publish(request, run):
    from .tasks import import_uploaded

    try:
        import_uploaded.delay(run.pk)
    except Exception:  # the broker is down: say so instead of a bar that never moves
        ImportRun.objects.filter(pk=run.pk).update(message=_("The worker could not be reached; try again later."))


@login_required
def import_progress(request, pk: int):
    _importer_or_403(request)
    run = get_object_or_404(ImportRun, pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "percent": progress_of(run),
            "inserted": run.inserted,
            "updated": run.updated,
            "errors": run.error_count,
            "url": reverse("coupons:import-detail", args=[run.pk]),
        }
    )
