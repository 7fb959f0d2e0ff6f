"""Celery tasks of alerts (beat entries declared in integrations/slack/alerts/module.py)."""

from celery import shared_task

from .services import reply_mail, storm


@shared_task(name="alerts.show_held_repeats", ignore_result=True)
def show_held_repeats() -> int:
    """Once a minute: groups whose repeats were held back in a mail storm get one update."""
    return storm.show_held_repeats()


@shared_task(name="alerts.send_reply_mail", ignore_result=True)
def send_reply_mail(pk: int) -> str:
    """Send one helpdesk reply mail now (queued after the agent's comment commits)."""
    return reply_mail.reply_mail_send(pk)


@shared_task(name="alerts.retry_reply_mails", ignore_result=True)
def retry_reply_mails() -> int:
    """Once a minute: reply mails whose retry time has come (mail server down, broker lost the task)."""
    return reply_mail.reply_mails_due()
