"""How long Socket Mode bookkeeping is kept (registered in apps.py): envelope receipts
(deduplication of redelivered envelopes, minutes) one day; connection records a week (a
stopped one a day), for the system status page."""

from datetime import timedelta

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp.core.retention import DELETE, RetentionPolicy


def _envelopes_due(cutoff):
    from .models import SocketEnvelope

    return SocketEnvelope.objects.filter(received_at__lt=cutoff)


def _connections_due(cutoff):
    from .models import ConnectionState, SocketConnection

    stopped_cutoff = cutoff + timedelta(days=6)  # the policy's week, less six days for stopped ones
    return SocketConnection.objects.filter(
        Q(heartbeat_at__lt=cutoff) | Q(state=ConnectionState.STOPPED, heartbeat_at__lt=stopped_cutoff)
    )


POLICIES = (
    RetentionPolicy(
        key="slack.socket_envelopes",
        label=_("Socket Mode envelope receipts"),
        default_days=1,
        action=DELETE,
        reason=_("Slack redelivers an envelope within minutes."),
        due=_envelopes_due,
        order=73,
    ),
    RetentionPolicy(
        key="slack.socket_connections",
        label=_("Socket Mode connection records"),
        default_days=7,
        action=DELETE,
        reason=_("Shown on the system status page for a week (stopped ones for a day)."),
        due=_connections_due,
        order=74,
    ),
)
