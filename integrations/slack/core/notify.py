"""Notifications rendered after commit: the domain transaction only records what happened.

Inside a domain service's transaction (often under a row lock) a module's notification
receiver writes ONE small outbox row: operation ``notify``, the notification's kind, the
record reference and the signal's arguments as JSON. No routing, no Block Kit, no lookups
under the lock. After commit its delivery task runs in the worker like any outbox row;
:func:`expand` then loads the record as it is *now*, runs the module's handler (routing,
rendering, ``enqueue`` of the real posts, updates, thread replies and DMs) and deletes the
notify row, all in one transaction: a retried or duplicated task finds nothing left to do.

Ordering: the notify rows of one record expand in id order; a younger one waits (Defer)
while an older one of the same record is still pending, unless the older one is coalescing
(below): it only refreshes what the record shows now, so it never holds back news. A handler that raises leaves the
notify row FAILED with its error (admin's Slack outbox, retry action), never a half expansion.

A module declares its notifications in its SlackModule::

    notifications=(Notification(signals.ticket_assigned, "tickets.assigned", on_assigned,
                                sender=Ticket, record_arg="ticket"),)

and writes ``on_assigned(ticket, *, by, new_assignee, **event)`` exactly as it would write
an in-transaction receiver: model instances, Actors and datetimes in the signal's arguments
come back as such (re-read from the database: the current data, or None if deleted).

Coalescing: a notification that only refreshes a count (an alert group's repeats) declares
``coalesce_seconds``; its row then waits that long before it expands, and nothing more of
that kind is recorded for the record while it waits, so a burst of repeats costs one
rendering and one Slack update per window instead of as many as the worker can expand. Slack
could not take more anyway: a channel takes about one call a second, whatever the number of
records in it.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime

from erp.audit.actor import Actor
from integrations.slack.core.models import DeliveryStatus, SlackMessage
from integrations.slack.core.outbox import attach_record, message_key_for, publish

logger = logging.getLogger(__name__)

NOTIFY = "notify"
# How long a notification waits before looking again for an older one of the same record.
ORDER_WAIT_SECONDS = 2
# The notify row's state flag of a coalescing notification (see "Coalescing" above).
COALESCING = "coalescing"


@dataclass(frozen=True)
class Notification:
    signal: object
    kind: str
    handler: Callable  # handler(record, **event), run after commit in the company's language
    sender: type | None = None
    record_arg: str = "record"
    # Optional cheap test on the signal's arguments, inside the transaction and without queries:
    # False records nothing (e.g. an internal note, which never leaves the portal).
    when: Callable | None = None
    # Seconds the row waits before expanding (read when recorded: a setting may change it);
    # see "Coalescing" above. None: expand at once.
    coalesce_seconds: Callable[[], float] | None = None


_notifications: dict[str, Notification] = {}


def register(notification: Notification, *, dispatch_uid: str) -> None:
    existing = _notifications.get(notification.kind)
    if existing is not None and existing.handler is not notification.handler:
        raise ValueError(f"Slack notification {notification.kind!r} is already handled by {existing.handler}")
    _notifications[notification.kind] = notification
    # weak=False: the receiver is a fresh closure nothing else holds. Weakly connected, it
    # lived only as long as Django's DEBUG-mode signature check kept a reference, so with
    # DEBUG off (production, and now the embedded default) no notification was ever recorded.
    notification.signal.connect(
        _receiver_for(notification), sender=notification.sender, dispatch_uid=dispatch_uid, weak=False
    )


def _receiver_for(notification: Notification) -> Callable:
    def receive(sender, **kwargs):
        kwargs.pop("signal", None)
        if notification.when is not None and not notification.when(**kwargs):
            return
        record = kwargs.pop(notification.record_arg, None)
        delay = notification.coalesce_seconds() if notification.coalesce_seconds else 0
        record_notification(notification.kind, record, kwargs, delay=delay)

    receive.__name__ = f"notify_{notification.kind.replace('.', '_')}"
    return receive


def record_notification(kind: str, record: models.Model, event: dict, *, delay: float = 0) -> SlackMessage | None:
    """The one write a notification costs inside the domain transaction (plus its savepoint).

    ``delay`` > 0: a coalescing notification, due that many seconds from now; while one of the
    same kind waits for the record, that row will show this change too and nothing is recorded
    (whoever sends the signal: an intake, a scheduled job). Never raises: a notification that
    cannot even be recorded is logged, and the domain change stands.
    """
    try:
        if delay > 0 and (waiting := _waiting_coalescing(kind, record)) is not None:
            return waiting
        encoded = encode(event)
        now = timezone.now()
        state = {"event": encoded, COALESCING: True} if delay > 0 else {"event": encoded}
        row = SlackMessage(
            kind=kind,
            operation=NOTIFY,
            target="",
            text="",
            message_key=message_key_for(record),
            state=state,
            # Always pending, with or without a bot token: expanding it also makes the rows the
            # "Slack not configured" preview shows.
            status=DeliveryStatus.PENDING,
            next_attempt_at=now + timedelta(seconds=delay),
            published_at=now,
        )
        attach_record(row, record)
        with transaction.atomic():
            row.save()
    except Exception:
        logger.exception("Slack notification %s for %s could not be recorded", kind, record)
        return None
    transaction.on_commit(lambda: publish(row.pk, countdown=delay or None))
    return row


def _waiting_coalescing(kind: str, record: models.Model) -> SlackMessage | None:
    return (
        SlackMessage.objects.filter(
            operation=NOTIFY, kind=kind, message_key=message_key_for(record), status=DeliveryStatus.PENDING
        )
        .filter(state__has_key=COALESCING)
        .first()
    )


class OlderPending(Exception):
    """An older notification of the same record has not been expanded yet."""


def expand(row: SlackMessage) -> None:
    """Run the notification's handler on the current record; the notify row is deleted with it.

    Raises OlderPending (the caller defers), LookupError (no handler: a module was removed),
    or whatever the handler raised (the row is then marked failed by the delivery).
    """
    notification = _notifications.get(row.kind)
    if notification is None:
        raise LookupError(f"no Slack notification is registered for {row.kind!r}")
    older = SlackMessage.objects.filter(
        operation=NOTIFY,
        message_key=row.message_key,
        pk__lt=row.pk,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING],
    ).exclude(state__has_key=COALESCING)
    if older.exists():
        raise OlderPending()
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        record = _record_of(row)
        if record is not None:
            notification.handler(record, **decode(row.state.get("event", {})))
        SlackMessage.objects.filter(pk=row.pk).delete()


def _record_of(row: SlackMessage):
    if row.content_type_id is None:
        return None
    # get_for_id: the content types are cached per process (row.content_type is a query).
    model = ContentType.objects.get_for_id(row.content_type_id).model_class()
    return model._default_manager.filter(pk=row.object_id).first() if model else None


# --- the signal's arguments as JSON ---------------------------------------------------------


def encode(value):
    """JSON-safe form of a signal argument: instances by reference, Actors and datetimes tagged."""
    if isinstance(value, Actor):
        user = value.user
        return {"$actor": {"user": getattr(user, "pk", None), "source": value.source, "context": encode(value.context)}}
    if isinstance(value, models.Model):
        return {"$model": value._meta.label_lower, "pk": value.pk}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [encode(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # Decimals, lazy strings: what handlers print anyway


def decode(value):
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "$actor" in value:
        data = value["$actor"]
        user = get_user_model().objects.filter(pk=data["user"]).first() if data.get("user") else None
        return Actor(user=user, source=data.get("source", ""), context=decode(data.get("context", {})))
    if "$model" in value:
        model = apps.get_model(value["$model"])
        return model._default_manager.filter(pk=value["pk"]).first()
    if "$datetime" in value:
        return parse_datetime(value["$datetime"])
    if "$date" in value:
        return parse_date(value["$date"])
    return {key: decode(item) for key, item in value.items()}
