"""Block Kit helpers: escaping, limits, masking, links (pure functions, plus one real post)."""

from datetime import datetime

import pytest
from django.utils import timezone

from erp.workcalendar.calendar import KST
from integrations.slack.core import blocks as common
from integrations.slack.core.delivery import deliver
from integrations.slack.core.outbox import enqueue
from integrations.slack.core.preview import mrkdwn_to_html, render_blocks
from integrations.slack.tickets.blocks.message import Person, TicketContext, rating_request, ticket_message
from tests.fakes.slack_api.blockkit import message_problems
from tickets.models import Ticket

pytestmark = pytest.mark.usefixtures("english")


def ticket(**kwargs):
    values = {
        "pk": 7,
        "number": "INC-7",
        "title": "메일 서버 <장애> & 지연",
        "description": "설명",
        "priority": "P1",
        "status": "open",
        "ticket_type": "incident",
        "source": "web",
    }
    values.update(kwargs)
    return Ticket(**values)


CTX = TicketContext(requester=Person("윤예준", "UREQUEST1"), assignee=Person("이서연", None), group_name="인프라팀")


def texts(blocks):
    """Every text string in a message with the element type holding it."""
    for block in blocks:
        for key in ("text",):
            if isinstance(block.get(key), dict):
                yield block["type"], block[key]["text"]
        for field in block.get("fields", []):
            yield "field", field["text"]
        for element in block.get("elements", []):
            if isinstance(element.get("text"), dict):
                yield element["type"], element["text"]["text"]
            elif "text" in element:
                yield "context", element["text"]


def test_escape_only_touches_amp_lt_gt():
    assert common.escape("a & b < c > d * _ ~ `") == "a &amp; b &lt; c &gt; d * _ ~ `"


def test_safe_mrkdwn_never_cuts_an_entity_in_half():
    clipped = common.safe_mrkdwn("&" * 100, limit=21)
    assert len(clipped) <= 21 and clipped.endswith("…") and clipped.count("&amp;") == 4


def test_titles_are_escaped_and_mentions_linked():
    _text, blocks = ticket_message(ticket(), CTX)
    header = next(b for b in blocks if b["type"] == "header")
    assert header["text"]["type"] == "plain_text" and "<장애>" in header["text"]["text"]
    fields = " ".join(f["text"] for b in blocks for f in b.get("fields", []))
    assert "<@UREQUEST1>" in fields and "이서연" in fields  # an unlinked person shows by name


@pytest.mark.parametrize("priority", ["P1", "P2", "P3", "P4"])
def test_a_10000_character_korean_description_stays_within_every_limit(priority):
    description = ("가나다라마바사아자차카타파하 " * 800)[:10_000]
    text, blocks = ticket_message(ticket(description=description, priority=priority, title="긴 제목" * 60), CTX)
    text, blocks = common.finalize_message(text, blocks)
    assert len(blocks) <= common.MAX_BLOCKS and text
    limits = {"header": 150, "section": 3000, "field": 2000, "button": 75, "context": 3000}
    for kind, value in texts(blocks):
        assert 1 <= len(value) <= limits.get(kind, 3000), (kind, len(value))
    for block in blocks:
        assert len(block.get("fields", [])) <= 10
    assert any(value.endswith("…") for _kind, value in texts(blocks))


def test_finalize_clips_any_message_to_slack_limits():
    blocks = [common.section("x")] * 80 + [{"type": "header", "text": {"type": "plain_text", "text": "제" * 500}}]
    text, clipped = common.finalize_message("", blocks)
    assert len(clipped) == 50 and text
    wide = [{"type": "section", "fields": [{"type": "mrkdwn", "text": "필" * 3000}] * 14}]
    _text, clipped = common.finalize_message("t", wide)
    assert len(clipped[0]["fields"]) == 10 and all(len(f["text"]) <= 2000 for f in clipped[0]["fields"])


def test_pii_is_masked_in_built_blocks():
    _text, blocks = ticket_message(ticket(description="연락처 010-9876-5432 메일 kim.minsu@haru.co.kr"), CTX)
    flat = str(blocks)
    assert "9876" not in flat and "kim.minsu" not in flat and "010-****-5432" in flat


def test_link_button_points_at_the_portal(settings):
    settings.PORTAL_BASE_URL = "https://erp.haru.example"
    _text, blocks = ticket_message(ticket(), CTX)
    urls = [e.get("url") for b in blocks if b["type"] == "actions" for e in b["elements"] if e.get("url")]
    assert urls == ["https://erp.haru.example/tickets/INC-7/"]


def test_closed_ticket_keeps_only_the_portal_link():
    _text, blocks = ticket_message(ticket(status="closed"), CTX)
    [actions] = [b for b in blocks if b["type"] == "actions"]
    assert [e["action_id"] for e in actions["elements"]] == ["tickets.open"]


def test_rating_request_for_a_sensitive_ticket_hides_the_title():
    _text, blocks = rating_request(ticket(sensitive=True, title="급여 오류"), CTX)
    assert "급여" not in str(blocks) and "INC-7" in str(blocks)


@pytest.mark.django_db
def test_long_korean_message_is_accepted_by_slack(slack):
    description = "장애 상세 내용입니다. " * 1000
    # Unclipped, this description alone is a section Slack refuses (3,000 characters at most).
    assert message_problems([common.section(description)]) == []  # the kit clips it…
    assert message_problems([{"type": "section", "text": {"type": "mrkdwn", "text": description}}])  # …raw, refused
    text, blocks = ticket_message(ticket(description=description), CTX)
    message = enqueue(kind="tickets.created", target="CLIMITS01", text=text, blocks=blocks)
    assert deliver(message.pk).status == "sent"
    [post] = slack.messages["CLIMITS01"]
    assert post["text"] == message.text and len(post["blocks"]) == len(blocks)
    assert slack.rejections == []  # the stand-in checked every Block Kit limit and found none broken


@pytest.mark.django_db
def test_the_outbox_makes_any_message_acceptable_to_slack(slack):
    """A careless caller's raw blocks, over every limit finalize_message handles, still post."""
    mrkdwn = {"type": "mrkdwn", "text": "가" * 4000}
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "제" * 500}},
        {"type": "section", "text": mrkdwn},
        {"type": "section", "fields": [mrkdwn] * 14},
        {"type": "context", "elements": [mrkdwn] * 12},
        {"type": "actions", "elements": [common.button("버" * 100, action_id=f"b{i}") for i in range(30)]},
        {"type": "header", "text": {"type": "plain_text", "text": ""}},
    ] + [common.section("x")] * 80
    assert message_problems(blocks)  # as built, Slack would refuse it
    message = enqueue(kind="tickets.created", target="CLIMITS02", text="", blocks=blocks)
    assert deliver(message.pk).status == "sent"
    assert len(slack.messages["CLIMITS02"][0]["blocks"]) == common.MAX_BLOCKS


def test_preview_renders_blocks_as_safe_html():
    _text, blocks = ticket_message(ticket(description="*굵게* <script>alert(1)</script>"), CTX)
    html = str(render_blocks(blocks))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<strong>굵게</strong>" in html and 'class="slack-button' in html and "@윤예준" not in html
    assert "@UREQUEST1" in html


def test_mrkdwn_links_and_mentions_to_html():
    html = mrkdwn_to_html("<https://erp.example/t/1|INC-1> <!subteam^S1> <@U1> `x`")
    assert '<a href="https://erp.example/t/1" rel="noopener">INC-1</a>' in html
    assert "@S1" in html and "@U1" in html and "<code>x</code>" in html
    assert "href" not in mrkdwn_to_html("<javascript:alert(1)|x>")


def test_private_metadata_never_slices_json_and_keeps_the_ticket_id():
    import json

    from integrations.slack.tickets.blocks.modals import close_modal

    long_url = "https://hooks.slack.com/actions/T1/" + "x" * 2500
    long_link = "https://haru.slack.com/archives/C1/p1?" + "한" * 3000
    text = common.private_metadata(
        {"ticket": 42, "channel": "C1", "response_url": long_url, "source_link": long_link, "note": ""}
    )
    assert len(text) <= common.PRIVATE_METADATA
    data = json.loads(text)  # valid JSON, whatever the values' lengths
    assert data["ticket"] == 42 and data["channel"] == "C1"
    assert "response_url" not in data and "note" not in data  # droppable first, empty left out
    assert data["source_link"].startswith("https://haru.slack.com/") and data["source_link"].endswith("…")
    # Characters that JSON escapes (quotes, backslashes, control characters) still fit.
    escaped = common.private_metadata({"ticket": 7, "text": '"\\\n' * 2000})
    assert len(escaped) <= common.PRIVATE_METADATA and json.loads(escaped)["ticket"] == 7
    short = {"ticket": 9, "response_url": "https://hooks.slack.com/x"}
    assert json.loads(common.private_metadata(short)) == short
    view = close_modal(Ticket(pk=5, number="INC-5", title="VPN"), metadata={"ticket": 5, "response_url": long_url * 2})
    assert json.loads(view["private_metadata"]) == {"ticket": 5}
    with pytest.raises(ValueError):
        common.private_metadata({"ids": list(range(2000))})


def test_fragments_once_hidden_in_f_strings_are_korean_for_korean_readers():
    """'opened …', 'due …' and 'Per assignee' used to reach Korean users in English."""
    from django.utils import translation

    from integrations.slack.tickets.blocks.reports import Workload, workload_blocks

    due = timezone.make_aware(datetime(2026, 12, 7, 16, 27), KST)
    opened = timezone.make_aware(datetime(2026, 11, 30, 12, 58), KST)
    record = ticket(created_at=opened, first_response_due=due)
    load = Workload("인프라팀", 3, [("접수", 3)], [("P1", 3)], 0, 0, [("이서연", 3)])
    with translation.override("ko"):
        _text, blocks = ticket_message(record, CTX)
        _title, report = workload_blocks(load)
    shown = str(blocks)
    assert "11월 30일 (월) 12:58 접수" in shown and "기한 12월 7일 (월) 16:27" in shown
    assert "opened" not in shown and "due" not in shown
    assert "*담당자별*" in str(report)
