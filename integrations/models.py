"""Models of the integrations app live next to their channel; Django finds them here."""

from integrations.calendar.models import PushChannel  # noqa: F401
from integrations.slack.core.models import DeliveryStatus, MessageRef, Operation, RoutingRule, SlackMessage, TimeWindow  # noqa: F401
