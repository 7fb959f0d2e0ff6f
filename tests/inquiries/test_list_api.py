"""GET /api/inquiries/: the visibility matrix over REST (sales all, marketing shared, others 403),
the list page's filters, keyset cursor pages, and the OpenAPI schema."""

import pytest

from inquiries.models import Status
from inquiries.services import inquiry_add_note, inquiry_share

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def three(receive, team):
    plain = receive()
    consented = inquiry_share(inquiry=receive(email="c@x.example", phone="", consent=True), by=team["sales"])
    private = inquiry_share(
        inquiry=receive(email="p@x.example", phone="010-9999-0000", consent=False, category="quote"), by=team["sales"]
    )
    spam = receive(website="filled")
    inquiry_add_note(inquiry=plain, body="예산 확보 완료 메모", by=team["sales"])
    return {"plain": plain, "consented": consented, "private": private, "spam": spam}


def read(client, user, query=""):
    client.force_login(user)
    return client.get(f"/api/inquiries/{query}", HTTP_ACCEPT="application/json")


@pytest.mark.parametrize(
    ("who", "sees"),
    [("sales", {"plain", "consented", "private", "spam"}), ("admin", {"plain", "consented", "private", "spam"}),
     ("marketer", {"consented", "private"})],
)  # fmt: skip
def test_rows_follow_the_visibility_matrix(client, team, three, who, sees):
    response = read(client, team[who])
    assert response.status_code == 200
    numbers = {row["number"] for row in response.json()["results"]}
    assert numbers == {three[name].number for name in sees}


def test_others_are_refused(client, team, three):
    response = read(client, team["developer"])
    assert response.status_code == 403 and "sales and marketing" in response.json()["message"]
    client.logout()
    assert client.get("/api/inquiries/", HTTP_ACCEPT="application/json").status_code in (401, 403)


def test_marketing_gets_no_abuse_data_and_contact_only_with_consent(client, team, three):
    rows = {row["number"]: row for row in read(client, team["marketer"]).json()["results"]}
    consented, private = rows[three["consented"].number], rows[three["private"].number]
    assert consented["email"] == "c@x.example"
    assert private["email"] is None and private["phone"] is None
    for row in rows.values():
        assert "ip_address" not in row and "user_agent" not in row and "assignee" not in row
    sales_row = next(r for r in read(client, team["sales"]).json()["results"] if r["number"] == three["plain"].number)
    assert sales_row["ip_address"] == "203.0.113.7" and sales_row["email"] == "sky.kim@hanbit.example"


def test_filters_search_and_notes_only_for_sales(client, team, three):
    spam = read(client, team["sales"], "?status=spam").json()["results"]
    assert [row["number"] for row in spam] == [three["spam"].number]
    assert [r["number"] for r in read(client, team["sales"], "?q=예산").json()["results"]] == [three["plain"].number]
    assert read(client, team["marketer"], "?q=예산").json()["results"] == []
    quotes = read(client, team["marketer"], "?category=quote").json()["results"]
    assert [row["number"] for row in quotes] == [three["private"].number]
    bad = read(client, team["sales"], "?received_after=0001-01-01")
    assert bad.status_code == 400


def test_cursor_pages_walk_everything_once(client, team, receive):
    made = {receive(email=f"n{i}@x.example").number for i in range(5)}
    seen, url = [], "/api/inquiries/?page_size=2"
    client.force_login(team["sales"])
    while url:
        page = client.get(url, HTTP_ACCEPT="application/json").json()
        seen += [row["number"] for row in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 5 and set(seen) == made
    assert client.get("/api/inquiries/?cursor=garbage", HTTP_ACCEPT="application/json").status_code == 400


def test_the_list_is_in_the_openapi_schema(client, team):
    client.force_login(team["sales"])
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/inquiries/"]["get"]
    assert operation["operationId"] == "inquiries_list"
    parameters = {p["name"] for p in operation["parameters"]}
    assert {"cursor", "status", "q", "received_after", "tag", "source"} <= parameters
    assert Status.SPAM in str(schema)
