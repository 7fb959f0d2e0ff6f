"""The portal shell (issue 16, part 1): CSP without inline code, skip link, the API link's
place, the saved language at login, the vendored font and the first-load weight."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse

from erp.people.models import Role
from tests.factories import make_department, make_employee

ROOT = Path(settings.BASE_DIR)
STATIC = ROOT / "static"
# Any inline script, inline handler or style attribute is refused by the browser under the CSP.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.I)
STYLE_BLOCK = re.compile(r"<style\b", re.I)


def inline_code(html: str) -> list[str]:
    found = []
    for pattern in (INLINE_SCRIPT, INLINE_HANDLER, STYLE_ATTR, STYLE_BLOCK):
        found += [match.group(0)[:80] for match in pattern.finditer(html)]
    return found


@pytest.fixture
def staff(db):
    return make_employee("yejun", role=Role.STAFF, department=make_department(), display_name="윤예준")


@pytest.fixture
def agent(db):
    return make_employee("seoyeon", role=Role.AGENT, department=make_department("인프라팀"), display_name="이서연")


def test_every_response_carries_a_strict_csp(client, staff):
    client.force_login(staff.user)
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["object-src"] == "'none'"


@pytest.mark.parametrize(
    "url", ["/", "/tickets/", "/tickets/new/", "/attendance/", "/search/", "/meetings/", "/accounts/login/"]
)
def test_main_pages_have_no_inline_code(client, agent, url):
    client.force_login(agent.user)
    response = client.get(url)
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


def test_api_docs_load_their_init_script_from_a_url(client, agent):
    client.force_login(agent.user)
    page = client.get(reverse("api-docs")).content.decode()
    assert inline_code(page) == []
    script = client.get(reverse("api-docs") + "?script")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


def test_skip_link_leads_to_the_main_content(client, staff):
    client.force_login(staff.user)
    page = client.get("/").content.decode()
    assert '<a class="skip-link" href="#content">본문 바로가기</a>' in page
    assert '<main class="container" id="content"' in page


def test_api_link_is_for_technical_staff_only_and_not_in_the_main_nav(client, staff, agent):
    client.force_login(staff.user)
    page = client.get("/").content.decode()
    assert reverse("api-docs") not in page
    client.force_login(agent.user)
    page = client.get("/").content.decode()
    nav = page[page.index('<nav class="mainnav"') : page.index("</nav>")]
    assert reverse("api-docs") not in nav
    assert f'href="{reverse("api-docs")}"' in page[page.index('<footer class="footer">') :]


def test_the_saved_language_applies_at_login(client, staff):
    staff.language = "en"
    staff.save(update_fields=["language"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"  # the switch before login said Korean
    response = client.post(reverse("login"), {"username": "yejun", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Hello, 윤예준" in client.get("/").content.decode()


def test_a_failed_login_leaves_the_language_alone(client, staff):
    response = client.post(reverse("login"), {"username": "yejun", "password": "wrong"})
    assert response.status_code == 200
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_percent_classes_replace_inline_widths():
    rendered = Template("{% load portal_tags %}{{ a|pct_width }} {{ b|pct_left }} {{ c|pct_width }} {{ d|pct_width }}")
    assert rendered.render(Context({"a": 42.26, "b": 7.5, "c": 180, "d": "x"})) == "pct-w-85 pct-l-15 pct-w-200 pct-w-0"
    css = (STATIC / "css/haru.css").read_text()
    assert ".pct-w-85{width:42.5%}" in css and ".pct-w-200{width:100%}" in css


def test_the_korean_font_is_vendored_and_subset():
    font = STATIC / "vendor/pretendard/Pretendard-Regular.ks-x-1001.woff2"
    assert font.read_bytes()[:4] == b"wOF2"
    assert font.stat().st_size < 200_000  # the full Regular face is 790 KB
    assert (STATIC / "vendor/pretendard/LICENSE.txt").exists()
    assert "Pretendard-Regular.ks-x-1001.woff2" in (STATIC / "css/haru.css").read_text()


def test_first_load_assets_stay_under_300_kb(client, staff):
    """Every stylesheet, script and preloaded font base.html makes a first visit fetch."""
    client.force_login(staff.user)
    page = client.get("/").content.decode()
    urls = re.findall(r'<(?:link|script)[^>]+(?:href|src)="(/static/[^"]+)"', page)
    assert any(url.endswith(".woff2") for url in urls) and any("htmx" in url for url in urls)
    total = sum((STATIC / url.removeprefix(settings.STATIC_URL)).stat().st_size for url in urls)
    assert total <= 300 * 1024, total
