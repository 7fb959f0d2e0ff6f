"""Satisfaction ratings: the service rules, the web form, the API field and endpoint, the migration."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from erp.audit.actor import Actor
from erp.audit.models import AuditEvent
from tickets.models import SatisfactionRating
from tickets.services import NotRatable, ticket_close, ticket_rate, ticket_resolve

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def resolved(new_ticket, people):
    ticket = new_ticket()
    return ticket_resolve(ticket=ticket, resolution="VPN 프로필을 다시 배포했습니다.", by=people["agent"])


def test_requester_rates_then_changes_the_rating(resolved, people, signal_log):
    rating = ticket_rate(ticket=resolved, score=4, comment="빨랐어요", by=people["requester"])
    assert (rating.score, rating.comment, rating.rater) == (4, "빨랐어요", people["requester"])
    again = ticket_rate(ticket=resolved, score="5", by=Actor(user=people["requester"], source="slack"))
    assert again.pk == rating.pk and SatisfactionRating.objects.count() == 1
    assert (again.score, again.comment) == (5, "빨랐어요")  # comment=None keeps the comment
    events = AuditEvent.objects.filter(action="rated").order_by("id")
    assert [e.changes for e in events] == [
        {"satisfaction": [None, 4], "satisfaction_comment": ["", "빨랐어요"]},
        {"satisfaction": [4, 5]},
    ]
    assert events[1].source == "slack"
    rated = [kwargs for name, kwargs in signal_log if name == "ticket_rated"]
    assert [(k["rating"].score, k["old_score"], k["created"]) for k in rated] == [(4, None, True), (5, 4, False)]


def test_same_rating_again_records_nothing(resolved, people, signal_log):
    ticket_rate(ticket=resolved, score=3, by=people["requester"])
    ticket_rate(ticket=resolved, score=3, by=people["requester"])
    assert AuditEvent.objects.filter(action="rated").count() == 1
    assert [name for name, _kw in signal_log].count("ticket_rated") == 1


def test_closed_tickets_can_be_rated_open_ones_not(new_ticket, people):
    ticket = new_ticket()
    with pytest.raises(NotRatable, match="once it is resolved"):
        ticket_rate(ticket=ticket, score=4, by=people["requester"])
    ticket_close(ticket=ticket, by=people["agent"])
    assert ticket_rate(ticket=ticket, score=2, by=people["requester"]).score == 2


@pytest.mark.parametrize("who", ["agent", "admin", "colleague"])
def test_only_the_requester_rates(resolved, people, who):
    with pytest.raises(PermissionDenied, match="Only the person who requested"):
        ticket_rate(ticket=resolved, score=5, by=people[who])
    with pytest.raises(PermissionDenied):
        ticket_rate(ticket=resolved, score=5, by=Actor.system())
    assert not SatisfactionRating.objects.exists()


@pytest.mark.parametrize("score", [0, 6, -1, "x", "", None, 4.5, True])
def test_score_is_one_to_five(resolved, people, score):
    with pytest.raises(ValidationError) as error:
        ticket_rate(ticket=resolved, score=score, by=people["requester"])
    assert "1 to 5" in str(error.value.message_dict["score"])


def test_comment_length_is_limited(resolved, people):
    with pytest.raises(ValidationError) as error:
        ticket_rate(ticket=resolved, score=3, comment="가" * 2001, by=people["requester"])
    assert "comment" in error.value.message_dict


def test_database_refuses_a_second_row_and_bad_scores(resolved, people):
    from django.db import IntegrityError, transaction

    SatisfactionRating.objects.create(ticket=resolved, rater=people["requester"], score=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        SatisfactionRating.objects.create(ticket=resolved, rater=people["requester"], score=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        SatisfactionRating.objects.create(ticket=resolved, rater=people["agent"], score=9)


def test_detail_page_shows_the_rating_and_the_form_to_the_requester(client, resolved, people):
    client.force_login(people["requester"])
    page = client.get(resolved.get_absolute_url()).content.decode()
    assert reverse("tickets:rate", args=[resolved.number]) in page and "rating-form" in page
    response = client.post(reverse("tickets:rate", args=[resolved.number]), {"score": "4", "comment": "친절"})
    assert response.status_code == 302
    page = client.get(resolved.get_absolute_url()).content.decode()
    assert "★★★★☆" in page and "4/5" in page and "친절" in page
    assert 'value="4" required id="rating-score_1" checked' in page  # the form offers to change it
    client.force_login(people["agent"])
    page = client.get(resolved.get_absolute_url()).content.decode()
    assert "★★★★☆" in page and reverse("tickets:rate", args=[resolved.number]) not in page


def test_web_rating_errors_are_messages_not_500s(client, new_ticket, resolved, people):
    client.force_login(people["requester"])
    response = client.post(reverse("tickets:rate", args=[resolved.number]), {"score": "9"}, follow=True)
    assert response.status_code == 200 and list(response.context["messages"])
    open_ticket = new_ticket()
    response = client.post(reverse("tickets:rate", args=[open_ticket.number]), {"score": "3"}, follow=True)
    assert any(open_ticket.number in str(m) for m in response.context["messages"])
    client.force_login(people["agent"])
    assert client.post(reverse("tickets:rate", args=[resolved.number]), {"score": "3"}).status_code == 403
    assert not SatisfactionRating.objects.exists()


def test_api_rates_and_shows_the_satisfaction(resolved, new_ticket, people):
    api = APIClient()
    api.force_authenticate(people["requester"])
    url = f"/api/tickets/{resolved.number}/"
    assert api.get(url).json()["satisfaction"] is None
    response = api.post(url + "rate/", {"score": 5, "comment": "최고"}, format="json")
    assert response.status_code == 200, response.json()
    satisfaction = response.json()["satisfaction"]
    assert (satisfaction["score"], satisfaction["comment"]) == (5, "최고")
    assert satisfaction["rated_by"]["username"] == "requester" and satisfaction["rated_at"]
    listed = {row["number"]: row for row in api.get("/api/tickets/").json()["results"]}
    assert listed[resolved.number]["satisfaction"]["score"] == 5
    assert AuditEvent.objects.get(action="rated").source == "api"

    bad = api.post(url + "rate/", {"score": 6}, format="json")
    assert bad.status_code == 400 and "score" in bad.json()["errors"]
    unresolved = new_ticket()
    refused = api.post(f"/api/tickets/{unresolved.number}/rate/", {"score": 3}, format="json")
    assert refused.status_code == 400 and unresolved.number in refused.json()["message"]
    api.force_authenticate(people["agent"])
    forbidden = api.post(url + "rate/", {"score": 1}, format="json")
    assert forbidden.status_code == 403 and forbidden.json()["message"]


def test_api_list_fetches_ratings_in_one_query_per_page(new_ticket, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        ticket = ticket_resolve(ticket=new_ticket(), resolution="완료", by=people["agent"])
        ticket_rate(ticket=ticket, score=4, by=people["requester"])
    api = APIClient()
    api.force_authenticate(people["requester"])
    with CaptureQueriesContext(connection) as queries:
        rows = api.get("/api/tickets/").json()["results"]
    assert [row["satisfaction"]["score"] for row in rows] == [4, 4, 4]
    assert sum("satisfactionrating" in q["sql"].lower() for q in queries.captured_queries) == 1
