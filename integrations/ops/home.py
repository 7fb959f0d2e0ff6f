"""The admin's card on the portal home: Slack deliveries that failed, and system health.

Only company admins get it (nobody else can act on a failed delivery or a missing token);
this is also where "Slack is not configured" now shows, instead of every employee's profile.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from erp.core.counts import count_label
from erp.core.health import check_broker, check_database
from erp.people.roles import is_company_admin
from integrations.slack.core.models import DeliveryStatus, SlackMessage

RECENT = timedelta(days=7)


def home_panel_context(request) -> dict | None:
    if not is_company_admin(request.user):
        return None
    recent = SlackMessage.objects.filter(created_at__gte=timezone.now() - RECENT)
    return {
        "slack_configured": bool(settings.SLACK_BOT_TOKEN),
        "failed": count_label(recent.filter(status=DeliveryStatus.FAILED)),
        "not_sent": count_label(recent.filter(status=DeliveryStatus.NOT_CONFIGURED)),
        "database_ok": check_database()["ok"],
        "broker_ok": check_broker()["ok"],
    }
