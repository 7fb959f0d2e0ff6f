"""Notification receivers stay connected: Django holds receivers weakly, and a notification's
receiver is a closure nobody else references. With DEBUG off (production) it was collected at
once and no module's notification reached Slack."""

import gc

from django.dispatch import Signal

from integrations.slack.core import notify


def test_a_registered_notification_keeps_its_receiver_with_debug_off(settings):
    settings.DEBUG = False
    signal = Signal()
    notification = notify.Notification(signal, "tests.weakref_probe", lambda record, **event: None)
    try:
        notify.register(notification, dispatch_uid="tests.weakref_probe")
        gc.collect()
        sync_receivers, _async_receivers = signal._live_receivers(None)
        assert len(sync_receivers) == 1
    finally:
        notify._notifications.pop("tests.weakref_probe", None)
