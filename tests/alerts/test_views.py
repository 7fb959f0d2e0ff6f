"""Pages: groups (firing first, filters, Korean search), a group's timeline and actions,
source pages with their health, admin for sources and secrets, the search source."""

import pytest
from django.contrib.auth import get_user_model

from alerts.models import AlertGroup, Delivery, FeedPreset, Item, ItemKind, Severity, Source, SourceKind
from alerts.services import Incoming, alerts_receive
from erp.core.search import search_everywhere
from tests.admin_pages import form_data

pytestmark = pytest.mark.usefixtures("english")


def receive(source, n, title, key, status="firing", severity=Severity.WARNING):
    alerts_receive(
        source=source,
        incoming=[Incoming(external_id=f"{key}:{n}", key=key, title=title, status=status, severity=severity)],
    )


@pytest.fixture
def groups(prometheus):
    receive(prometheus, 1, "결제 서버 응답 지연", "pay", status="resolved")
    receive(prometheus, 2, "web1 디스크 사용률 95%", "disk", severity=Severity.CRITICAL)
    receive(prometheus, 3, "백업 실패", "backup")
    return {g.key: g for g in AlertGroup.objects.all()}


def test_groups_list_shows_firing_first(client, team, groups):
    client.force_login(team["member"])
    page = client.get("/alerts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("백업 실패") < html.index("결제 서버 응답 지연")
    assert html.index("web1 디스크") < html.index("결제 서버 응답 지연")


def test_filters_and_korean_search(client, team, groups):
    client.force_login(team["member"])
    html = client.get("/alerts/", {"q": "결제"}).content.decode()
    assert "결제 서버 응답 지연" in html and "백업 실패" not in html
    html = client.get("/alerts/", {"severity": "critical"}).content.decode()
    assert "web1 디스크" in html and "백업 실패" not in html
    assert client.get("/alerts/", {"source": "99999999999999999999999"}).status_code == 200  # a form error, not a 500


def test_outsiders_get_no_page(client, team, groups):
    client.force_login(team["outsider"])
    assert client.get("/alerts/").status_code == 403
    assert client.get(f"/alerts/groups/{groups['disk'].pk}/").status_code == 404


def test_group_timeline_and_actions(client, team, groups):
    group = groups["disk"]
    client.force_login(team["member"])
    assert client.post(f"/alerts/groups/{group.pk}/ack/").status_code == 302
    page = client.get(f"/alerts/groups/{group.pk}/").content.decode()
    assert "acknowledged" in page and "web1 디스크 사용률 95%" in page
    assert client.post(f"/alerts/groups/{group.pk}/explode/").status_code == 404


def test_source_page_shows_health_and_feed_items(client, team):
    source = Source.objects.create(
        name="nginx",
        kind=SourceKind.FEED,
        url="http://127.0.0.1:9/nginx.rss",
        owner_team=team["infra"],
        preset=FeedPreset.NGINX,
        delivery=Delivery.DIGEST,
        last_error="The feed server did not answer in time.",
        failures=2,
    )
    Item.objects.create(
        source=source,
        kind=ItemKind.RELEASE,
        external_id="g1",
        title="nginx-1.31.4 mainline version has been released with fixes for …",
        received_at=source.created_at,
        facts={"security": True, "matched": True},
    )
    client.force_login(team["agent"])
    page = client.get(f"/alerts/sources/{source.pk}/").content.decode()
    assert "did not answer in time" in page and "nginx-1.31.4" in page and "patch-ticket" in page
    item = source.items.get()
    response = client.post(f"/alerts/items/{item.pk}/patch-ticket/")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.facts["patch_ticket"].startswith("SR-")


def test_search_everywhere_finds_groups_the_user_may_see(team, groups):
    found = search_everywhere(team["member"], "디스크")
    titles = [hit.obj.title for results in found for hit in results.hits]
    assert "web1 디스크 사용률 95%" in titles
    assert not [hit for results in search_everywhere(team["outsider"], "디스크") for hit in results.hits]


def test_admin_edits_a_source_and_keeps_the_secret(client, team, prometheus):
    admin_user = get_user_model().objects.create_superuser("boss", "boss@haru.example", "pw")
    client.force_login(admin_user)
    url = f"/admin/alerts/source/{prometheus.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "s3cret-value" not in page.content.decode()
    assert prometheus.token in page.content.decode()  # the webhook URL to give the sender
    data = form_data(page)
    data["slack_channel"] = "#infra-alerts"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    prometheus.refresh_from_db()
    assert (prometheus.slack_channel, prometheus.secret) == ("#infra-alerts", "s3cret-value")


def test_admin_refuses_people_who_do_not_manage_sources(client, team, prometheus):
    team["agent"].is_staff = True
    team["agent"].save()
    client.force_login(team["agent"])
    assert client.get(f"/admin/alerts/source/{prometheus.pk}/change/").status_code in (302, 403)
