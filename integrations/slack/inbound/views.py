"""The three thin Slack endpoints (+ options): verify → parse → resolve → route → ack.

Everything here answers within Slack's 3 seconds: handlers call domain services (a few
DB writes), outbound messages go through the outbox (published after commit, fail-fast),
and the only inline Slack call is views.open (its trigger_id expires after 3 s) — plus,
on a person's very first contact, the short users.info lookup that links them.
No exception becomes a 500 page: refusals and bugs alike become an ephemeral sentence.
"""

import hashlib
import json
import logging
from functools import wraps

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from integrations.slack.inbound import dedupe, dispatch
from integrations.slack.inbound.bot import is_own_message, warm_up
from integrations.slack.inbound.deferred import respond_later
from integrations.slack.inbound.identity import NotLinked, bilingual, refusal_text, resolve, speaking
from integrations.slack.inbound.models import EventStatus
from integrations.slack.inbound.payloads import BadPayload, parse_command, parse_event, parse_form, parse_interaction
from integrations.slack.inbound.replies import ephemeral, explain, modal_errors, something_went_wrong
from integrations.slack.inbound.verification import claim_once, forget, once_per_signature, slack_signed
from integrations.slack.inbound.workspace import remember_domain

logger = logging.getLogger(__name__)


def _ok(body: dict | None = None) -> HttpResponse:
    return JsonResponse(body) if body else HttpResponse(status=200)


def _bad_request(reason: str) -> JsonResponse:
    return JsonResponse({"message": reason}, status=400)


def _refusal(reason: str) -> dict:
    return ephemeral(bilingual(lambda: refusal_text(reason)))


def _never_an_error_page(fallback):
    """Last line of defence (e.g. the database is down): log, and answer Slack politely."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except Exception:
                logger.exception("Slack endpoint %s failed", request.path)
                return fallback()

        return wrapper

    return decorate


def _bilingual_failure() -> HttpResponse:
    return _ok(ephemeral(bilingual(something_went_wrong)))


def _failure_text(exc: Exception, where: str) -> str:
    text = explain(exc)
    if text is None:
        logger.exception("Slack %s handler failed", where)
        text = something_went_wrong()
    return text


def _unreadable(exc: BadPayload) -> HttpResponse:
    """A signed command Haru cannot read: logged, and told to the person in both languages."""
    logger.warning("Unreadable signed Slack command: %s", exc)
    return _ok(ephemeral(bilingual(lambda: _("Haru could not read this request from Slack; nothing was changed."))))


@csrf_exempt
@slack_signed
@once_per_signature
@_never_an_error_page(_bilingual_failure)
def commands(request):
    """Slash commands: the HTTP answer body is the (ephemeral) reply."""
    try:
        form = parse_form(request.body)
    except BadPayload as exc:
        return _unreadable(exc)
    return command_response(form)


def command_response(form: dict) -> HttpResponse:
    """The dispatch behind /slack/commands, shared with Socket Mode (integrations/slack/socket)."""
    if form.get("ssl_check"):
        return _ok()
    try:
        cmd = parse_command(form)
    except BadPayload as exc:
        return _unreadable(exc)
    remember_domain(cmd.origin.team_id, cmd.origin.team_domain)
    handler = dispatch.commands.get(cmd.command)
    if handler is None:
        return _ok(
            ephemeral(
                bilingual(lambda: _("This command is not handled by Haru: %(command)s") % {"command": cmd.command})
            )
        )
    try:
        who = resolve(cmd.origin)
    except NotLinked as exc:
        return _ok(_refusal(exc.reason))
    with speaking(who):
        try:
            return _ok(handler(cmd, who))
        except Exception as exc:
            return _ok(ephemeral(_failure_text(exc, cmd.command)))


@csrf_exempt
@slack_signed
@once_per_signature
@_never_an_error_page(_ok)
def interactivity(request):
    """Buttons, selects, modal submissions, shortcuts: one payload=<json> form field."""
    try:
        interaction = parse_interaction(parse_form(request.body))
    except BadPayload as exc:
        return _bad_request(str(exc))
    return interaction_response(interaction)


def interaction_response(interaction) -> HttpResponse:
    """The dispatch behind /slack/interactivity, shared with Socket Mode."""
    remember_domain(interaction.origin.team_id, interaction.origin.team_domain)
    kind = interaction.type
    if kind == "block_actions":
        return _block_actions(interaction)
    if kind == "view_submission":
        return _view_submission(interaction)
    if kind == "view_closed":
        return _routed(dispatch.view_closed.get(interaction.callback_id), interaction, "view_closed")
    if kind in ("shortcut", "message_action"):
        return _shortcut(interaction)
    if kind == "block_suggestion":
        return _no_options()
    return _ok()


def _who_or_refusal(interaction):
    """(SlackUser, None) or (None, refusal body) — refusals also go to the response_url."""
    try:
        return resolve(interaction.origin), None
    except NotLinked as exc:
        return None, _refusal(exc.reason)


def _block_actions(interaction) -> HttpResponse:
    action_id = interaction.action_id
    if action_id in dispatch.IGNORED_ACTIONS:
        return _ok()
    handler = dispatch.actions.get(action_id)
    if handler is None:
        logger.warning("Unrouted Slack action %r", action_id)
        return _ok()
    who, refusal = _who_or_refusal(interaction)
    if refusal:
        respond_later(interaction.response_url, {**refusal, "replace_original": False})
        return _ok()
    with speaking(who):
        try:
            handler(interaction, who)
        except Exception as exc:
            respond_later(
                interaction.response_url, {**ephemeral(_failure_text(exc, action_id)), "replace_original": False}
            )
    return _ok()


def _submission_key(view: dict) -> str | None:
    """One key per submitted state of a modal: a person re-submitting the same modal after
    Slack's 3-second timeout sends the same view id and hash (review M6)."""
    view_id, view_hash = view.get("id"), view.get("hash")
    if isinstance(view_id, str) and isinstance(view_hash, str) and view_id and view_hash:
        return f"view:{view_id}:{hashlib.sha256(view_hash.encode()).hexdigest()[:32]}"
    return None


def _view_submission(interaction) -> HttpResponse:
    handler = dispatch.views.get(interaction.callback_id)
    if handler is None:
        logger.warning("Unrouted Slack view %r", interaction.callback_id)
        return _ok()
    who, refusal = _who_or_refusal(interaction)
    if refusal:
        return _ok(modal_errors({_first_input_block(interaction.view): refusal["text"]}))
    key = _submission_key(interaction.view)
    if key and not claim_once(key):
        logger.info("Modal %s submitted again; the first submission stands", interaction.callback_id)
        return _ok({"response_action": "clear"})
    with speaking(who):
        try:
            answer = handler(interaction, who)
        except Exception as exc:
            answer = modal_errors({_first_input_block(interaction.view): _failure_text(exc, interaction.callback_id)})
    if key and isinstance(answer, dict) and answer.get("response_action") == "errors":
        forget(key)  # nothing was done: the corrected form must go through
    return _ok(answer)


def _first_input_block(view: dict) -> str:
    for block in view.get("blocks") or []:
        if block.get("type") == "input" and block.get("block_id"):
            return block["block_id"]
    values = (view.get("state") or {}).get("values") or {}
    return next(iter(values), "message")


def _shortcut(interaction) -> HttpResponse:
    handler = dispatch.shortcuts.get(interaction.callback_id)
    if handler is None:
        logger.warning("Unrouted Slack shortcut %r", interaction.callback_id)
        return _ok()
    who, refusal = _who_or_refusal(interaction)
    if refusal:
        respond_later(interaction.response_url, refusal)
        return _ok()
    with speaking(who):
        try:
            handler(interaction, who)
        except Exception as exc:
            respond_later(interaction.response_url, ephemeral(_failure_text(exc, interaction.callback_id)))
    return _ok()


def _routed(handler, interaction, where: str) -> HttpResponse:
    if handler is None:
        return _ok()
    who, refusal = _who_or_refusal(interaction)
    if refusal:
        return _ok()
    with speaking(who):
        try:
            handler(interaction, who)
        except Exception as exc:
            _failure_text(exc, where)
    return _ok()


def _no_options() -> HttpResponse:
    return JsonResponse({"options": []})


@csrf_exempt
@slack_signed
@once_per_signature
@_never_an_error_page(_no_options)
def options(request):
    """External select options (block_suggestion): always an empty list, by design.

    Haru's Block Kit has no external select, so the generated manifest no longer
    advertises this URL. The endpoint stays for apps configured from an older manifest:
    Slack then gets a valid, signed-checked answer instead of a 404 in a select menu.
    """
    try:
        parse_interaction(parse_form(request.body))
    except BadPayload as exc:
        return _bad_request(str(exc))
    return _no_options()


def _retry_later() -> JsonResponse:
    # A 5xx asks Slack to retry (at once, +1 min, +5 min): nothing accepted is lost.
    return JsonResponse({"message": "event handling failed; please retry"}, status=503)


@csrf_exempt
@slack_signed
@_never_an_error_page(_retry_later)
def events(request):
    """Events API: url_verification handshake, then each event_callback handled once."""
    try:
        envelope = json.loads(request.body)
    except ValueError:
        return _bad_request("body is not JSON")
    if not isinstance(envelope, dict):
        return _bad_request("body is not a JSON object")
    kind = envelope.get("type")
    if kind == "url_verification":
        return JsonResponse({"challenge": envelope.get("challenge", "")})
    if kind != "event_callback":
        return _ok()  # app_rate_limited and future envelope types need only an ack
    return event_response(envelope, request.headers.get("X-Slack-Retry-Num"))


def event_response(envelope: dict, retry_num: str | None) -> HttpResponse:
    """The dispatch behind /slack/events for one event_callback, shared with Socket Mode.

    A 503 answer means "handling failed, deliver it again" (the receipt is released).
    """
    try:
        event = parse_event(envelope, retry_num)
    except BadPayload as exc:
        return _bad_request(str(exc))
    handler = dispatch.events.get(event.type)
    if handler is None:
        return _ok()
    if event.type == "message":
        warm_up()
        if is_own_message(event.event, envelope.get("authorizations")):
            return _ok()
    accepts = dispatch.event_filters.get(event.type)
    if accepts is not None and not accepts(event.event):
        return _ok()
    if not dedupe.claim_event(event):
        return _ok()  # a retry of a delivery we already have (maybe still running)
    try:
        handled = handler(event)
    except Exception:
        logger.exception("Slack event %s (%s) failed", event.event_id, event.type)
        dedupe.release_event(event)
        # The receipt is gone, so Slack's retry is handled afresh instead of being dropped.
        return _retry_later()
    dedupe.finish_event(event, EventStatus.DONE if handled is not False else EventStatus.IGNORED)
    return _ok()
