"""Portal pages of the Slack outbox (staff only): what was, or would be, sent to Slack."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .client import slack_configured
from .models import DeliveryStatus, SlackMessage
from .preview import render_blocks

PAGE_SIZE = 25


@staff_member_required
def outbox_list(request):
    """Newest outbox rows with a Block Kit preview; filter by status and kind."""
    messages = SlackMessage.objects.select_related("content_type").order_by("-id")
    status = request.GET.get("status", "")
    if status in DeliveryStatus.values:
        messages = messages.filter(status=status)
    kind = request.GET.get("kind", "").strip()
    if kind:
        messages = messages.filter(kind__startswith=kind)
    # Keyset-free but bounded: the outbox is pruned and pages are small; no COUNT over it.
    page = Paginator(messages, PAGE_SIZE, allow_empty_first_page=True).get_page(request.GET.get("page"))
    rows = [(message, render_blocks(message.blocks, message.text)) for message in page.object_list]
    return render(
        request,
        "integrations/slackmessage_list.html",
        {
            "page": page,
            "rows": rows,
            "statuses": DeliveryStatus.choices,
            "status": status,
            "kind": kind,
            "slack_configured": slack_configured(),
        },
    )


@staff_member_required
def outbox_detail(request, pk: int):
    message = get_object_or_404(SlackMessage.objects.select_related("content_type"), pk=pk)
    return render(
        request,
        "integrations/slackmessage_detail.html",
        {"message": message, "preview": render_blocks(message.blocks, message.text), "record": message.record},
    )
