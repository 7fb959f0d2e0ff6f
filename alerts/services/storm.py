"""Mail storms: per-sender and per-mailbox limits, so 10,000 mails cost a few Slack calls.

Every mail is stored and counted, whatever the rate. What the limits change is what Slack
sees: once a sender (or the whole mailbox) passes its limit within a minute,

* a mail of a known group is counted into it quietly (``held_repeats``), no notification;
* a mail that would open a new group (a bomb of ever-different subjects) is counted into one
  overflow group per sender instead, its own grouping key kept in the item's facts;

and the storm job (beat, every minute) shows the held repeats in one update per group.

The counts live in the database (IntakeWindow, one row per sender and minute and one per
mailbox and minute), upserted in one statement: the SMTP receiver, the IMAP poller and
every worker share them, and nothing is lost when a process restarts.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from erp.audit.actor import Actor

from .. import conf, signals
from ..models import AlertGroup, IntakeWindow, Source

OVERFLOW_PREFIX = "storm:"
# Windows are kept this long (the job deletes older ones).
WINDOW_KEEP = timedelta(minutes=10)


@dataclass(frozen=True)
class Arrival:
    sender_count: int
    mailbox_count: int

    @property
    def storm(self) -> bool:
        return self.sender_count > conf.get("ALERTS_STORM_PER_SENDER_PER_MINUTE") or self.mailbox_count > conf.get(
            "ALERTS_STORM_PER_MAILBOX_PER_MINUTE"
        )


def window_start(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def mail_arrived(source: Source, sender: str, moment: datetime | None = None) -> Arrival:
    """Count one mail from ``sender`` to ``source`` in the current minute; the counts after it."""
    return mails_arrived(source, [sender], moment)[0]


def mails_arrived(source: Source, senders: list[str], moment: datetime | None = None) -> list[Arrival]:
    """Count a batch of mails (one sender each, in arrival order); the counts after each.

    One INSERT … ON CONFLICT DO UPDATE … RETURNING for the batch's senders and the mailbox
    (PostgreSQL and SQLite alike): the n-th mail of a sender in the batch sees the count
    before the batch plus n, as if they had been counted one by one.
    """
    if not senders:
        return []
    start = connection.ops.adapt_datetimefield_value(window_start(moment or timezone.now()))
    senders = [(sender or "").strip().lower()[:254] or "?" for sender in senders]
    batch = Counter(senders)
    quote = connection.ops.quote_name
    table = quote(IntakeWindow._meta.db_table)
    count = quote("count")
    rows = ", ".join(["(%s, %s, %s, %s)"] * (len(batch) + 1))
    sql = (
        f"INSERT INTO {table} ({quote('source_id')}, {quote('sender')}, {quote('window_start')}, {count})"
        f" VALUES {rows}"
        f" ON CONFLICT ({quote('source_id')}, {quote('sender')}, {quote('window_start')})"
        f" DO UPDATE SET {count} = {table}.{count} + excluded.{count} RETURNING {quote('sender')}, {count}"
    )
    params = []
    for sender, n in [*batch.items(), ("", len(senders))]:
        params += [source.pk, sender, start, n]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        after = dict(cursor.fetchall())
    seen, arrivals = Counter(), []
    for index, sender in enumerate(senders, start=1):
        seen[sender] += 1
        arrivals.append(
            Arrival(
                sender_count=after.get(sender, 0) - batch[sender] + seen[sender],
                mailbox_count=after.get("", 0) - len(senders) + index,
            )
        )
    return arrivals


def overflow_key(sender: str) -> str:
    return OVERFLOW_PREFIX + ((sender or "").strip().lower() or "?")


@transaction.atomic
def repeats_shown(group: AlertGroup) -> AlertGroup:
    """The Slack side is about to render ``group``: what was held is shown now. Returns the
    group as it is (locked), so the message shows the count that was reset."""
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the outer joins.
    related = ("source", "ticket", "acknowledged_by")
    fresh = AlertGroup.objects.select_for_update(of=("self",)).select_related(*related).get(pk=group.pk)
    if fresh.held_repeats:
        AlertGroup.objects.filter(pk=fresh.pk).update(held_repeats=0)
        fresh.held_repeats = 0
    return fresh


def show_held_repeats() -> int:
    """The storm job: one ``group_repeated`` per group with held repeats; old windows dropped."""
    shown = 0
    for pk in AlertGroup.objects.filter(held_repeats__gt=0).values_list("pk", flat=True)[:1000]:
        with transaction.atomic():
            group = AlertGroup.objects.select_for_update(of=("self",)).select_related("source").filter(pk=pk).first()
            if group is None or not group.held_repeats:
                continue
            signals.group_repeated.send(
                sender=AlertGroup, group=group, item=None, by=Actor.system(source=group.source.name)
            )
            shown += 1
    IntakeWindow.objects.filter(window_start__lt=timezone.now() - WINDOW_KEEP).delete()
    return shown
