"""Role homes (issue 16, part 5): today's work first, per role; the Slack notice for admins."""

import pytest

pytestmark = pytest.mark.django_db

SLACK_NOTICE = "Slack이 설정되지 않았습니다"


def home(client, user):
    client.force_login(user)
    return client.get("/").content.decode()


def test_staff_home_starts_with_check_in_and_open_requests(client, people, tickets, settings):
    settings.SLACK_BOT_TOKEN = ""
    html = home(client, people["staff"])
    assert html.index("att-panel") < html.index("내 정보")
    assert "내 진행 중 요청" in html and tickets[0].number in html
    assert SLACK_NOTICE not in html and "발송 현황" not in html
    assert "tickets-home" in html and 'class="figures"' not in html.split("tickets-home")[1].split("</section>")[0]


def test_agent_home_shows_queue_counts(client, people, tickets):
    html = home(client, people["agent"])
    queue = html.split("tickets-home")[1].split("</section>")[0]
    assert 'href="/tickets/?view=unassigned">3</a>' in queue
    assert "내 미해결" in queue and "SLA 위반·임박" in queue


def test_manager_home_shows_who_is_in_and_pending_corrections(client, people, tickets):
    html = home(client, people["manager"])
    team = html.split("오늘 우리 팀")[1].split("</section>")[0]
    assert "승인할 정정 요청" in team and "/attendance/team/" in team


def test_admin_home_shows_deliveries_health_and_the_slack_notice(client, people, settings):
    settings.SLACK_BOT_TOKEN = ""
    html = home(client, people["admin"])
    panel = html.split("발송 현황과 시스템 상태")[1].split("</section>")[0]
    assert SLACK_NOTICE in panel and "발송 실패(7일)" in panel and "데이터베이스" in panel
