"""Celery task of the feed poller (beat entry declared in integrations/slack/alerts/module.py)."""

from celery import shared_task

from .poll import poll_cycle


@shared_task(name="integrations.feeds.poll", ignore_result=True)
def poll_feeds() -> dict:
    return poll_cycle()
