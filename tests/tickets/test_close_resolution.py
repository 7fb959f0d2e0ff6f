"""Closing with a resolution text: service, web form and API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from erp.audit.models import AuditEvent
from tickets.models import Status
from tickets.services import ticket_close, ticket_resolve

pytestmark = pytest.mark.django_db


def last_status_event(ticket):
    return AuditEvent.objects.filter(action="status_changed", object_id=str(ticket.pk)).latest("id")


def test_close_with_a_resolution_stores_and_audits_it(new_ticket, people, signal_log):
    ticket = ticket_close(ticket=new_ticket(), resolution="  재부팅으로 해결  ", reason="중복 아님", by=people["agent"])
    assert (ticket.status, ticket.resolution) == (Status.CLOSED, "재부팅으로 해결")
    event = last_status_event(ticket)
    assert event.changes == {"status": ["open", "closed"], "resolution": ["", "재부팅으로 해결"]}
    assert event.context["reason"] == "중복 아님"
    closed = next(kwargs for name, kwargs in signal_log if name == "ticket_closed")
    assert closed["resolution"] == "재부팅으로 해결" and closed["reason"] == "중복 아님"


def test_an_existing_resolution_is_kept_and_the_text_becomes_the_reason(new_ticket, people):
    ticket = ticket_resolve(ticket=new_ticket(), resolution="드라이버 재설치", by=people["agent"])
    ticket = ticket_close(ticket=ticket, resolution="요청자 확인", by=people["requester"])
    assert ticket.resolution == "드라이버 재설치"
    event = last_status_event(ticket)
    assert "resolution" not in event.changes and event.context["reason"] == "요청자 확인"


def test_close_without_resolution_changes_nothing_else(new_ticket, people):
    ticket = ticket_close(ticket=new_ticket(), by=people["agent"])
    assert ticket.resolution == "" and "resolution" not in last_status_event(ticket).changes


def test_overlong_resolution_is_refused_before_anything_changes(new_ticket, people):
    ticket = new_ticket()
    with pytest.raises(ValidationError) as error:
        ticket_close(ticket=ticket, resolution="가" * 5001, by=people["agent"])
    assert "resolution" in error.value.message_dict
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_web_close_form_takes_a_resolution(client, new_ticket, people):
    ticket = new_ticket()
    client.force_login(people["agent"])
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert 'name="resolution"' in page
    client.post(reverse("tickets:close", args=[ticket.number]), {"resolution": "계정 잠금 해제", "reason": ""})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.resolution) == (Status.CLOSED, "계정 잠금 해제")


def test_api_close_takes_a_resolution(new_ticket, people):
    ticket = new_ticket()
    api = APIClient()
    api.force_authenticate(people["agent"])
    response = api.post(f"/api/tickets/{ticket.number}/close/", {"resolution": "원격 조치"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closed" and response.json()["resolution"] == "원격 조치"
    too_long = api.post(f"/api/tickets/{new_ticket().number}/close/", {"resolution": "가" * 5001}, format="json")
    assert too_long.status_code == 400 and "resolution" in too_long.json()["errors"]
