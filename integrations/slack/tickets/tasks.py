"""Scheduled Slack jobs of the tickets module (scheduled by its SlackModule.jobs)."""

from celery import shared_task

from integrations.slack.tickets import digest


@shared_task(name="integrations.slack.daily_ticket_digest", ignore_result=True)
def daily_ticket_digest() -> int:
    """Beat, 09:00 KST Mon–Fri: queue the ticket digest per group (skips holidays; idempotent per day)."""
    return digest.send_daily_digest()
