import pytest
from django.urls import reverse

from erp.people.models import Role
from tests.factories import make_department, make_employee

pytestmark = pytest.mark.django_db


@pytest.fixture
def employee():
    return make_employee("seoyeon", role=Role.AGENT, department=make_department(), display_name="이서연")


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_korean_by_default(client):
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="ko">' in page
    assert "로그인" in page


def test_login_then_home_shows_my_things(client, employee):
    response = client.post(reverse("login"), {"username": "seoyeon", "password": "pw-for-tests-1"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "이서연 님, 안녕하세요" in page
    assert "인프라팀" in page
    assert "회사 달력" in page


def test_wrong_password_is_a_form_error(client, employee):
    response = client.post(reverse("login"), {"username": "seoyeon", "password": "nope"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "form-errors" in response.content.decode()


def test_language_switch_to_english(client, employee):
    client.force_login(employee.user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Hello, 이서연" in page
    assert "Company calendar" in page
    employee.refresh_from_db()
    assert employee.language == "en"


def test_navigation_links_only_to_pages_that_exist(client, employee):
    client.force_login(employee.user)
    page = client.get("/").content.decode()
    import re

    for href in set(re.findall(r'<a href="(/[^"#]*)"', page)):
        assert client.get(href).status_code in (200, 302), href


def test_logout(client, employee):
    client.force_login(employee.user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_admin_is_korean_and_branded(admin_client, employee):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Haru ERP" in page or "하루 ERP" in page
    assert "사이트 관리" in page or "관리" in page
    people = admin_client.get(reverse("admin:people_employee_changelist")).content.decode()
    assert "Slack 연결" in people


def test_api_docs_are_served_offline(client, employee):
    client.force_login(employee.user)
    assert client.get(reverse("api-schema")).status_code == 200
    docs = client.get(reverse("api-docs")).content.decode()
    assert "cdn" not in docs.lower()


def test_only_the_most_specific_nav_entry_is_current(client):
    from erp.portal.context_processors import nav_links

    manager = make_employee("minjun", role=Role.MANAGER, department=make_department())
    urls = [link.url for link in nav_links(manager.user, "/")]
    assert "/attendance/" in urls and "/attendance/team/" in urls
    current = [link.url for link in nav_links(manager.user, "/attendance/team/") if link.current]
    assert current == ["/attendance/team/"]
    client.force_login(manager.user)
    page = client.get("/attendance/team/").content.decode()
    assert page.count('aria-current="page"') == 1
