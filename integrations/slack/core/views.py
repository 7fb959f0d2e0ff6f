"""Portal pages of the Slack outbox: what was, or would be, sent to Slack.

Needs ``integrations.view_slackmessage``; bodies of direct messages are further limited
to their recipient and holders of ``integrations.view_direct_messages`` (see visibility).
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from erp.core.pagination import encode_cursor, keyset_page
from integrations.slack.core.client import slack_configured
from integrations.slack.core.models import DeliveryStatus, SlackMessage
from integrations.slack.core.preview import ids_in, notification_html, render_blocks, slack_names
from integrations.slack.core.visibility import VIEW_PERMISSION, BodyReader

PAGE_SIZE = 25


def _outbox_permission(view):
    return login_required(permission_required(VIEW_PERMISSION, raise_exception=True)(view))


def target_label(target: str, names: dict) -> str:
    """A message's target as Slack shows it: #dev-team, @윤예준 (DM), or as stored."""
    if target in names:
        return f"@{names[target]}" if target[:1] in "UW" else f"#{names[target]}"
    return target


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
    # Ids shown as Slack shows them: @이름, #채널 (mentions in the text and the targets).
    names = slack_names(ids_in(*[part for m in page.items for part in (m.target, m.blocks, m.text)]))
    bot = _("Haru ERP")
    rows = [
        (
            message,
            render_blocks(message.blocks, message.text, names=names, bot=bot) if reader.can_read(message) else None,
            target_label(message.target, names),
        )
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
    names = slack_names(ids_in(message.target, message.blocks, message.text))
    return render(
        request,
        "integrations/slackmessage_detail.html",
        {
            "message": message,
            "body_hidden": not readable,
            "preview": render_blocks(message.blocks, message.text, names=names, bot=_("Haru ERP"))
            if readable
            else None,
            "target_label": target_label(message.target, names),
            "notification_text": notification_html(message.text) if readable else "",
            "record": message.record,
        },
    )
