"""The receiver kit: what every module's Slack receivers are written with.

- :func:`safe_receiver` keeps a receiver failure from undoing the domain write: the receiver
  runs in its own savepoint, in the company's language; an exception is logged and becomes a
  FAILED outbox row (kind ``<receiver>``, code ``receiver_error``) that the admin's failed list
  shows next to delivery failures.
- :func:`dm` renders a direct message in its recipient's own language and enqueues it; people
  not linked to Slack get nothing (the portal shows them the same).
- :func:`changed_shown` answers "does this change touch what the message shows?" from the
  fields its block builder declares with ``integrations.slack.core.blocks.shows``, so editing a
  shown field always refreshes the Slack message (tests check the declaration is complete).
"""

import functools
import logging
import traceback
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import models, transaction
from django.utils import translation

from erp.core.pii import mask_pii
from integrations.slack.core.outbox import enqueue, record_failure

logger = logging.getLogger(__name__)


def safe_receiver(record_arg: str) -> Callable:
    """Decorate ``handler(record, **kwargs)`` as a signal receiver ``(sender, **kwargs)``.

    ``record_arg`` names the signal argument the handler gets first (``ticket``, ``employee``).
    """

    def decorate(handler: Callable) -> Callable:
        kind = f"{handler.__module__.removeprefix('integrations.slack.')}.{handler.__name__}"

        @functools.wraps(handler)
        def wrapper(sender, **kwargs):
            record = kwargs.pop(record_arg, None)
            try:
                # Channel messages speak the company's language, not the acting user's; DMs
                # switch to the recipient's own language in dm().
                with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
                    handler(record, **kwargs)
            except Exception as exc:
                logger.exception("Slack receiver %s failed for %s", kind, _describe(record))
                _record(kind, record, exc)

        return wrapper

    return decorate


def _describe(record) -> str:
    return f"{type(record).__name__} {getattr(record, 'pk', None)}" if record is not None else "-"


def _record(kind: str, record, exc: Exception) -> None:
    """Leave the failure where an admin looks (never raises: the domain change must stand)."""
    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    try:
        record_failure(kind=kind, record=record if isinstance(record, models.Model) else None, error=mask_pii(detail))
    except Exception:
        logger.exception("Could not record the failure of Slack receiver %s", kind)


def slack_recipient(recipient):
    """The Employee behind a User or an Employee (None when there is none)."""
    if recipient is None:
        return None
    return recipient if hasattr(recipient, "slack_user_id") else getattr(recipient, "employee", None)


def dm(kind: str, recipient, render: Callable, *, record=None, **enqueue_kwargs) -> None:
    """Enqueue ``render()`` (→ text, blocks) as a DM to ``recipient`` (User or Employee), in their language."""
    employee = slack_recipient(recipient)
    if employee is None or not employee.slack_user_id:
        return  # not linked to Slack: the portal is where they see it
    with translation.override(employee.language or settings.LANGUAGE_CODE):
        text, blocks = render()
    enqueue(kind=kind, target=employee.slack_user_id, text=text, blocks=blocks, record=record, **enqueue_kwargs)


def changed_shown(builder: Callable, changes: Iterable[str] | None) -> bool:
    """True when any of ``changes`` (field names) is shown by ``builder``'s message (see blocks.shows)."""
    return bool(builder.shown_fields & set(changes or ()))
