"""Marketing's export of shared inquiries (only what was shared, personal data only with consent)
and the report page (counts by week, source, category, status; conversion rate)."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine

from inquiries.models import Inquiry, Status
from inquiries.services import inquiry_add_note, inquiry_convert_to_ticket, inquiry_share
from tests.clock import WORKING_WEDNESDAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def rows_of(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def shared(receive, team):
    consented = inquiry_share(
        inquiry=receive(
            email="c@x.example",
            consent=True,
            subject='=HYPERLINK("https://evil.example") 010-1111-2222 로 연락',
            landing_page="https://www.haru.example/demo?email=c@x.example&utm_source=naver",
            utm_source="naver",
        ),
        by=team["sales"],
    )
    private = inquiry_share(
        inquiry=receive(email="p@x.example", phone="010-9999-0000", consent=False, customer_name="박비공개"),
        by=team["sales"],
    )
    not_shared = receive(email="n@x.example")
    inquiry_add_note(inquiry=private, body="내부 메모", by=team["sales"])
    return consented, private, not_shared


def test_the_shared_export_holds_only_what_was_shared(client, team, shared):
    consented, private, not_shared = shared
    client.force_login(team["marketer"])
    response = client.get("/inquiries/shared.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = {row["number"]: row for row in rows_of(response)}
    assert set(rows) == {consented.number, private.number}
    with_consent, without = rows[consented.number], rows[private.number]
    assert with_consent["email"] == "c@x.example" and with_consent["customer_name"] == "김하늘"
    assert without["email"] == without["phone"] == without["customer_name"] == ""
    assert with_consent["subject"].startswith("'=")  # no formula
    assert "010-1111-2222" not in with_consent["subject"]  # masked even where consented
    assert with_consent["landing_page"] == "https://www.haru.example/demo"  # no query string
    for row in rows.values():
        assert not {"message", "ip_address", "user_agent", "assignee", "notes"} & set(row)
    assert "내부 메모" not in str(rows) and "203.0.113.7" not in str(rows)


def test_the_shared_export_is_refused_to_others_and_filters_apply(client, team, shared):
    client.force_login(team["developer"])
    assert client.get("/inquiries/shared.csv").status_code == 403
    client.force_login(team["sales"])
    assert len(rows_of(client.get("/inquiries/shared.csv"))) == 2  # sales too get only the shared ones
    assert rows_of(client.get("/inquiries/shared.csv?source=email")) == []
    assert client.get("/inquiries/shared.csv?received_after=0001-01-01").status_code == 302


def test_report_counts_by_week_and_the_conversion_rate(client, team, receive):
    with time_machine.travel(WORKING_WEDNESDAY - timedelta(weeks=1), tick=False):
        last_week = [receive(email=f"w{i}@x.example", category="quote") for i in range(3)]
    this_week = [receive(email=f"t{i}@x.example", source="widget") for i in range(2)]
    receive(email="spam@x.example", website="bot")  # the quarantine is not counted
    inquiry_convert_to_ticket(inquiry=last_week[0], by=team["sales"])
    inquiry_convert_to_ticket(inquiry=this_week[0], by=team["sales"])
    client.force_login(team["marketer"])
    response = client.get("/inquiries/report/?weeks=4")
    assert response.status_code == 200
    report = response.context["report"]
    assert [week.total for week in report.weeks][-2:] == [3, 2] and len(report.weeks) == 4
    assert [week.converted for week in report.weeks][-2:] == [1, 1]
    assert report.total == 5 and report.conversion_rate == pytest.approx(0.4)
    assert dict(response.context["by_category"])["Quote request"] == 3
    assert dict(response.context["by_source"])["Embedded widget"] == 2
    page = response.content.decode()
    assert "Conversion rate" in page and "40%" in page and "박" not in page and "@x.example" not in page


def test_report_is_for_sales_and_marketing_only(client, team, receive):
    receive()
    client.force_login(team["sales"])
    assert client.get("/inquiries/report/?weeks=bogus").status_code == 200  # falls back to 12 weeks
    client.force_login(team["developer"])
    assert client.get("/inquiries/report/").status_code == 403
    assert Inquiry.objects.exclude(status=Status.SPAM).count() == 1
