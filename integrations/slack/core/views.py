"""Portal pages of the Slack outbox: what was, or would be, sent to Slack.

Needs ``integrations.view_slackmessage``; bodies of direct messages are further limited
to their recipient and holders of ``integrations.view_direct_messages`` (see visibility).
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render

from erp.core.pagination import encode_cursor, keyset_page
from integrations.slack.core.client import slack_configured
from integrations.slack.core.models import DeliveryStatus, SlackMessage
from integrations.slack.core.preview import notification_html, render_blocks
from integrations.slack.core.visibility import VIEW_PERMISSION, BodyReader

PAGE_SIZE = 25


def _outbox_permission(view):
    return login_required(permission_required(VIEW_PERMISSION, raise_exception=True)(view))


@_outbox_permission
def outbox_list(request):
    """Newest outbox rows with a Block Kit preview; filter by status and kind."""
    messages = SlackMessage.objects.select_related("content_type").order_by("-id")
    status = request.GET.get("status", "")
    if status in DeliveryStatus.values:
        messages = messages.filter(status=status)
    kind = request.GET.get("kind", "").strip()
    if kind:
        messages = messages.filter(kind__startswith=kind)
    # Keyset paging on the id (newest first): no COUNT(*) and no deep OFFSET on the outbox.
    cursor = request.GET.get("cursor") or None
    before = request.GET.get("before", "")
    if not cursor and before.isdigit():  # old ?before=<id> bookmarks still open the same rows
        cursor = encode_cursor([int(before)])
    page = keyset_page(messages, order=[("id", True)], cursor=cursor, page_size=PAGE_SIZE)
    reader = BodyReader(request.user)
    # None stands for "a direct message you may not read": the template says so instead.
    rows = [
        (message, render_blocks(message.blocks, message.text) if reader.can_read(message) else None)
        for message in page.items
    ]
    return render(
        request,
        "integrations/slackmessage_list.html",
        {
            "rows": rows,
            "page": page,
            "statuses": DeliveryStatus.choices,
            "status": status,
            "kind": kind,
            "slack_configured": slack_configured(),
        },
    )


@_outbox_permission
def outbox_detail(request, pk: int):
    message = get_object_or_404(SlackMessage.objects.select_related("content_type"), pk=pk)
    readable = BodyReader(request.user).can_read(message)
    return render(
        request,
        "integrations/slackmessage_detail.html",
        {
            "message": message,
            "body_hidden": not readable,
            "preview": render_blocks(message.blocks, message.text) if readable else None,
            "notification_text": notification_html(message.text) if readable else "",
            "record": message.record,
        },
    )
