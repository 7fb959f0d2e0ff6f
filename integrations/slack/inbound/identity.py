"""Who is this Slack user? Resolve to an employee, linking by e-mail on first contact.

DESIGN.md §3.10: a handler resolves the actor first; unknown users, guests, bots and
deactivated accounts get a clear refusal. Permissions stay in services and selectors.
"""

import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from slack_sdk.errors import SlackApiError, SlackClientError

from erp.audit.actor import Actor
from erp.audit.models import Source
from erp.people.models import Employee
from erp.people.selectors import employee_by_slack_id
from erp.people.services import employee_link_slack
from integrations.slack.core.client import SlackNotConfigured, get_client
from integrations.slack.inbound.modals import VIEWS_OPEN_TIMEOUT_SECONDS
from integrations.slack.inbound.payloads import SlackOrigin

logger = logging.getLogger(__name__)

# First contact costs a users.info call on the 3-second ack path, and a command or button
# that opens a form then also calls views.open (VIEWS_OPEN_TIMEOUT_SECONDS) in the same
# request. Both worst cases together must leave room for our own work and the network to
# Slack, so the two timeouts add up to ACK_SLACK_BUDGET_SECONDS, well under 3 s; users.info
# normally answers in a few hundred ms, and a slower Slack gets "try again in a moment"
# (not remembered as a refusal, so the retry looks up again).
LOOKUP_TIMEOUT_SECONDS = 0.6
ACK_SLACK_BUDGET_SECONDS = LOOKUP_TIMEOUT_SECONDS + VIEWS_OPEN_TIMEOUT_SECONDS
# Remember a failed first contact briefly (per process, not the cache: the ack path must
# not depend on Redis) so a stranger typing /fs repeatedly does not cost a Slack call each.
NEGATIVE_TTL_SECONDS = 60
_refused: dict[str, tuple[float, str]] = {}
_refused_lock = threading.Lock()

REASON_UNKNOWN = "unknown"
REASON_GUEST = "guest"
REASON_INACTIVE = "inactive"
REASON_UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class SlackUser:
    """The resolved person behind a Slack request."""

    employee: Employee
    origin: SlackOrigin

    @property
    def user(self):
        return self.employee.user

    @property
    def language(self) -> str:
        return self.employee.language or settings.LANGUAGE_CODE

    def actor(self, **extra_context) -> Actor:
        """The Actor every service call from Slack passes as ``by`` (audit shows "via Slack")."""
        return Actor(
            user=self.employee.user, source=Source.SLACK, context={**self.origin.audit_context(), **extra_context}
        )


class NotLinked(Exception):
    """The Slack user cannot act in the portal; ``reason`` picks the refusal text."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def refusal_text(reason: str) -> str:
    """The refusal in the current language (callers pick it; unknown people get both)."""
    if reason == REASON_GUEST:
        return _("Guest accounts cannot use Haru from Slack. Please ask IT for a full account.")
    if reason == REASON_INACTIVE:
        return _("Your Haru account is deactivated. Please contact IT.")
    if reason == REASON_UNAVAILABLE:
        return _("Slack did not answer in time, so we could not check who you are. Please try again in a moment.")
    return _(
        "We could not find your Haru account: your Slack e-mail does not match any employee. "
        "Please ask IT to link your Slack account."
    )


def bilingual(render) -> str:
    """Korean first, English below: for people whose language we do not know yet."""
    with translation.override("ko"):
        korean = render()
    with translation.override("en"):
        english = render()
    return korean if korean == english else f"{korean}\n{english}"


@contextmanager
def speaking(who: "SlackUser | None"):
    """Answer in the employee's language (Korean when unknown)."""
    with translation.override(who.language if who else settings.LANGUAGE_CODE):
        yield


def _remember_refusal(slack_user_id: str, reason: str) -> None:
    with _refused_lock:
        _refused[slack_user_id] = (time.monotonic() + NEGATIVE_TTL_SECONDS, reason)


def _recent_refusal(slack_user_id: str) -> str | None:
    with _refused_lock:
        entry = _refused.get(slack_user_id)
        if entry and entry[0] > time.monotonic():
            return entry[1]
        _refused.pop(slack_user_id, None)
        return None


def forget_refusals() -> None:
    with _refused_lock:
        _refused.clear()


def resolve(origin: SlackOrigin, *, lookup: bool = True) -> SlackUser:
    """The employee behind ``origin.user_id``; raises NotLinked with a reason otherwise.

    Linked employees cost one indexed query. On first contact (``lookup``) Slack's
    users.info gives the e-mail, which links the employee with the same active login via
    erp.people.services.employee_link_slack (audited). Side effect: that link.
    """
    employee = employee_by_slack_id(origin.user_id)
    if employee is not None:
        return SlackUser(employee=employee, origin=origin)
    if not lookup:
        raise NotLinked(REASON_UNKNOWN)
    remembered = _recent_refusal(origin.user_id)
    if remembered:
        raise NotLinked(remembered)
    reason = REASON_UNKNOWN
    try:
        employee = _link_on_first_contact(origin)
    except NotLinked as exc:
        reason = exc.reason
    if employee is None:
        if reason != REASON_UNAVAILABLE:  # a slow Slack is worth retrying right away
            _remember_refusal(origin.user_id, reason)
        raise NotLinked(reason)
    return SlackUser(employee=employee, origin=origin)


def _link_on_first_contact(origin: SlackOrigin) -> Employee | None:
    try:
        client = get_client(timeout=LOOKUP_TIMEOUT_SECONDS)
        profile = client.users_info(user=origin.user_id, include_locale=True)["user"]
    except SlackNotConfigured:
        return None
    except SlackApiError as exc:
        error = exc.response.get("error", "") if exc.response is not None else ""
        if error in ("user_not_found", "users_not_found"):
            return None
        logger.warning("Slack users.info failed for %s: %s", origin.user_id, error or exc)
        raise NotLinked(REASON_UNAVAILABLE)
    except (SlackClientError, OSError) as exc:  # timeouts and connection errors
        logger.warning("Slack users.info unreachable for %s: %s", origin.user_id, exc)
        raise NotLinked(REASON_UNAVAILABLE)
    if profile.get("is_restricted") or profile.get("is_ultra_restricted") or profile.get("is_bot"):
        raise NotLinked(REASON_GUEST)
    if profile.get("deleted"):
        raise NotLinked(REASON_INACTIVE)
    email = ((profile.get("profile") or {}).get("email") or "").strip()
    if not email:
        return None
    candidates = Employee.objects.select_related("user", "department").filter(user__email__iexact=email)
    active = list(candidates.filter(user__is_active=True)[:2])
    if not active:
        if candidates.exists():
            raise NotLinked(REASON_INACTIVE)
        return None
    if len(active) > 1:
        # Two logins share the e-mail: guessing could hand one person's tickets to another.
        logger.warning("Slack user %s: several employees have the e-mail %s; not linking", origin.user_id, email)
        return None
    employee = active[0]
    if employee.slack_user_id and employee.slack_user_id != origin.user_id:
        # Already linked to another Slack account: never steal a link silently.
        logger.warning("Slack user %s has the e-mail of %s, linked to another Slack id", origin.user_id, employee)
        return None
    by = Actor(user=employee.user, source=Source.SLACK, context={**origin.audit_context(), "reason": "first_contact"})
    return employee_link_slack(employee=employee, slack_user_id=origin.user_id, by=by)
