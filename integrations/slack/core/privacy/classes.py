"""The two scales the policy relates: how private a field is, and how open a Slack target is."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivacyClass(models.TextChoices):
    """How private a shown field is, from least to most (the order is the policy's order)."""

    PUBLIC = "public", _("Public")  # numbers, statuses, counts, links: fine anywhere
    INTERNAL = "internal", _("Internal")  # company business: titles, descriptions, colleagues' names
    PERSONAL = "personal", _("Personal")  # about one person: contact details, hours worked, customers
    SENSITIVE = "sensitive", _("Sensitive")  # HR, pay, health, sensitive tickets: the person concerned only


RANK = {value: position for position, value in enumerate(PrivacyClass.values)}


def highest(classes) -> str:
    """The most private of ``classes`` (PUBLIC for none)."""
    return max(classes, key=RANK.__getitem__, default=PrivacyClass.PUBLIC)


def allows(ceiling: str, privacy: str) -> bool:
    return RANK[privacy] <= RANK[ceiling]


class TargetClass(models.TextChoices):
    """Who can read a Slack target, from the most closed to the most open."""

    DIRECT_MESSAGE = "dm", _("Direct message")
    PRIVATE_CHANNEL = "private", _("Private channel")
    PUBLIC_CHANNEL = "public", _("Public channel")
    WITH_GUESTS = "guests", _("Channel with guests")
    SHARED = "shared", _("Channel shared with another organisation")


# When Slack cannot tell us (unreachable, no scope, unknown channel) the target is treated
# as the most open one: nothing leaves that could not be read outside the company.
MOST_RESTRICTIVE = TargetClass.SHARED

# The defaults keep what employee-only channels showed before the policy existed (the
# workspace's public channels are read by employees only) and close guests and Slack
# Connect to numbers and links; sensitive matters go only to the one person concerned.
DEFAULT_POLICY = {
    TargetClass.DIRECT_MESSAGE: PrivacyClass.SENSITIVE,
    TargetClass.PRIVATE_CHANNEL: PrivacyClass.PERSONAL,
    TargetClass.PUBLIC_CHANNEL: PrivacyClass.PERSONAL,
    TargetClass.WITH_GUESTS: PrivacyClass.PUBLIC,
    TargetClass.SHARED: PrivacyClass.PUBLIC,
}


# Short names for the declarations next to the block builders: @shows(title=INTERNAL, …).
PUBLIC = PrivacyClass.PUBLIC
INTERNAL = PrivacyClass.INTERNAL
PERSONAL = PrivacyClass.PERSONAL
SENSITIVE = PrivacyClass.SENSITIVE
