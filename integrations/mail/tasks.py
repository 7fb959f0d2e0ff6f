"""Celery task of the IMAP poller (beat entry declared in integrations/slack/alerts/module.py)."""

from celery import shared_task

from .imap import poll_due_mailboxes


@shared_task(name="integrations.mail.poll_mailboxes", ignore_result=True)
def poll_mailboxes() -> dict:
    return poll_due_mailboxes()
