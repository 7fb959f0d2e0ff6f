"""Every process that publishes outbox deliveries knows the delivery task (not only the worker)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_a_fresh_web_process_can_publish_the_delivery_task_by_name():
    # A new interpreter, as the web server starts: Django set up, nothing else imported.
    script = (
        "import django; django.setup()\n"
        "from erp.celery import app\n"
        "from integrations.slack.core.outbox import DELIVER_TASK\n"
        "print(DELIVER_TASK in app.tasks)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.stdout.strip() == "True", result.stderr[-2000:]


def test_notification_receivers_are_held_strongly():
    """A weakly connected closure was collected in gunicorn workers: tickets created there
    recorded no notification at all (found by bench/two_nodes.py)."""
    import weakref

    from tickets import signals

    entries = [entry for entry in signals.ticket_created.receivers if "notify" in str(entry[0][0])]
    assert entries
    assert not any(isinstance(entry[1], weakref.ReferenceType) for entry in entries)
