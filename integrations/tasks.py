"""Celery autodiscovers ``<app>.tasks``: every task of the integrations app is imported here."""

from .slack.tasks import daily_ticket_digest, deliver_message, prune_outbox, sweep_outbox  # noqa: F401
from .slack.tasks_attendance import attendance_morning_post  # noqa: F401
