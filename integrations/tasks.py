"""Celery autodiscovers ``<app>.tasks``: the Slack core's tasks are imported here.

Each Slack module's own tasks are imported with its module.py when the app is ready
(integrations.slack.core.modules.install), in the worker and in beat alike.
"""

from integrations.slack.core.tasks import deliver_message, sweep_outbox  # noqa: F401
