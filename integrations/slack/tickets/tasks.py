"""Scheduled Slack jobs of the tickets module (scheduled by its SlackModule.jobs)."""

from celery import shared_task

from integrations.slack.tickets import digest


@shared_task(name="integrations.slack.daily_ticket_digest", ignore_result=True)
def daily_ticket_digest() -> int:
    """Beat, every 15 minutes from 09:00 KST: queue the ticket digest per group once per working
    day (the first tick of the day posts, later ones find it done; see erp.core.scheduled)."""
    return digest.send_daily_digest()
