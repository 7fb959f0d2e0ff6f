"""Domain events of alerts, sent inside the service's transaction.

Every signal carries ``group`` (an AlertGroup) and ``by`` (an Actor); the Slack side turns
them into one message per group that follows it (integrations/slack/alerts).
"""

from django.dispatch import Signal

# A group started firing: created, or fired again after it had resolved.
group_opened = Signal()
# More of the same arrived (count and last seen changed); ``item`` is the newest item.
group_repeated = Signal()
# Someone acted on the group: ``change`` is "acknowledged", "snoozed", "ticket_linked" …
group_changed = Signal()
# The sender (or a person) resolved the group.
group_resolved = Signal()
# A release entry passed its subscription's filters: ``item`` (an Item), sent once per item.
release_published = Signal()
