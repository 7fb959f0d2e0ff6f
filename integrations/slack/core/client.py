"""The one place a Slack WebClient is built (DESIGN.md convention 6).

Token and base URL are read from settings at call time, so tests and local runs can
point the portal at a stand-in for Slack's Web API with SLACK_API_BASE_URL.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from integrations.ops.metrics import count_slack_call

# Seconds: a Slack call from a worker must give up long before the task's time limit.
DEFAULT_TIMEOUT = 10


class SlackNotConfigured(RuntimeError):
    """No bot token is set: Slack features explain this instead of failing."""

    def __init__(self):
        super().__init__(_("Slack is not configured: set SLACK_BOT_TOKEN (see README)."))


def slack_configured() -> bool:
    return bool(settings.SLACK_BOT_TOKEN)


class MeteredWebClient(WebClient):
    """Counts every call by method and outcome (ok, error, ratelimited, unreachable) for /metrics."""

    def api_call(self, api_method: str, *args, **kwargs):
        try:
            response = super().api_call(api_method, *args, **kwargs)
        except SlackApiError as exc:
            count_slack_call(api_method, "ratelimited" if exc.response.status_code == 429 else "error")
            raise
        except Exception:
            count_slack_call(api_method, "unreachable")
            raise
        count_slack_call(api_method, "ok")
        return response


def get_client(timeout: int = DEFAULT_TIMEOUT) -> WebClient:
    """A WebClient without in-process retry handlers: callers re-schedule instead of sleeping."""
    if not slack_configured():
        raise SlackNotConfigured()
    base_url = settings.SLACK_API_BASE_URL
    if not base_url.endswith("/"):
        base_url += "/"
    client = MeteredWebClient(token=settings.SLACK_BOT_TOKEN, base_url=base_url, timeout=timeout)
    client.retry_handlers = []
    return client
