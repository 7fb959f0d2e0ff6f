"""The admin's system status page."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from integrations.ops.heartbeats import STALE_SECONDS
from integrations.ops.status import snapshot


@staff_member_required
def system_status(request):
    snap = snapshot()
    context = {
        **admin.site.each_context(request),
        "title": _("System status"),
        "snap": snap,
        "failed_total": sum(line.count for line in snap.outbox if line.status == "failed"),
        "pending_total": sum(line.count for line in snap.outbox if line.status != "failed"),
        "stale_seconds": STALE_SECONDS,
    }
    return render(request, "ops/system_status.html", context)
