"""Models of the integrations app live next to their channel; Django finds them here."""

from .oncall.models import OnCallMember, OnCallOverride, OnCallRotation  # noqa: F401
from .slack.models import DeliveryStatus, MessageRef, Operation, RoutingRule, SlackMessage, TimeWindow  # noqa: F401
