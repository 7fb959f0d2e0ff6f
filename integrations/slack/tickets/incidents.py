"""P1 incident workflow: critical-channel alert, incident channel, pinned status board.

Opening is one outbox row with operation ``incident_open`` whose delivery runs ordered,
resumable steps (create channel → invite → post board → pin), saving progress in the
row's ``state`` after each step, so a retry after any failure continues where it stopped
and never creates a second channel. The board is then kept current by ordinary UPDATE
rows (chat.update), and the resolution summary is a broadcast thread reply under it.

Sensitive P1 (the private incident path): an outage about, say, payroll data still pages
someone, but nothing reaches a channel others can read. Instead of the critical-channel alert
and a public channel named after the title:

1. a **private** channel named from the number only (``inc-123-private``) is created;
2. the on-call person and the assignee are invited (nobody else);
3. the board posted and pinned there shows the number and the portal link only, like every
   other sensitive message (details stay in the portal, behind its permissions);
4. the on-call person gets a DM (number and link) saying they were paged into it;
5. no critical-channel post, no group-channel post, no summary broadcast with the title.

Redacting thread replies posted before a ticket was marked sensitive is the security work's.
"""

import re

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from erp.core.pii import mask_pii
from integrations.slack.core.delivery import Defer, Sent
from integrations.slack.core.models import MessageRef, Operation, SlackMessage
from integrations.slack.core.outbox import enqueue, message_key_for, refresh_pending_post, update_everywhere
from integrations.slack.tickets.blocks import incidents as incident_blocks
from integrations.slack.tickets.blocks.message import Person

KIND = "tickets.incident"
# The incident workflow's own outbox operations (delivered by the handlers below; registered
# through the tickets SlackModule).
INCIDENT_OPEN = "incident_open"
INCIDENT_INVITE = "incident_invite"
# conversations.create retries with -2, -3 … when the name is taken.
MAX_NAME_TRIES = 20
_NAME_MAX = 80


def channel_name(ticket, *, private: bool = False) -> str:
    """``inc-123-vpn-down``: lower-case ASCII, digits, hyphens (Slack's rules), ≤ 80 chars.
    The private path's channel is ``inc-123-private``: a sensitive title never names a channel."""
    prefix = slugify(settings.SLACK_INCIDENT_CHANNEL_PREFIX) or "inc"
    number = re.sub(r"[^a-z0-9]", "", ticket.number.lower())
    number = number.removeprefix("inc")  # INC-123 → 123; SR-45 keeps "sr45"
    slug = "private" if private else _pii_free_slug(ticket.title)[:40].strip("-")
    return "-".join(part for part in (prefix, number, slug) if part)[:_NAME_MAX]


def _pii_free_slug(title: str) -> str:
    """A slug of the title's plain words only.

    conversations.create makes a public channel whose name every member of the workspace
    can see, so no piece of a phone number, e-mail or card may survive: the title is masked
    first, every word that masking touched (``*``) or that is an address (``@``) is dropped
    whole, and so is every all-digit run (the unmasked ends of numbers, e.g. ``5678``).
    """
    words = [word for word in mask_pii(title or "").split() if "*" not in word and "@" not in word]
    runs = slugify(" ".join(words)).split("-")
    return "-".join(run for run in runs if run and not run.isdigit())


def board_key(ticket) -> str:
    return message_key_for(ticket, "incident")


def critical_key(ticket) -> str:
    """The critical-channel alert is its own message: it keeps the on-call line when updated."""
    return message_key_for(ticket, "critical")


def board_target(ticket) -> str:
    """The logical target of the board rows; the real channel id lives in the MessageRef.
    Once opened it stays the opening's target (a title edit must not make a second board)."""
    opened = (
        SlackMessage.objects.filter(kind=KIND, message_key=board_key(ticket), operation=INCIDENT_OPEN)
        .values_list("target", flat=True)
        .first()
    )
    return opened or f"#{channel_name(ticket)}"


def incident_exists(ticket) -> bool:
    return SlackMessage.objects.filter(kind=KIND, message_key=board_key(ticket), operation=INCIDENT_OPEN).exists()


def _person(employee) -> Person | None:
    if employee is None:
        return None
    return Person(employee.display_name, employee.slack_user_id)


def open_incident(ticket, ctx, on_call_employee) -> None:
    """Enqueue the critical alert and the incident channel for a P1 ticket, once per ticket."""
    on_call = _person(on_call_employee)
    if settings.SLACK_CRITICAL_CHANNEL:
        text, blocks = incident_blocks.critical_alert(ticket, ctx, on_call=on_call)
        enqueue(
            kind="tickets.p1",
            target=settings.SLACK_CRITICAL_CHANNEL,
            text=text,
            blocks=blocks,
            record=ticket,
            message_key=critical_key(ticket),
            once=True,
        )
    invite = [p.slack_user_id for p in (ctx.assignee, on_call) if p and p.slack_user_id]
    text, blocks = incident_blocks.status_board(ticket, ctx, on_call=on_call, updated_at=timezone.now())
    _enqueue_board(
        ticket,
        text,
        blocks,
        INCIDENT_OPEN,
        once=True,
        state={"name": channel_name(ticket), "invite": sorted(set(invite)), "on_call": invite[-1:] if on_call else []},
    )


def open_private_incident(ticket, notice: tuple[str, list], on_call_employee, assignee_slack_id) -> None:
    """The sensitive P1 path (see the module docstring): private channel, number-only board."""
    on_call = _person(on_call_employee)
    invite = [uid for uid in (assignee_slack_id, getattr(on_call, "slack_user_id", None)) if uid]
    text, blocks = notice
    name = channel_name(ticket, private=True)
    _enqueue_board(
        ticket,
        text,
        blocks,
        INCIDENT_OPEN,
        target=f"#{name}",
        once=True,
        state={"name": name, "invite": sorted(set(invite)), "private": True},
    )


def _enqueue_board(ticket, text: str, blocks: list, operation: str, *, target: str = "", **options) -> None:
    """One outbox row for the status board (opening it, or updating it in place)."""
    enqueue(
        kind=KIND,
        target=target or board_target(ticket),
        text=text,
        blocks=blocks,
        record=ticket,
        message_key=board_key(ticket),
        operation=operation,
        **options,
    )


def refresh_critical(ticket, ctx, on_call_employee, reply=None) -> None:
    """Keep the critical-channel alert current (plus the thread reply) if there is one."""
    text, blocks = incident_blocks.critical_alert(ticket, ctx, on_call=_person(on_call_employee))
    update_everywhere(
        kind="tickets.p1", record=ticket, text=text, blocks=blocks, reply=reply, message_key=critical_key(ticket)
    )


def redact(ticket, text: str, blocks: list) -> None:
    """A ticket marked sensitive after its incident opened: both messages keep number and link only."""
    update_everywhere(kind="tickets.p1", record=ticket, text=text, blocks=blocks, message_key=critical_key(ticket))
    _enqueue_board(ticket, text, blocks, Operation.UPDATE)


def update_board(ticket, ctx, on_call_employee) -> None:
    """Re-render the status board: in place while the channel is not opened yet, else chat.update."""
    if not incident_exists(ticket):
        return
    text, blocks = incident_blocks.status_board(
        ticket, ctx, on_call=_person(on_call_employee), updated_at=timezone.now()
    )
    if refresh_pending_post(board_key(ticket), board_target(ticket), text, blocks, INCIDENT_OPEN):
        return
    _enqueue_board(ticket, text, blocks, Operation.UPDATE)


def invite_to_incident(ticket, slack_user_id: str | None) -> None:
    """Bring someone (a new assignee) into the incident channel, once per person."""
    if not slack_user_id or not incident_exists(ticket):
        return
    opening = SlackMessage.objects.get(kind=KIND, message_key=board_key(ticket), operation=INCIDENT_OPEN)
    if slack_user_id in opening.state.get("invite", []):
        return
    # Still queued: add the person to the opening's own invite list (a conditional update,
    # so a worker that already claimed the row is never overwritten).
    state = {**opening.state, "invite": sorted({*opening.state.get("invite", []), slack_user_id})}
    if SlackMessage.objects.filter(pk=opening.pk, attempts=0, status__in=["pending", "not_configured"]).update(
        state=state
    ):
        return
    enqueue(
        kind=f"{KIND}.invite",
        target=board_target(ticket),
        text=slack_user_id,
        record=ticket,
        message_key=board_key(ticket),
        operation=INCIDENT_INVITE,
        once=True,
        state={"users": [slack_user_id]},
    )


def post_summary(ticket, ctx) -> None:
    if ticket.sensitive or not incident_exists(ticket):
        return
    text, blocks = incident_blocks.resolution_summary(
        ticket, ctx, resolved_at=ticket.resolved_at or ticket.closed_at or timezone.now()
    )
    enqueue(
        kind=f"{KIND}.summary",
        target=board_target(ticket),
        text=text,
        blocks=blocks,
        record=ticket,
        message_key=board_key(ticket),
        operation=Operation.REPLY,
        state={"broadcast": True},
    )


# --- the multi-step delivery -----------------------------------------------------------------


def _save_progress(row: SlackMessage, **progress) -> None:
    row.state = {**row.state, **progress}
    SlackMessage.objects.filter(pk=row.pk).update(state=row.state)


def _create_channel(client: WebClient, row: SlackMessage) -> str:
    base = row.state["name"]
    tries = row.state.get("name_tries", 0)
    while tries < MAX_NAME_TRIES:
        name = base if tries == 0 else f"{base[: _NAME_MAX - 4]}-{tries + 1}"
        try:
            channel = client.conversations_create(name=name, is_private=bool(row.state.get("private")))["channel"]
        except SlackApiError as exc:
            if exc.response.get("error") != "name_taken":
                raise
            tries += 1
            _save_progress(row, name_tries=tries)
            continue
        _save_progress(row, channel_id=channel["id"], channel_name=name)
        return channel["id"]
    raise SlackApiError("name_taken", {"ok": False, "error": "name_taken"})


def _invite(client: WebClient, row: SlackMessage, channel_id: str) -> None:
    done = set(row.state.get("invited", []))
    for user_id in row.state.get("invite", []):
        if user_id in done:
            continue
        try:
            client.conversations_invite(channel=channel_id, users=user_id)
        except SlackApiError as exc:
            # A person who cannot be invited must not block the incident channel.
            if exc.response.get("error") not in (
                "already_in_channel",
                "user_not_found",
                "cant_invite",
                "user_is_restricted",
            ):
                raise
        done.add(user_id)
        _save_progress(row, invited=sorted(done))


def open_incident_channel(client: WebClient, row: SlackMessage) -> Sent:
    """Delivery handler for ``incident_open``: resumable, each step recorded in row.state."""
    channel_id = row.state.get("channel_id") or _create_channel(client, row)
    _invite(client, row, channel_id)
    ts = row.state.get("board_ts")
    if not ts:
        response = client.chat_postMessage(channel=channel_id, text=row.text, blocks=row.blocks or None)
        ts = response["ts"]
        _save_progress(row, board_ts=ts)
    if not row.state.get("pinned"):
        try:
            client.pins_add(channel=channel_id, timestamp=ts)
        except SlackApiError as exc:
            if exc.response.get("error") != "already_pinned":
                raise
        _save_progress(row, pinned=True)
    return Sent(channel_id, ts)


def invite_handler(client: WebClient, row: SlackMessage) -> Sent:
    """Delivery handler for ``incident_invite``: waits for the channel, then invites."""
    ref = MessageRef.objects.filter(message_key=row.message_key, target=row.target).first()
    if ref is None:
        raise Defer(10, "waiting for the incident channel")
    _invite(client, SlackMessage(pk=row.pk, state={**row.state, "invite": row.state["users"]}), ref.channel_id)
    return Sent(ref.channel_id, ref.ts)


def incident_channel_link(ticket) -> tuple[str, str] | None:
    """("#inc-123-vpn-down", a Slack link) once the channel was opened, for the portal banner.

    app_redirect opens the channel in whichever workspace the reader is signed in to."""
    row = (
        SlackMessage.objects.filter(kind=KIND, message_key=board_key(ticket), operation=INCIDENT_OPEN)
        .values("channel_id", "state")
        .first()
    )
    if row is None:
        return None
    name = (row["state"] or {}).get("name") or channel_name(ticket)
    channel_id = row["channel_id"] or (row["state"] or {}).get("channel_id")
    url = f"https://slack.com/app_redirect?channel={channel_id}" if channel_id else ""
    return f"#{name}", url
