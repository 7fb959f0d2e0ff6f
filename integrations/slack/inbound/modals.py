"""Opening modals: views.open inline, the one Slack call allowed on the ack path."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from slack_sdk.errors import SlackApiError, SlackClientError

from integrations.slack.core.blocks import plain, safe_mrkdwn, section
from integrations.slack.core.client import SlackNotConfigured, get_client
from integrations.slack.inbound.replies import SlackUserError

# views.open must happen while the trigger_id lives (3 s from the click): fail fast. A
# first-contact users.info may precede it in the same request (identity.ACK_SLACK_BUDGET_SECONDS).
VIEWS_OPEN_TIMEOUT_SECONDS = 1.6


def open_modal(trigger_id: str, view: dict) -> None:
    """Open ``view`` for the person who clicked; SlackUserError (shown ephemerally) on failure."""
    if not trigger_id:
        raise SlackUserError(_("Slack sent no form trigger; please try again."))
    try:
        get_client(timeout=VIEWS_OPEN_TIMEOUT_SECONDS).views_open(trigger_id=trigger_id, view=view)
    except SlackNotConfigured:
        raise SlackUserError(_("Slack is not configured on the server, so the form cannot open."))
    except (SlackApiError, SlackClientError, OSError):
        raise SlackUserError(_("Slack did not open the form in time. Please try again."))


def notice_modal(title: str, text: str) -> dict:
    """A modal that only explains: how a refusal reaches someone who clicked in the Home tab
    (a Home tab interaction has no response_url for an ephemeral answer)."""
    return {
        "type": "modal",
        "title": plain(title, 24),
        "close": plain(pgettext("dismiss a modal", "Close"), 24),
        "blocks": [section(safe_mrkdwn(text))],
    }
