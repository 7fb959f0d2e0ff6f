"""Buttons, modals and shortcuts: block_actions (message and modal), view_submission, message_action."""

import json

import pytest

from erp.audit.models import AuditEvent
from integrations.slack.core.models import Operation, SlackMessage
from tests.fakes.slack_signing import (
    block_actions_payload,
    checkboxes,
    message_action_payload,
    modal_view,
    shortcut_payload,
    static_select,
    view_submission_payload,
)
from tickets.models import Comment, GroupSettings, SatisfactionRating, Status, Ticket
from tickets.services import ticket_close, ticket_resolve

from .conftest import TICKET_CHANNEL, TICKET_TS, opened_views

CHANNEL = TICKET_CHANNEL
TS = TICKET_TS


def _channel_click(action_id, value, user_id, **kwargs):
    return block_actions_payload(action_id, value, user_id=user_id, channel_id=CHANNEL, message_ts=TS, **kwargs)


def _ephemeral_click(post, action_id, value, user_id):
    payload = block_actions_payload(action_id, value, user_id=user_id, channel_id=CHANNEL)
    payload["container"]["is_ephemeral"] = True
    payload["response_url"] = post.response_url()
    return payload


def _updates_of(ticket):
    return SlackMessage.objects.filter(message_key=f"tickets.ticket:{ticket.pk}", operation=Operation.UPDATE)


def test_assign_me_from_a_channel_message_updates_that_message(post, crew, ticket, posted):
    response = post.interaction(_channel_click("tickets.assign_me", str(ticket.pk), "UAGENT001"))
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.assignee == crew["agent"]
    update = _updates_of(ticket).get(target=CHANNEL)
    assert "<@UAGENT001>" in json.dumps(update.blocks)  # the assignee, mentioned
    event = AuditEvent.objects.filter(action="assigned").latest("id")
    assert event.source == "slack"
    assert (
        event.context["slack_message_link"] == "https://fake-workspace.slack.com/archives/CINFRA001/p1700000000000100"
    )


def test_assign_me_on_an_ephemeral_detail_replaces_it(post, crew, ticket):
    post.interaction(_ephemeral_click(post, "tickets.assign_me", str(ticket.pk), "UAGENT001"))
    (body,) = post.response_posts()
    assert body["replace_original"] is True
    assert "<@UAGENT001>" in json.dumps(body["blocks"])
    assert "tickets.assign_me" not in json.dumps(body["blocks"])  # already mine: no more "assign to me"


def test_button_refusal_is_an_ephemeral_reply(post, crew, ticket):
    payload = _channel_click("tickets.assign_me", str(ticket.pk), "UREQUEST1")
    payload["response_url"] = post.response_url()
    post.interaction(payload)
    ticket.refresh_from_db()
    assert ticket.assignee is None
    (body,) = post.response_posts()
    assert body["response_type"] == "ephemeral" and body["replace_original"] is False
    assert "cannot assign" in body["text"]


def test_button_for_an_invisible_ticket(post, crew, make_ticket):
    hidden = make_ticket(by=crew["colleague"], group=crew["dev"])
    payload = _channel_click("tickets.comment", str(hidden.pk), "UREQUEST1")
    payload["response_url"] = post.response_url()
    post.interaction(payload)
    assert "was not found" in post.response_posts()[0]["text"]
    assert opened_views(post.slack) == []


@pytest.mark.parametrize(
    ("action_id", "callback_id"),
    [
        ("tickets.change_status", "tickets.change_status"),
        ("tickets.comment", "tickets.comment"),
        ("tickets.escalate", "tickets.escalate"),
        ("tickets.close", "tickets.close"),
    ],
)
def test_buttons_open_their_modals(post, crew, ticket, action_id, callback_id):
    payload = _channel_click(action_id, str(ticket.pk), "UAGENT001")
    post.interaction(payload)
    (call,) = post.slack.calls_to("views.open")
    assert call.args["trigger_id"] == payload["trigger_id"]
    view = call.args["view"]
    assert view["callback_id"] == callback_id
    assert json.loads(view["private_metadata"])["ticket"] == ticket.pk


def test_status_modal_offers_only_allowed_statuses(post, crew, ticket):
    post.interaction(_channel_click("tickets.change_status", str(ticket.pk), "UAGENT001"))
    (view,) = opened_views(post.slack)
    select = next(b for b in view["blocks"] if b.get("block_id") == "status")
    values = [o["value"] for o in select["element"]["options"]]
    assert "open" not in values and set(values) == {"in_progress", "pending", "resolved", "closed"}


def test_status_select_changes_at_once(post, crew, ticket, posted):
    payload = _channel_click("tickets.change_status", None, "UAGENT001", selected_option=f"{ticket.pk}:in_progress")
    post.interaction(payload)
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    assert _updates_of(ticket).exists()


def test_block_action_from_a_modal(post, crew, ticket):
    view = modal_view("tickets.detail", private_metadata=json.dumps({"ticket": ticket.pk}))
    payload = block_actions_payload("tickets.assign_me", str(ticket.pk), user_id="UAGENT002", view=view)
    assert payload["container"]["type"] == "view"
    assert post.interaction(payload).status_code == 200
    ticket.refresh_from_db()
    assert ticket.assignee == crew["agent2"]
    assert post.response_posts() == []


def test_portal_link_buttons_need_no_handler(post, crew, ticket):
    assert post.interaction(_channel_click("tickets.open", None, "UAGENT001")).status_code == 200


# --- view submissions --------------------------------------------------------------------


def _create_values(title="모니터 깜빡임", group=None, sensitive=False, description="사무실 3층"):
    return {
        "title": {"value": title},
        "description": {"value": description},
        "ticket_type": {"value": static_select("incident")},
        "impact": {"value": static_select("high")},
        "urgency": {"value": static_select("low")},
        "group": {"value": static_select(group)},
        "sensitive": {"value": checkboxes(["yes"] if sensitive else [])},
    }


def test_create_submission_creates_a_slack_ticket(post, crew):
    values = _create_values(group=str(crew["infra"].pk), sensitive=True)
    response = post.interaction(view_submission_payload("tickets.create", values, json.dumps({}), "UREQUEST1"))
    body = response.json()
    assert body["response_action"] == "update"
    ticket = Ticket.objects.get()
    assert ticket.number in json.dumps(body["view"], ensure_ascii=False)
    assert (ticket.title, ticket.source, ticket.group, ticket.sensitive) == (
        "모니터 깜빡임",
        "slack",
        crew["infra"],
        True,
    )
    assert (ticket.impact, ticket.urgency, ticket.requester) == ("high", "low", crew["requester"])
    assert AuditEvent.objects.get(action="created").source == "slack"


def test_create_submission_errors_show_inline(post, crew):
    response = post.interaction(view_submission_payload("tickets.create", _create_values(title="  "), "", "UREQUEST1"))
    body = response.json()
    assert body["response_action"] == "errors" and "title" in body["errors"]
    response = post.interaction(
        view_submission_payload("tickets.create", _create_values(group="999999"), "", "UREQUEST1")
    )
    assert set(response.json()["errors"]) == {"group"}
    response = post.interaction(
        view_submission_payload("tickets.create", _create_values(title="x" * 201), "", "UREQUEST1")
    )
    assert "title" in response.json()["errors"]
    assert not Ticket.objects.exists()


def _meta(ticket, **extra):
    return json.dumps({"ticket": ticket.pk, "channel": CHANNEL, **extra})


def test_comment_submission(post, crew, ticket, posted):
    body = "재현 절차를 확인했습니다.\n" + "가" * 3970
    values = {"body": {"value": body}, "internal": {"value": checkboxes([])}}
    response = post.interaction(view_submission_payload("tickets.comment", values, _meta(ticket), "UAGENT001"))
    assert response.status_code == 200 and response.content == b""
    comment = Comment.objects.get()
    assert comment.body == body and not comment.internal and comment.source == "slack"


def test_comment_submission_refreshes_an_ephemeral_detail(post, crew, ticket):
    url = post.response_url()
    values = {"body": {"value": "확인"}, "internal": {"value": checkboxes(["yes"])}}
    post.interaction(view_submission_payload("tickets.comment", values, _meta(ticket, response_url=url), "UAGENT001"))
    assert Comment.objects.get().internal is True
    (body,) = post.response_posts()
    assert body["replace_original"] is True and "확인" in json.dumps(body["blocks"], ensure_ascii=False)


def test_comment_submission_errors(post, crew, ticket):
    response = post.interaction(
        view_submission_payload("tickets.comment", {"body": {"value": ""}}, _meta(ticket), "UAGENT001")
    )
    assert response.json()["response_action"] == "errors" and "body" in response.json()["errors"]
    values = {"body": {"value": "몰래"}, "internal": {"value": checkboxes(["yes"])}}
    response = post.interaction(view_submission_payload("tickets.comment", values, _meta(ticket), "UREQUEST1"))
    assert "internal notes" in response.json()["errors"]["body"]
    assert not Comment.objects.exists()


def test_escalate_submission(post, crew, ticket):
    response = post.interaction(
        view_submission_payload("tickets.escalate", {"reason": {"value": ""}}, _meta(ticket), "UAGENT001")
    )
    assert "reason" in response.json()["errors"]
    post.interaction(
        view_submission_payload("tickets.escalate", {"reason": {"value": "장기화"}}, _meta(ticket), "UAGENT001")
    )
    ticket.refresh_from_db()
    assert ticket.escalation_level == 1


def test_escalating_out_of_the_group_from_a_detail_keeps_it_readable(post, crew, ticket):
    """The refreshed detail is read through ticket_for: once the escalation moved the ticket
    to a group the agent is not in, they still see it (they watch it now) but no longer
    get the handler's buttons."""
    GroupSettings.objects.create(group=crew["infra"], escalation_group=crew["dev"])
    url = post.response_url()
    values = {"reason": {"value": "개발팀 확인 필요"}}
    post.interaction(view_submission_payload("tickets.escalate", values, _meta(ticket, response_url=url), "UAGENT001"))
    ticket.refresh_from_db()
    assert ticket.group == crew["dev"]
    (body,) = post.response_posts()
    assert body["replace_original"] is True and ticket.number in body["text"]
    assert "tickets.escalate" not in str(body["blocks"]) and "tickets.assign_me" not in str(body["blocks"])


def test_close_submission(post, crew, ticket):
    response = post.interaction(
        view_submission_payload("tickets.close", {"resolution": {"value": " "}}, _meta(ticket), "UAGENT001")
    )
    assert "resolution" in response.json()["errors"]
    post.interaction(
        view_submission_payload("tickets.close", {"resolution": {"value": "원격 조치"}}, _meta(ticket), "UAGENT001")
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED and ticket.resolution == "원격 조치"
    event = AuditEvent.objects.filter(action="status_changed").latest("id")
    assert event.changes["resolution"] == ["", "원격 조치"] and event.source == "slack"


def test_close_submission_refused_for_others(post, crew, ticket):
    response = post.interaction(
        view_submission_payload("tickets.close", {"resolution": {"value": "닫자"}}, _meta(ticket), "UCOLLEAG1")
    )
    assert "not found" in response.json()["errors"]["resolution"]
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_status_submission(post, crew, ticket):
    values = {"status": {"value": static_select("resolved")}, "reason": {"value": ""}}
    response = post.interaction(view_submission_payload("tickets.change_status", values, _meta(ticket), "UAGENT001"))
    assert "reason" in response.json()["errors"]  # resolving needs a resolution
    values["reason"] = {"value": "드라이버 재설치"}
    post.interaction(view_submission_payload("tickets.change_status", values, _meta(ticket), "UAGENT001"))
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.resolution == "드라이버 재설치"
    values = {"status": {"value": static_select("pending")}, "reason": {"value": ""}}
    response = post.interaction(view_submission_payload("tickets.change_status", values, _meta(ticket), "UAGENT001"))
    assert "cannot go from" in response.json()["errors"]["status"]


# --- shortcuts ---------------------------------------------------------------------------


def test_message_shortcut_prefills_text_and_permalink(post, crew):
    payload = message_action_payload(
        "tickets.create_from_message",
        "결제 페이지 &lt;500&gt; 오류\n<@UAGENT001|seoyeon> 확인 부탁",
        user_id="UREQUEST1",
    )
    post.interaction(payload)
    (view,) = opened_views(post.slack)
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["title"]["element"]["initial_value"] == "결제 페이지 <500> 오류"
    description = blocks["description"]["element"]["initial_value"]
    assert "@seoyeon 확인 부탁" in description
    permalink = "https://fake-workspace.slack.com/archives/CFAKECHAN1/p1700000000000100"
    assert permalink in description
    assert json.loads(view["private_metadata"])["source_link"] == permalink
    # Submitting it records the permalink in the audit trail.
    values = _create_values(title="결제 오류", description=description)
    post.interaction(view_submission_payload("tickets.create", values, view["private_metadata"], "UREQUEST1"))
    assert AuditEvent.objects.get(action="created").context["slack_message_link"] == permalink


def test_global_shortcut_opens_the_create_form(post, crew):
    post.interaction(shortcut_payload("tickets.create", user_id="UAGENT001"))
    (view,) = opened_views(post.slack)
    group = next(b for b in view["blocks"] if b.get("block_id") == "group")
    assert group["element"]["initial_option"]["value"] == str(crew["infra"].pk)  # an agent's own group


# --- satisfaction ------------------------------------------------------------------------


def _rate(post, ticket, score, user_id):
    payload = block_actions_payload("tickets.rate", f"{ticket.pk}:{score}", user_id=user_id, channel_id="DREQUEST1")
    payload["response_url"] = post.response_url()
    post.interaction(payload)
    return post.response_posts()[-1]


def test_requester_rates_a_resolved_ticket(post, crew, ticket):
    ticket_resolve(ticket=ticket, resolution="완료", by=crew["agent"])
    body = _rate(post, ticket, 4, "UREQUEST1")
    assert body["replace_original"] is True and "⭐⭐⭐⭐" in body["text"]
    assert SatisfactionRating.objects.get(ticket=ticket).score == 4
    _rate(post, ticket, 5, "UREQUEST1")  # a second click changes the score
    assert SatisfactionRating.objects.get(ticket=ticket).score == 5
    events = AuditEvent.objects.filter(action="rated").order_by("id")
    assert [e.changes["satisfaction"] for e in events] == [[None, 4], [4, 5]]
    assert events[0].source == "slack"


def test_only_the_requester_rates_and_only_when_resolved(post, crew, ticket):
    assert "once it is resolved" in _rate(post, ticket, 3, "UREQUEST1")["text"]
    ticket_close(ticket=ticket, by=crew["agent"])
    assert "Only the person who requested" in _rate(post, ticket, 1, "UAGENT001")["text"]
    assert "broken" in _rate(post, ticket, "x", "UREQUEST1")["text"]
    assert not SatisfactionRating.objects.exists()


@pytest.mark.parametrize("configured_domain", ["haru-corp", ""])
def test_message_shortcut_in_an_org_wide_install_never_asks_slack_for_the_permalink(
    post, crew, settings, configured_domain
):
    """team is null (org-wide install): the link uses SLACK_TEAM_DOMAIN, else there is none.

    chat.getPermalink would be a second Slack call on the ack path before views.open."""
    settings.SLACK_TEAM_DOMAIN = configured_domain
    payload = message_action_payload("tickets.create_from_message", "원본 메시지", user_id="UREQUEST1")
    payload["team"] = None
    post.interaction(payload)
    assert post.slack.calls_to("chat.getPermalink") == []
    (view,) = opened_views(post.slack)
    link = json.loads(view["private_metadata"]).get("source_link", "")
    if configured_domain:
        assert link == "https://haru-corp.slack.com/archives/CFAKECHAN1/p1700000000000100"
    else:
        assert link == ""
