"""Portal outbox pages and admin: who may see the outbox, and whose direct messages."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from erp.people.models import Department
from integrations.slack.core import outbox

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HIDDEN = "only its recipient can read it"


@pytest.fixture
def dept(db):
    return Department.objects.create(name="운영팀", code="ops-test")


def grant(user, *codenames):
    permissions = Permission.objects.filter(content_type__app_label="integrations", codename__in=codenames)
    user.user_permissions.add(*permissions)


def enqueue(record, **kwargs):
    kwargs.setdefault("kind", "test.event")
    kwargs.setdefault("target", "CTEST0001")
    kwargs.setdefault("text", "장애 발생")
    return outbox.enqueue(record=record, **kwargs)


def test_outbox_pages_need_the_view_permission(client, people, dept):
    message = enqueue(dept, blocks=[{"type": "header", "text": {"type": "plain_text", "text": "<새 티켓>"}}])
    list_url = reverse("integrations:slack-outbox")
    detail_url = reverse("integrations:slack-outbox-detail", args=[message.pk])
    assert client.get(list_url).status_code == 302  # anonymous: to the login page
    client.force_login(people["agent"])  # staff, but without the permission
    assert client.get(list_url).status_code == 403
    assert client.get(detail_url).status_code == 403
    assert list_url not in client.get(reverse("portal:home")).content.decode()
    grant(people["agent"], "view_slackmessage")
    page = client.get(list_url)
    assert page.status_code == 200
    assert "&lt;새 티켓&gt;" in page.content.decode()
    assert client.get(detail_url).status_code == 200
    assert list_url in client.get(reverse("portal:home")).content.decode()


def test_direct_messages_are_shown_only_to_their_recipient_or_with_the_dm_permission(
    client, people, dept, admin_client
):
    dm = enqueue(dept, target="UAGENT002", text="이번 주 근무 51시간 — 52시간 한도 임박")
    enqueue(dept, text="채널 공지")
    list_url = reverse("integrations:slack-outbox")
    detail_url = reverse("integrations:slack-outbox-detail", args=[dm.pk])

    grant(people["agent"], "view_slackmessage")
    client.force_login(people["agent"])
    page = client.get(list_url).content.decode()
    assert "채널 공지" in page and "52시간" not in page and HIDDEN in page
    detail = client.get(detail_url).content.decode()
    assert "52시간" not in detail and HIDDEN in detail

    grant(people["agent2"], "view_slackmessage")  # the recipient reads their own DM
    client.force_login(people["agent2"])
    assert "52시간" in client.get(detail_url).content.decode()

    grant(people["manager"], "view_slackmessage", "view_direct_messages")
    client.force_login(people["manager"])
    assert "52시간" in client.get(list_url).content.decode()
    admin_page = admin_client.get(reverse("admin:integrations_slackmessage_change", args=[dm.pk]))
    assert "52시간" in admin_page.content.decode()  # superusers hold every permission


def test_admin_hides_direct_message_content_without_the_dm_permission(client, people, dept):
    dm = enqueue(dept, target="UAGENT002", text="이번 주 근무 51시간")
    agent = people["agent"]
    agent.is_staff = True
    agent.save(update_fields=["is_staff"])
    grant(agent, "view_slackmessage")
    client.force_login(agent)
    page = client.get(reverse("admin:integrations_slackmessage_change", args=[dm.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "51시간" not in body and HIDDEN in body


def test_outbox_list_pages_by_id_without_counting(client, people, dept):
    from integrations.slack.core import views

    for index in range(views.PAGE_SIZE + 3):
        enqueue(dept, text=f"message {index}")
    grant(people["agent"], "view_slackmessage")
    client.force_login(people["agent"])
    first = client.get(reverse("integrations:slack-outbox"))
    assert len(first.context["rows"]) == views.PAGE_SIZE and first.context["page"].next_cursor
    older = client.get(reverse("integrations:slack-outbox"), {"cursor": first.context["page"].next_cursor})
    assert len(older.context["rows"]) == 3 and older.context["page"].next_cursor is None
    # An old ?before=<id> bookmark opens the same older page.
    last_of_first = first.context["rows"][-1][0].pk
    bookmark = client.get(reverse("integrations:slack-outbox"), {"before": last_of_first})
    assert [row[0].pk for row in bookmark.context["rows"]] == [row[0].pk for row in older.context["rows"]]


def test_notification_text_shows_mentions_once_escaped(client, people, dept):
    message = enqueue(dept, text="<@UAGENT002> 님에게 배정 · R&amp;D <script>", blocks=[])
    grant(people["agent"], "view_slackmessage")
    client.force_login(people["agent"])
    page = client.get(reverse("integrations:slack-outbox-detail", args=[message.pk])).content.decode()
    assert "&amp;lt;" not in page and "&amp;amp;" not in page
    assert '<span class="slack-mention">@UAGENT002</span> 님에게 배정 · R&amp;D &lt;script&gt;' in page
