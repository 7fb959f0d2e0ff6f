"""A group's timeline in Korean (the default language): action codes and item states are
shown through the catalog, never as the stored English codes."""

import pytest

from alerts.models import AlertGroup
from alerts.services import Incoming, alerts_receive, group_acknowledge
from alerts.timeline import action_label, item_badge


@pytest.fixture
def group(prometheus, team):
    for n, status in enumerate(["firing", "firing", "resolved", "firing"]):
        alerts_receive(
            source=prometheus,
            incoming=[Incoming(external_id=f"disk:{n}", key="disk", title="web1 디스크 95%", status=status)],
        )
    group = AlertGroup.objects.get()
    group_acknowledge(group=group, by=team["member"])
    return group


def test_the_timeline_speaks_korean(client, team, group):
    client.force_login(team["member"])
    page = client.get(f"/alerts/groups/{group.pk}/").content.decode()
    timeline = page[page.index('<table class="list">') :]
    for code in ("opened", "refired", "acknowledged", ">firing<", ">resolved<"):
        assert code not in timeline
    for label in ("발생", "재발생", "해결", "확인"):
        assert label in timeline


def test_unknown_codes_are_shown_as_they_are(group):
    assert action_label("some_future_action") == "some_future_action"
    badges = {item.status: item_badge(item) for item in group.items.all()}
    assert badges == {"firing": "발생 중", "resolved": "해결"}
