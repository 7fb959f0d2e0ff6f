"""IMAP-polled mailboxes: which are due, where each poll stopped, and their health.

The polling itself (imaplib) is integrations/mail/imap.py; the mails go through
services.mail.mail_receive like those of the SMTP receiver. Health uses the source's fetch
columns (last fetch, last error, failures in a row, next fetch), which the admin and the
source page show; failures back off exponentially from the source's poll interval.
"""

from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from .. import conf
from ..models import Source, SourceKind


def mailboxes_due(now=None):
    now = now or timezone.now()
    return (
        Source.objects.filter(kind=SourceKind.MAILBOX, is_active=True)
        .exclude(imap_host="")
        .filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
        .order_by("next_fetch_at", "pk")
    )


def mailbox_read_up_to(source: Source, *, uidvalidity: int, uid: int) -> None:
    """Remember that every mail up to ``uid`` of this UIDVALIDITY is stored (one UPDATE)."""
    Source.objects.filter(pk=source.pk).update(imap_uidvalidity=uidvalidity, imap_last_uid=uid)
    source.imap_uidvalidity, source.imap_last_uid = uidvalidity, uid


def mailbox_renumbered(source: Source, uidvalidity: int) -> None:
    """The folder's UIDVALIDITY changed: its UIDs mean other mails now, start from the first."""
    mailbox_read_up_to(source, uidvalidity=uidvalidity, uid=0)


def mailbox_polled(source: Source, *, error: str = "") -> None:
    """Record a poll's outcome: the next poll time, and on an error the failure count and back-off."""
    now = timezone.now()
    if not error:
        Source.objects.filter(pk=source.pk).update(
            last_fetched_at=now, last_error="", failures=0, next_fetch_at=now + timedelta(minutes=source.poll_minutes)
        )
        return
    failures = source.failures + 1
    minutes = min(source.poll_minutes * 2 ** min(failures - 1, 10), conf.get("ALERTS_IMAP_MAX_BACKOFF_MINUTES"))
    Source.objects.filter(pk=source.pk).update(
        last_fetched_at=now,
        last_error=error[:2000],
        failures=F("failures") + 1,
        next_fetch_at=now + timedelta(minutes=minutes),
    )
