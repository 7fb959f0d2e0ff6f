"""Report pages: figures from the rollups, each module's permission rule, CSV, SVG charts, bad input."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from erp.audit.actor import Actor
from erp.history.reports import all_reports
from erp.history.rollups import fold_all
from tickets.services import ticket_comment, ticket_resolve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def folded(people, infra, dev, new_ticket, clock):
    infra_ticket = new_ticket(title="VPN 장애")
    new_ticket(title="빌드 장애", group=dev, by=people["colleague"])
    clock.advance(hours=2)
    ticket_comment(ticket=infra_ticket, body="확인 중", by=people["agent"])
    clock.advance(hours=2)
    ticket_resolve(ticket=infra_ticket, resolution="재시작", by=Actor(user=people["agent"]))
    fold_all()
    return infra_ticket


def report(client, user, key="tickets", **params):
    client.force_login(user)
    return client.get(reverse("reports:report", args=[key]), {"start": "2026-09-01", "end": "2026-09-30", **params})


def figures(response):
    return {str(label): value for label, value in response.context["data"].figures}


def test_admin_sees_every_group_a_manager_their_own(client, people, folded):
    everything = figures(report(client, people["admin"]))
    assert (everything["New"], everything["Resolved"], everything["Backlog"]) == ("2", "1", "1")
    assert everything["MTTR"] == "4h" and everything["MTTA"] == "2h"
    own = figures(report(client, people["manager"]))  # infra's manager
    assert (own["New"], own["Resolved"], own["Backlog"]) == ("1", "1", "0")
    assert report(client, people["requester"]).status_code == 403


def test_attendance_report_is_everyones_own_and_a_managers_team(client, people, folded):
    assert report(client, people["requester"], key="attendance").status_code == 200
    assert report(client, people["manager"], key="attendance").status_code == 200


def test_charts_are_inline_svg_with_korean_labels(client, people, folded):
    with translation.override("ko"):
        client.force_login(people["admin"])
        response = client.get(
            reverse("reports:report", args=["tickets"]),
            {"start": "2026-09-01", "end": "2026-09-30", "bucket": "week"},
            HTTP_ACCEPT_LANGUAGE="ko",
        )
    html = response.content.decode()
    assert html.count("<svg") == 5
    assert "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org/2000/svg", "")
    assert "09-21" in html  # the Monday of the week, in KST


def test_csv_export_of_a_table(client, people, folded):
    response = report(client, people["admin"], export="agents")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    assert rows[0][0] == "Group" or rows[0][0] == "그룹"
    assert len(rows) == 3  # header, infra/agent, dev/unassigned
    assert report(client, people["admin"], export="nope").status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2026-10-01", "end": "2026-09-01"},
        {"start": "2001-01-01", "end": "2026-09-01"},
        {"start": "0001-01-01"},
        {"start": "2026-13-01"},
        {"bucket": "year"},
        {"export": "../../etc"},
    ],
)
def test_bad_input_is_a_400(client, people, folded, params):
    assert report(client, people["admin"], **params).status_code == 400


def test_unknown_report_is_a_404_and_the_index_lists_what_one_may_see(client, people):
    client.force_login(people["admin"])
    assert client.get(reverse("reports:report", args=["nope"])).status_code == 404
    keys = [r.key for r in client.get(reverse("reports:index")).context["reports"]]
    assert keys == [r.key for r in all_reports()]  # an admin sees every report
    assert keys[:5] == ["tickets", "attendance", "inquiries", "coupons", "alerts"]
    client.force_login(people["requester"])
    assert [r.key for r in client.get(reverse("reports:index")).context["reports"]] == ["attendance"]
