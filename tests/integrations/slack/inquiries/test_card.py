"""The sales card end to end: inquiry services → notify rows → outbox → FakeSlackAPI, and the
card's buttons through genuinely signed interactivity requests."""

import json

import pytest

from inquiries.models import RoutingRule, Status, TimeWindow
from inquiries.services import inquiry_release, inquiry_update
from integrations.slack.core.kit import changed_shown
from integrations.slack.inquiries import blocks
from integrations.slack.inquiries.blocks import inquiry_card
from integrations.slack.inquiries.jobs import send_nudge
from integrations.slack.inquiries.receivers import card_context
from tests.clock import WORKING_WEDNESDAY
from tests.fakes.slack_signing import block_actions_payload, static_select, view_submission_payload
from tests.integrations.slack.inbound.conftest import opened_views

from ..conftest import drain, expand_notifications

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SALES = "CSALESINQ"
MARKETING = "CMKTSHARE"


@pytest.fixture(autouse=True)
def channels(settings):
    settings.INQUIRIES_SALES_CHANNEL = SALES
    settings.INQUIRIES_MARKETING_CHANNEL = MARKETING


def content(message) -> str:
    return message.get("text", "") + json.dumps(message.get("blocks") or [], ensure_ascii=False)


def top_level(slack, channel):
    return [m for m in slack.messages.get(channel, []) if not m.get("thread_ts")]


def replies(slack, channel):
    return [m for m in slack.messages.get(channel, []) if m.get("thread_ts")]


def delivered(receive, slack, **overrides):
    inquiry = receive(**overrides)
    expand_notifications()
    drain()
    return inquiry


def test_a_new_inquiry_posts_a_card_with_masked_contact(receive, slack):
    inquiry = delivered(receive, slack)
    (card,) = top_level(slack, SALES)
    text = content(card)
    for shown in ("김하늘", "(주)한빛소프트", "챗봇 도입 문의", "Adoption inquiry", "Website form", inquiry.number):
        assert shown in text
    assert "사내 헬프데스크에 챗봇을" in text  # the first lines of the message
    assert "sky.kim@hanbit.example" not in text and "s***@hanbit.example" in text
    assert "010-2345-6789" not in text and "010-****-6789" in text
    assert "203.0.113.7" not in text


def test_quarantined_inquiries_post_nothing_until_released(receive, slack, team):
    inquiry = delivered(receive, slack, website="spam")
    assert not slack.messages.get(SALES)
    inquiry_release(inquiry=inquiry, by=team["sales"])
    expand_notifications()
    drain()
    assert len(top_level(slack, SALES)) == 1


def click(post, action_id, value, user="USALES001", selected=None):
    payload = block_actions_payload(action_id, value, selected_option=selected, user_id=user, channel_id=SALES)
    payload["response_url"] = post.response_url()
    return post.interaction(payload)


def convert_with_modal(post, slack, inquiry, *, title=None, ticket_type="service_request", priority="P3"):
    """Choose a type on the card (the modal opens, prefilled), then submit the modal."""
    click(post, blocks.CONVERT, None, selected=f"{inquiry.pk}:{ticket_type}")
    view = opened_views(slack)[-1]
    prefilled = {block.get("block_id"): block["element"] for block in view["blocks"] if block["type"] == "input"}
    values = {
        blocks.TICKET_TITLE: {
            blocks.TICKET_TITLE: title if title is not None else prefilled[blocks.TICKET_TITLE]["initial_value"]
        },
        blocks.TICKET_TYPE: {
            blocks.TICKET_TYPE: static_select(prefilled[blocks.TICKET_TYPE]["initial_option"]["value"])
        },
        blocks.TICKET_PRIORITY: {blocks.TICKET_PRIORITY: static_select(priority)},
    }
    payload = view_submission_payload(view["callback_id"], values, view["private_metadata"], user_id="USALES001")
    return view, post.interaction(payload)


def test_buttons_change_the_inquiry_and_the_card_updates_in_place(receive, slack, post, team):
    inquiry = delivered(receive, slack)
    (card,) = top_level(slack, SALES)

    click(post, blocks.ASSIGN_ME, str(inquiry.pk))
    drain()
    inquiry.refresh_from_db()
    assert inquiry.assignee == team["sales"] and inquiry.status == Status.IN_PROGRESS
    (updated,) = top_level(slack, SALES)  # still one card: chat.update, not a new post
    assert updated["ts"] == card["ts"] and "In progress" in content(updated)
    assert any("assigned the inquiry to sales" in content(reply) for reply in replies(slack, SALES))

    convert_with_modal(post, slack, inquiry)
    drain()
    link = inquiry.ticket_links.get()
    assert link.ticket.number.startswith("SR-")
    assert link.ticket.number in content(top_level(slack, SALES)[0])

    click(post, blocks.SHARE, str(inquiry.pk))
    drain()
    inquiry.refresh_from_db()
    assert inquiry.shared_with_marketing
    (summary,) = slack.messages[MARKETING]
    summary_text = content(summary)
    assert "Shared inquiry" in summary_text and "Adoption inquiry" in summary_text
    for private in ("김하늘", "sky.kim", "s***@", "6789", "헬프데스크"):
        assert private not in summary_text

    click(post, blocks.MARK_ANSWERED, str(inquiry.pk))
    drain()
    inquiry.refresh_from_db()
    assert inquiry.status == Status.ANSWERED
    assert "Answered" in content(top_level(slack, SALES)[0])

    click(post, blocks.MARK_SPAM, str(inquiry.pk))
    drain()
    inquiry.refresh_from_db()
    assert inquiry.status == Status.SPAM
    final = top_level(slack, SALES)
    assert len(final) == 1 and blocks.ASSIGN_ME not in content(final[0])
    assert len(replies(slack, SALES)) >= 5  # the thread log: one line per step


def test_people_outside_sales_are_refused_and_nothing_changes(receive, slack, post, team):
    team["marketer"].employee.__class__.objects.filter(user=team["marketer"]).update(language="en")
    inquiry = delivered(receive, slack)
    response = click(post, blocks.ASSIGN_ME, str(inquiry.pk), user="UMKT00001")
    inquiry.refresh_from_db()
    assert inquiry.assignee is None
    assert response.status_code == 200
    (refusal,) = post.response_posts()
    assert "This inquiry was not found, or you cannot see it." in refusal["text"]


def test_an_edit_of_a_shown_field_refreshes_the_card(receive, slack, team):
    inquiry = delivered(receive, slack)
    inquiry_update(inquiry=inquiry, changes={"company": "한빛소프트 주식회사"}, by=team["sales"])
    expand_notifications()
    drain()
    assert "한빛소프트 주식회사" in content(top_level(slack, SALES)[0])


def test_shown_fields_are_declared():
    assert changed_shown(inquiry_card, ["subject"]) and not changed_shown(inquiry_card, ["tags"])


@pytest.mark.parametrize(
    "name", ["customer_name", "company", "subject", "message", "category", "product", "email", "phone"]
)
def test_every_shown_field_changes_the_card(receive, name):
    import copy

    inquiry = receive(product="챗봇")
    before = inquiry_card(inquiry, card_context(inquiry))
    edited = copy.copy(inquiry)
    setattr(
        edited,
        name,
        "demo"
        if name == "category"
        else ("x@y.example" if name == "email" else "010-1111-2222" if name == "phone" else "바뀐 값"),
    )
    assert inquiry_card(edited, card_context(edited)) != before


def test_routing_rules_pick_the_channel_by_category(receive, slack):
    RoutingRule.objects.create(name="partners", categories=["partnership"], channel="CPARTNER1", order=1)
    RoutingRule.objects.create(name="after hours", time_window=TimeWindow.AFTER_HOURS, channel="CNIGHT001", order=2)
    delivered(receive, slack, category="partnership")
    delivered(receive, slack, category="quote", email="q@x.example", phone="")
    assert len(top_level(slack, "CPARTNER1")) == 1
    assert len(top_level(slack, SALES)) == 1  # a Wednesday morning: the after-hours rule does not match


def test_daily_nudge_lists_old_open_inquiries_once(receive, slack, settings):
    from datetime import timedelta

    import time_machine

    settings.INQUIRIES_NUDGE_HOURS = 24
    with time_machine.travel(WORKING_WEDNESDAY - timedelta(days=2), tick=False):
        old = receive()
    receive(email="fresh@x.example", phone="")
    expand_notifications()
    drain()
    assert send_nudge(WORKING_WEDNESDAY.date()) == 1
    assert send_nudge(WORKING_WEDNESDAY.date()) == 0
    drain()
    nudges = [m for m in top_level(slack, SALES) if "waited more than" in content(m)]
    assert len(nudges) == 1 and old.number in content(nudges[0]) and "fresh" not in content(nudges[0])


def test_an_emailed_inquiry_posts_the_same_card(slack, settings):
    from inquiries.services.email import intake_email
    from tests.inquiries.mails import customer_mail

    inquiry = intake_email(customer_mail("견적 요청", "메일로 견적을 요청드립니다.", charset="euc-kr")).inquiry
    expand_notifications()
    drain()
    (card,) = top_level(slack, SALES)
    text = content(card)
    assert inquiry.number in text and "견적 요청" in text and "E-mail" in text
    assert "sky.kim@hanbit.example" not in text


def test_convert_asks_for_title_type_and_priority_first(receive, slack, post, team):
    inquiry = delivered(receive, slack)
    click(post, blocks.CONVERT, None, selected=f"{inquiry.pk}:incident")
    assert not inquiry.ticket_links.exists()  # choosing a type only opens the modal
    (view,) = opened_views(slack)
    assert view["callback_id"] == blocks.CONVERT_MODAL
    text = json.dumps(view, ensure_ascii=False)
    assert f"[{inquiry.number}] 챗봇 도입 문의" in text and '"value": "incident"' in text

    view, empty = convert_with_modal(post, slack, inquiry, title="  ")
    assert empty.json()["response_action"] == "errors" and blocks.TICKET_TITLE in empty.json()["errors"]
    assert not inquiry.ticket_links.exists()

    view, answer = convert_with_modal(
        post, slack, inquiry, title="고객사 챗봇 PoC 환경 준비", ticket_type="incident", priority="P2"
    )
    assert answer.status_code == 200 and not answer.content.strip(b"{} ")  # the modal closes
    ticket = inquiry.ticket_links.get().ticket
    assert (ticket.title, ticket.ticket_type, ticket.priority) == ("고객사 챗봇 PoC 환경 준비", "incident", "P2")


def test_convert_modal_is_refused_to_people_outside_sales(receive, slack, post, team):
    inquiry = delivered(receive, slack)
    inquiry.shared_with_marketing = True
    inquiry.save(update_fields=["shared_with_marketing"])
    click(post, blocks.CONVERT, None, selected=f"{inquiry.pk}:incident", user="UMKT00001")
    assert not opened_views(slack) and not inquiry.ticket_links.exists()
    (refusal,) = post.response_posts()
    assert refusal["text"] == "고객 문의는 영업팀만 변경할 수 있습니다."  # in the person's language (Korean)
