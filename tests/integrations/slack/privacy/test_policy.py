"""The Slack privacy policy: each target classified through the (strict) stand-in, cached,
and each message shown in full or as number + link, per the admin's table."""

import re
from fnmatch import fnmatchcase
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from erp.people.models import Department
from integrations.slack.core import outbox
from integrations.slack.core.blocks import section, shows
from integrations.slack.core.delivery import deliver
from integrations.slack.core.models import DeliveryStatus, SlackMessage, TargetPolicy
from integrations.slack.core.privacy import declarations
from integrations.slack.core.privacy.classes import INTERNAL, PERSONAL, PUBLIC, SENSITIVE, TargetClass
from integrations.slack.core.privacy.policy import policy_changed, target_policy_save
from integrations.slack.core.privacy.targets import classify

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SECRET = "연봉 협상 결과 9,900만원"


@shows(kinds=("privacytest.personal",), number=PUBLIC, title=INTERNAL, hours=PERSONAL)
def personal_message(text):
    return text, [section(text)]


@shows(kinds=("privacytest.sensitive",), number=PUBLIC, pay=SENSITIVE)
def sensitive_message(text):
    return text, [section(text)]


@pytest.fixture
def dept(db):
    return Department.objects.create(name="인사팀", code="hr-privacy")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def send(slack, record, kind, target):
    row = outbox.enqueue(kind=kind, target=target, text=SECRET, blocks=[section(SECRET)], record=record)
    assert deliver(row.pk).status == DeliveryStatus.SENT
    return SlackMessage.objects.get(pk=row.pk)


def delivered_text(slack, channel):
    messages = slack.messages.get(channel) or next(iter(slack.messages.values()))
    return str(messages[-1])


@pytest.mark.parametrize(
    ("setup", "target", "expected_class", "personal_shown", "sensitive_shown"),
    [
        (lambda s: s.set_channel("CPUB00001"), "CPUB00001", TargetClass.PUBLIC_CHANNEL, True, False),
        (lambda s: s.set_channel("GPRIV0001", is_private=True), "GPRIV0001", TargetClass.PRIVATE_CHANNEL, True, False),
        (lambda s: s.add_user("kim@haru.example", "UKIM00001"), "UKIM00001", TargetClass.DIRECT_MESSAGE, True, True),
        (
            lambda s: (
                s.add_user("guest@partner.example", "UGUEST001", is_restricted=True),
                s.set_channel("CGUEST001", members=["UKIM00002", "UGUEST001"]),
            ),
            "CGUEST001",
            TargetClass.WITH_GUESTS,
            False,
            False,
        ),
        (
            lambda s: (
                s.add_user("single@partner.example", "UGUEST002", is_ultra_restricted=True),
                s.set_channel("GGUEST002", is_private=True, members=["UGUEST002"]),
            ),
            "GGUEST002",
            TargetClass.WITH_GUESTS,
            False,
            False,
        ),
        (lambda s: s.set_channel("CEXT00001", is_ext_shared=True), "CEXT00001", TargetClass.SHARED, False, False),
        (lambda s: s.set_channel("CSHR00001", is_shared=True), "CSHR00001", TargetClass.SHARED, False, False),
        (
            lambda s: s.add_user("guestdm@partner.example", "UGUEST003", is_restricted=True),
            "UGUEST003",
            TargetClass.WITH_GUESTS,
            False,
            False,
        ),
    ],
)
def test_each_target_class_gets_what_the_default_policy_allows(
    slack, dept, setup, target, expected_class, personal_shown, sensitive_shown
):
    setup(slack)
    for kind, shown in (("privacytest.personal", personal_shown), ("privacytest.sensitive", sensitive_shown)):
        row = send(slack, dept, kind, target)
        assert row.state["privacy"]["target_class"] == expected_class
        assert row.state["privacy"]["withheld"] is (not shown)
        sent = str(slack.calls_to("chat.postMessage")[-1].args)
        if shown:
            assert SECRET in sent
        else:
            assert SECRET not in sent and SECRET not in row.text + str(row.blocks)
            assert "/" in sent and "portal" in sent.lower()  # the link to the record in the portal


def test_a_withheld_message_keeps_the_record_number_and_its_portal_link(slack, new_ticket_for_privacy):
    ticket = new_ticket_for_privacy
    slack.set_channel("CEXT00002", is_ext_shared=True)
    row = send(slack, ticket, "privacytest.personal", "CEXT00002")
    sent = slack.calls_to("chat.postMessage")[-1].args
    assert ticket.number in sent["text"] and ticket.get_absolute_url() in str(sent["blocks"])
    assert ticket.title not in str(sent)
    assert row.state["privacy"] == {
        "target_class": "shared",
        "lookup": "slack",
        "allowed": "public",
        "message_class": "personal",
        "withheld": True,
    }


@pytest.fixture
def new_ticket_for_privacy(new_ticket):
    return new_ticket(title="급여 이체 오류 문의")


def test_classification_is_cached_and_slack_is_asked_once(slack, dept):
    slack.set_channel("GPRIV0002", is_private=True, members=["UKIM00003"])
    slack.add_user("kim3@haru.example", "UKIM00003")
    for _ in range(3):
        send(slack, dept, "privacytest.personal", "GPRIV0002")
    assert len(slack.calls_to("conversations.info")) == 1
    assert len(slack.calls_to("conversations.members")) == 1
    assert len(slack.calls_to("users.info")) == 1
    assert classify(None, "GPRIV0002").source == "cache"


def test_guests_in_a_long_member_list_are_found_across_pages(slack, dept):
    members = [f"UMEM{n:05d}" for n in range(450)]
    for user_id in members:
        slack.add_user(f"{user_id.lower()}@haru.example", user_id)
    slack.add_user("late-guest@partner.example", "UZGUEST01", is_restricted=True)
    slack.set_channel("CLONG0001", members=[*members, "UZGUEST01"])
    assert classify(_client(), "CLONG0001").target_class == TargetClass.WITH_GUESTS
    assert len(slack.calls_to("conversations.members")) == 3  # 200 + 200 + 51


def _client():
    from integrations.slack.core.client import get_client

    return get_client()


@pytest.mark.parametrize("fault", ["server_error", "error", "unreachable"])
def test_slack_down_means_the_most_restrictive_class(slack, dept, settings, fault):
    if fault == "server_error":
        slack.server_error_next("conversations.info", status=503)
    elif fault == "error":
        slack.fail_next("conversations.info", error="missing_scope")
    target = "CDOWN0001"
    if fault == "unreachable":
        decision = classify(None, target)
    else:
        row = send(slack, dept, "privacytest.personal", target)
        decision = classify(None, target)  # now from the short-lived fallback cache
        assert row.state["privacy"]["lookup"] == "fallback" and row.state["privacy"]["withheld"] is True
        assert SECRET not in str(slack.calls_to("chat.postMessage")[-1].args)
    assert decision.target_class == TargetClass.SHARED
    # The fallback is remembered briefly only (SLACK_PRIVACY_FALLBACK_TTL_SECONDS): once it
    # expires, Slack is asked again.
    cache.clear()
    assert classify(_client(), target).target_class == TargetClass.PUBLIC_CHANNEL


def test_an_undeclared_kind_is_treated_as_sensitive(slack, dept):
    slack.set_channel("CPUB00002")
    row = send(slack, dept, "nobody.declared_this", "CPUB00002")
    assert row.state["privacy"]["message_class"] == SENSITIVE and row.state["privacy"]["withheld"]


def test_the_admin_edits_the_policy_and_deliveries_follow_at_once(slack, dept, admin_user):
    from erp.audit.actor import Actor
    from erp.audit.models import AuditEvent

    slack.set_channel("CPUB00003")
    assert send(slack, dept, "privacytest.personal", "CPUB00003").state["privacy"]["withheld"] is False
    policy = TargetPolicy.objects.get(target_class=TargetClass.PUBLIC_CHANNEL)
    policy.highest_allowed = INTERNAL
    target_policy_save(policy=policy, by=Actor(user=admin_user, source="admin"))
    assert send(slack, dept, "privacytest.personal", "CPUB00003").state["privacy"]["withheld"] is True
    assert AuditEvent.objects.filter(object_id=str(policy.pk)).exists()
    policy_changed()


def test_the_admin_shows_the_policy_and_a_dry_run(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:integrations_targetpolicy_changelist"))
    assert page.status_code == 200 and b"dry-run" in page.content
    url = reverse("admin:integrations_targetpolicy_dry_run")
    answer = client.get(url, {"kind": "inquiries.received", "target_class": "guests"})
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "customer_name" in body and "Only the number and a link to the portal are shown." in body
    answer = client.get(url, {"kind": "inquiries.received", "target_class": "dm"})
    assert "The message is shown in full." in answer.content.decode()
    assert client.get(url, {"kind": "inquiries.received"}).status_code == 200  # a form error, not a 500
    assert client.get(url, {"kind": "inquiries.received", "target": "not an id"}).status_code == 200


def test_the_dry_run_classifies_a_real_target_through_slack(client, admin_user, slack):
    slack.set_channel("CEXT00003", is_ext_shared=True)
    client.force_login(admin_user)
    answer = client.get(
        reverse("admin:integrations_targetpolicy_dry_run"), {"kind": "tickets.created", "target": "CEXT00003"}
    )
    assert "Only the number and a link to the portal are shown." in answer.content.decode()


# --- every message kind declares its fields -------------------------------------------------

_ROOT = Path(__file__).resolve().parents[4]
# kind="x.y", dm("x.y", …), post_once(…, kind="x.y"), KIND = "x.y"
_LITERAL_KINDS = re.compile(r'(?:\bkind=|\bdm\(\s*|^KIND = )f?"([a-z_]+\.[a-z_.{}\' ]+)"', re.M)
# the receivers' helpers that take the kind second: refresh_channels(ticket, "tickets.updated") …
_HELPER_KINDS = re.compile(
    r"\b(?:refresh_channels|post_to_routes|refresh|post_card|_refresh|_follow_up)"
    r'\(\s*\w+,\s*f?"([a-z_]+\.[a-z_.{}\' ]+)"'
)
# daily posts queued without a kind are of the job's own name
_JOB_KINDS = re.compile(r'DailyJob\(\s*"([a-z_]+\.[a-z_.]+)"')
# Kinds that are not messages: the incident channel's invite step carries user ids only.
# Outbox kinds that post nothing: an invitation, and the download of a shortcut message's files.
_NOT_MESSAGES = {"tickets.incident.invite", "tickets.source_files"}


def _kinds_in_source() -> set[str]:
    found = set()
    for path in (_ROOT / "integrations" / "slack").rglob("*.py"):
        if path.name == "scheduled_posts.py":
            continue  # the helper itself; its docstring's example is not a message
        text = path.read_text(encoding="utf-8")
        for kind in _LITERAL_KINDS.findall(text) + _HELPER_KINDS.findall(text):
            found.add(re.sub(r"\{[^}]*\}", "*", kind))  # f"alerts.{change}": some kind of that shape
        calls = [text[m.end() : m.end() + 400] for m in re.finditer(r"(?<!def )post_once\(", text)]
        if any("kind=" not in call.split("\n\n")[0] for call in calls):
            found.update(_JOB_KINDS.findall(text))
        if "KIND}" in text:  # f"{KIND}.summary" in the incidents module
            found.update(f"tickets.incident.{suffix}" for suffix in re.findall(r'f"\{KIND\}\.([a-z_]+)"', text))
    return found - _NOT_MESSAGES


def test_every_message_kind_the_code_sends_declares_privacy_classes():
    kinds = _kinds_in_source()
    assert len(kinds) > 50  # the scan itself works
    declared = declarations.declared_kinds()
    undeclared = sorted(
        kind
        for kind in kinds
        if (not any(fnmatchcase(d, kind) for d in declared) if "*" in kind else declarations.fields_of(kind) is None)
    )
    assert not undeclared, f"declare these kinds on their block builder with @shows(kinds=…, field=CLASS): {undeclared}"
    for kind in (k for k in kinds if "*" not in k):
        fields = declarations.fields_of(kind)
        assert fields and all(value in ("public", "internal", "personal", "sensitive") for value in fields.values())


def test_every_declared_builder_gives_each_field_a_class():
    for kind in declarations.declared_kinds():
        for builder in declarations.builders_of(kind):
            assert builder.field_privacy, f"{builder.__qualname__} ({kind}) declares no field classes"
            assert builder.shown_fields == frozenset(builder.field_privacy)


def test_a_builder_of_kinds_cannot_leave_a_field_unclassified():
    with pytest.raises(ValueError):
        shows("title", kinds=("x.y",))
    with pytest.raises(ValueError):
        shows(kinds=("x.y",), title="secret-ish")


def test_a_reply_into_an_open_dm_channel_is_a_direct_message(slack, dept):
    slack.add_user("lee@haru.example", "ULEE00001")
    dm_channel = _client().conversations_open(users="ULEE00001")["channel"]["id"]
    assert dm_channel.startswith("D")
    assert classify(_client(), dm_channel).target_class == TargetClass.DIRECT_MESSAGE
    slack.add_user("guest4@partner.example", "UGUEST004", is_restricted=True)
    guest_dm = _client().conversations_open(users="UGUEST004")["channel"]["id"]
    assert classify(_client(), guest_dm).target_class == TargetClass.WITH_GUESTS
