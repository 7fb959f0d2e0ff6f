"""Who may read what in the Slack outbox pages and admin.

Direct messages carry personal matters (weekly hours, 52-hour warnings, sensitive ticket
numbers), so a permission to see the outbox is not enough to read them: the body of a
DM is shown only to its recipient or to holders of ``view_direct_messages``.
"""

from erp.people.selectors import employee_of

VIEW_PERMISSION = "integrations.view_slackmessage"
DIRECT_MESSAGES_PERMISSION = "integrations.view_direct_messages"
# U…/W… are user ids (delivered as a DM), D… is an already-open DM channel.
_PRIVATE_TARGET_PREFIXES = ("U", "W", "D")


def can_view_outbox(user) -> bool:
    """The outbox pages and their nav entry (superusers have every permission)."""
    return bool(user and user.is_authenticated and user.has_perm(VIEW_PERMISSION))


def is_private(message) -> bool:
    """Addressed to one person: a DM target, or delivered into a DM channel."""
    return message.target[:1] in _PRIVATE_TARGET_PREFIXES or message.channel_id[:1] == "D"


class BodyReader:
    """Decides, for one viewer, which message bodies are shown (one employee lookup per request)."""

    def __init__(self, user):
        self.all_direct = bool(user and user.is_authenticated and user.has_perm(DIRECT_MESSAGES_PERMISSION))
        employee = None if self.all_direct else employee_of(user)
        self.own_slack_id = (employee.slack_user_id or "") if employee else ""

    def can_read(self, message) -> bool:
        if self.all_direct or not is_private(message):
            return True
        return bool(self.own_slack_id) and message.target == self.own_slack_id
