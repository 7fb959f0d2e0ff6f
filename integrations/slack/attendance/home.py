"""Attendance in the App Home tab (and on the status reply): check in with a location, check out.

- ``attendance.check_in`` (static_select office / remote / client): office and remote check
  in at once; client opens the ``attendance.client_place`` modal that asks for the site.
- ``attendance.check_in_at_place`` (button, only when a module expects the person at a client
  site today, e.g. a 고객사 미팅 booking): checks in there in one click.
- ``attendance.check_out`` (button).

Every write is attendance.services with ``by=who.actor()``. After a change the Home tab is
re-published through the inbound layer's deferred ``views.publish`` (after commit, off the
ack path); a click on the ephemeral status reply replaces that reply via its response_url.
A refusal from the Home tab (which has no response_url) is explained in a small modal.
"""

import logging

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import Location
from attendance.place_hints import client_place_hint
from attendance.services import attendance_check_in, attendance_check_out, attendance_status
from erp.core.errors import DomainError
from integrations.slack.attendance.blocks import (
    PLACE_BLOCK,
    PLACE_INPUT,
    client_place_modal,
    clock,
    home_section,
    location_label,
    status_message,
)
from integrations.slack.core.home import build_home, publish_home
from integrations.slack.inbound.deferred import defer, respond_later
from integrations.slack.inbound.modals import notice_modal, open_modal
from integrations.slack.inbound.replies import SlackUserError, explain, modal_errors, replace_original

logger = logging.getLogger(__name__)


def attendance_section(who) -> list[dict]:
    """Home tab section: today's status, the week vs 52 h, and the punch controls."""
    return home_section(attendance_status(who.employee))


def refresh(who, *, response_url: str = "", headline: str = "") -> None:
    """Re-publish the Home tab (always: it shows the new state next time it is looked at) and,
    for a click on an ephemeral status reply, replace that reply too."""
    defer(publish_home, who.origin.user_id, build_home(who))
    if response_url:
        text, blocks = status_message(attendance_status(who.employee), headline=headline)
        respond_later(response_url, replace_original(text, blocks))


def _refuse(interaction, who, exc: Exception) -> None:
    """From the Home tab there is no response_url: explain in a modal; elsewhere let the
    inbound view answer ephemerally through the response_url."""
    if interaction.response_url:
        raise exc
    refresh(who)  # the tab may show a stale state (e.g. checked in from another device)
    try:
        open_modal(interaction.trigger_id, notice_modal(_("Attendance"), explain(exc) or ""))
    except SlackUserError:
        logger.info("Attendance refusal not shown to %s: no modal", who.origin.user_id)


def _origin_metadata(interaction) -> dict:
    return {"response_url": interaction.response_url} if interaction.response_url else {"from": "home"}


def on_check_in(interaction, who) -> None:
    """Location chosen: office/remote check in now; client opens the place modal first."""
    location = interaction.action_value
    if location == Location.CLIENT:
        place = client_place_hint(who.employee, timezone.localdate())
        open_modal(interaction.trigger_id, client_place_modal(_origin_metadata(interaction), place=place))
        return
    try:
        if location not in (Location.OFFICE, Location.REMOTE):
            raise SlackUserError(_("Choose office, remote or client site."))
        result = attendance_check_in(employee=who.employee, location=location, by=who.actor())
    except (DomainError, ValidationError) as exc:
        _refuse(interaction, who, exc)
        return
    refresh(who, response_url=interaction.response_url, headline=_checked_in_headline(result))


def on_check_in_at_place(interaction, who) -> None:
    """The offered client site (today's 고객사 미팅) clicked: check in there at once."""
    try:
        result = attendance_check_in(
            employee=who.employee, location=Location.CLIENT, place=interaction.action_value or "", by=who.actor()
        )
    except (DomainError, ValidationError) as exc:
        _refuse(interaction, who, exc)
        return
    refresh(who, response_url=interaction.response_url, headline=_checked_in_headline(result))


def on_check_out(interaction, who) -> None:
    try:
        result = attendance_check_out(employee=who.employee, by=who.actor())
    except (DomainError, ValidationError) as exc:
        _refuse(interaction, who, exc)
        return
    headline = _("Checked out at %(time)s (KST)") % {"time": clock(result.punch.at)}
    refresh(who, response_url=interaction.response_url, headline=headline)


def on_client_place(interaction, who) -> dict | None:
    """Modal submitted: check in at the client site; refusals show under the place field."""
    place = ((interaction.state_values.get(PLACE_BLOCK) or {}).get(PLACE_INPUT) or {}).get("value") or ""
    try:
        result = attendance_check_in(employee=who.employee, location=Location.CLIENT, place=place, by=who.actor())
    except (DomainError, ValidationError) as exc:
        return modal_errors({PLACE_BLOCK: explain(exc)})
    response_url = interaction.private_metadata.get("response_url", "")
    refresh(
        who, response_url=response_url if isinstance(response_url, str) else "", headline=_checked_in_headline(result)
    )
    return None  # an empty 200 closes the modal


def _checked_in_headline(result) -> str:
    return _("Checked in at %(time)s (KST) · %(where)s") % {
        "time": clock(result.punch.at),
        "where": location_label(result.punch.location, result.punch.place),
    }
