"""A "client site" meeting prefills that day's attendance check-in place (web and Slack)."""

import pytest
from django.urls import reverse

from attendance.place_hints import check_in_initial, client_place_hint
from integrations.slack.attendance.blocks import client_place_modal

from .conftest import THURSDAY, kst

pytestmark = pytest.mark.django_db


def test_the_client_site_of_todays_meeting_is_offered(book, people, client, time_machine):
    book(client_place="삼성전자 수원", attendees=[people["attendee"]], title="고객사 미팅")
    day = kst(*THURSDAY, 0).date()
    assert client_place_hint(people["attendee"], day) == "삼성전자 수원"
    assert client_place_hint(people["outsider"], day) == ""
    assert check_in_initial(people["organizer"], day) == {"location": "client", "place": "삼성전자 수원"}
    modal = client_place_modal({}, place=client_place_hint(people["organizer"], day))
    assert modal["blocks"][0]["element"]["initial_value"] == "삼성전자 수원"
    time_machine.move_to(kst(*THURSDAY, 8))
    client.force_login(people["attendee"].user)
    html = client.get(reverse("attendance:month")).content.decode()
    assert 'value="삼성전자 수원"' in html and 'value="client" selected' in html
