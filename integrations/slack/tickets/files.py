"""The files of a Slack message a ticket was made from (message shortcut) become its attachments.

The shortcut's 3-second ack path only remembers the file ids (in the modal's metadata, then in
the creating actor's context). After the ticket is committed, ``on_created`` queues one outbox
operation (``ticket_source_files``); the delivery worker runs it like any Slack call, with its
retries and its row in the admin's Slack outbox:

1. ``files.info`` for each file (the payload's own ``url_private`` is not trusted: the file may
   have been deleted or replaced since), its size and type checked before any download;
2. ``url_private_download`` fetched with the bot token, but only from Slack's own hosts (the
   token never goes anywhere else) and never more than the attachment limit;
3. stored through ``tickets.services.ticket_add_attachments`` (random names, size and type
   limits, permission-checked downloads, an audit event) as the person who made the ticket.

A file that cannot be attached (deleted, too large, a type the portal refuses) never fails the
ticket: each is logged, and one internal note on the ticket lists them. Network trouble and
Slack's 5xx / rate limits raise, so the outbox retries; files already handled are remembered in
the row's state and are not fetched twice.
"""

import logging
import urllib.error
import urllib.request
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from slack_sdk.errors import SlackApiError

from erp.audit.actor import Actor
from erp.audit.models import Source
from integrations.slack.core.delivery import Sent, Skip
from integrations.slack.core.models import SlackMessage
from integrations.slack.core.outbox import enqueue, message_key_for
from tickets.models import Ticket, TicketSource
from tickets.services import ticket_add_attachments, ticket_comment
from tickets.services.attachments import max_attachment_bytes, validate_attachment

logger = logging.getLogger(__name__)

SOURCE_FILES = "ticket_source_files"
KIND = "tickets.source_files"
# Slack lets a message carry 10 files; more ids than that in a payload are not Slack's.
MAX_FILES = 10
_GONE = ("file_not_found", "file_deleted")
_DOWNLOAD_TIMEOUT = 30
_SLACK_FILE_HOSTS = ("files.slack.com", "slack-files.com")


def file_ids_of(message: dict) -> list[str]:
    """The ids of a shortcut payload's ``message.files`` (tombstones of deleted files left out)."""
    ids = []
    for item in message.get("files") or []:
        if isinstance(item, dict) and isinstance(item.get("id"), str) and item.get("mode") != "tombstone":
            ids.append(item["id"][:32])
    return ids[:MAX_FILES]


def queue_source_files(ticket, actor: Actor) -> None:
    """After commit (on_created): one outbox operation fetching the source message's files."""
    files = [f for f in actor.context.get("slack_source_files") or [] if isinstance(f, str)][:MAX_FILES]
    if not files:
        return
    enqueue(
        kind=KIND,
        target=actor.context.get("slack_source_channel") or actor.context.get("slack_channel_id") or "files",
        text=", ".join(files),
        record=ticket,
        message_key=message_key_for(ticket, "files"),
        operation=SOURCE_FILES,
        once=True,
        state={"files": files, "user": getattr(actor.user, "pk", None), "done": [], "problems": []},
    )


def fetch_source_files(client, row: SlackMessage) -> Sent:
    """Delivery handler for ``ticket_source_files`` (resumable: progress kept in row.state)."""
    ticket = Ticket.objects.filter(pk=row.object_id).first() if row.object_id else None
    if ticket is None:
        raise Skip("the ticket no longer exists")
    actor = _actor(row.state.get("user"))
    with translation.override(settings.LANGUAGE_CODE):
        for file_id in row.state.get("files", []):
            if file_id in row.state.get("done", []):
                continue
            problem = _attach_one(client, ticket, file_id, actor)
            if problem:
                logger.info("Ticket %s: Slack file %s not attached: %s", ticket.number, file_id, problem)
            _progress(row, done=[*row.state.get("done", []), file_id], problems=_with(row, problem))
        if row.state.get("problems") and not row.state.get("noted"):
            _note_problems(ticket, row.state["problems"])
            _progress(row, noted=True)
    return Sent(row.target, "", "")


def _actor(user_pk) -> Actor:
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first() if user_pk else None
    if user is None:
        return Actor.system(slack_origin="message_shortcut_files")
    return Actor(user=user, source=Source.SLACK, context={"slack_origin": "message_shortcut_files"})


def _attach_one(client, ticket, file_id: str, actor: Actor) -> str:
    """Attach one file; returns what went wrong for the person ("" when attached)."""
    try:
        info = client.files_info(file=file_id)["file"]
    except SlackApiError as exc:
        if exc.response.get("error") in _GONE:
            return _("A file of the message (%(file)s) was deleted in Slack.") % {"file": file_id}
        raise  # rate limits, 5xx, auth: the outbox decides (retry or failed row)
    name = str(info.get("name") or file_id)[:255]
    url = info.get("url_private_download") or info.get("url_private") or ""
    try:
        validate_attachment(SimpleNamespace(name=name, size=int(info.get("size") or 0)))
        content = _download(url, name, str(info.get("mimetype") or ""))
        ticket_add_attachments(ticket=ticket, files=[ContentFile(content, name=name)], by=actor)
    except ValidationError as exc:
        return " ".join(exc.messages)
    except PermissionDenied:
        return _("%(name)s: the person who made the ticket may not add files to it.") % {"name": name}
    return ""


def _slack_host(url: str) -> bool:
    """The bot token only goes to Slack's file hosts (or the configured API stand-in's host)."""
    parts = urlsplit(url)
    api = urlsplit(settings.SLACK_API_BASE_URL)
    if parts.scheme == "https" and (parts.hostname or "") in _SLACK_FILE_HOSTS:
        return True
    return bool(parts.hostname) and (parts.scheme, parts.netloc) == (api.scheme, api.netloc)


def _download(url: str, name: str, mimetype: str) -> bytes:
    """The file's bytes, at most the attachment limit; ValidationError for what retrying cannot fix."""
    if not _slack_host(url):
        raise ValidationError(_("%(name)s: Slack did not hand over the file.") % {"name": name})
    limit = max_attachment_bytes()
    url = quote(url, safe=":/?&=%#+@")  # Slack encodes names itself; never send raw non-ASCII
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {settings.SLACK_BOT_TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=_DOWNLOAD_TIMEOUT) as response:  # host checked by _slack_host
            content_type = response.headers.get_content_type()
            content = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        if exc.code >= 500 or exc.code == 429:
            raise  # transient: the outbox retries
        raise ValidationError(_("%(name)s: Slack did not hand over the file.") % {"name": name}) from None
    # Without a valid token Slack answers 200 with its sign-in page, not the file.
    if content_type == "text/html" and not mimetype.startswith("text/html"):
        raise ValidationError(_("%(name)s: Slack did not hand over the file.") % {"name": name})
    if len(content) > limit:  # Slack's size was wrong, or the file grew: stop at the limit
        raise ValidationError(
            _("%(name)s is larger than the limit of %(limit)s.") % {"name": name, "limit": filesizeformat(limit)}
        )
    return content


def _with(row: SlackMessage, problem: str) -> list[str]:
    problems = list(row.state.get("problems", []))
    return [*problems, problem] if problem else problems


def _progress(row: SlackMessage, **progress) -> None:
    row.state = {**row.state, **progress}
    SlackMessage.objects.filter(pk=row.pk).update(state=row.state)


def _note_problems(ticket, problems: list[str]) -> None:
    body = _("Some files of the Slack message could not be attached:") + "\n" + "\n".join(f"- {p}" for p in problems)
    ticket_comment(
        ticket=ticket, body=body, internal=True, source=TicketSource.SLACK, by=Actor.system(reason="source_files")
    )
