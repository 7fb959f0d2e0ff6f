"""The admin's home widget: system health and the Slack delivery backlog (bounded counts)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from erp.core.health import check_broker, check_database
from erp.history.engine import capped_count
from erp.history.widgets import Widget, WidgetData
from integrations.slack.core.models import DeliveryStatus, SlackMessage


def delivery_health(user) -> WidgetData:
    pending = capped_count(SlackMessage.objects.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]))
    failed = capped_count(SlackMessage.objects.filter(status=DeliveryStatus.FAILED))
    ok, down = _("OK"), _("Down")
    return WidgetData(
        figures=[
            (_("Database"), ok if check_database()["ok"] else down),
            (_("Broker"), ok if check_broker()["ok"] else down),
            (_("Slack messages waiting"), str(pending)),
            (_("Slack messages failed"), str(failed)),
        ],
        link=(_("Slack outbox"), reverse("admin:integrations_slackmessage_changelist")),
    )


DELIVERY_WIDGET = Widget("slack.delivery", _("System health"), delivery_health, roles=("admin",), order=90)
