"""The public intake: both body types, both Korean encodings, every refusal a clear 4xx."""

import json
from urllib.parse import quote_from_bytes, urlencode

import pytest
from django.core.cache import cache

from inquiries.http_intake import CACHE_BACKOFF_SECONDS  # noqa: F401  (documented backoff)
from inquiries.models import Inquiry, InquirySource, Status
from inquiries.services import site_issue_api_key

pytestmark = pytest.mark.django_db

URL = "/api/inquiries/submit/haru-main/"
FIELDS = {
    "name": "김하늘",
    "company": "(주)한빛소프트",
    "email": "sky.kim@hanbit.example",
    "phone": "010-2345-6789",
    "subject": "챗봇 도입 문의",
    "message": "사내 헬프데스크 챗봇 견적을 부탁드립니다. 똠방각하 뷁",  # 똠, 뷁: CP949-only syllables
    "category": "quote",
    "consent": "true",
}


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    cache.clear()
    settings.INQUIRIES_RATE_PER_IP = "100/m"
    settings.INQUIRIES_RATE_PER_EMAIL = "100/h"
    yield
    if ":9/" not in str(settings.CACHES["default"].get("LOCATION", "")):  # the outage test: nothing to clear
        cache.clear()


def post_json(client, data, url=URL, **headers):
    return client.post(url, json.dumps(data, ensure_ascii=False).encode(), content_type="application/json", **headers)


def form_body(data: dict, encoding: str) -> bytes:
    return "&".join(
        f"{quote_from_bytes(key.encode(encoding))}={quote_from_bytes(str(value).encode(encoding))}"
        for key, value in data.items()
    ).encode("ascii")


def test_json_in_utf8_is_stored_as_a_widget_inquiry(client, site):
    response = post_json(client, {**FIELDS, "consent": True, "utm_source": "naver"})
    assert response.status_code == 201, response.content
    inquiry = Inquiry.objects.get()
    assert response.json()["number"] == inquiry.number
    assert inquiry.message == FIELDS["message"] and inquiry.source == InquirySource.WIDGET
    assert inquiry.consent_contact and inquiry.utm_source == "naver" and inquiry.ip_address == "127.0.0.1"


def test_form_post_in_utf8(client, site):
    response = client.post(URL, form_body(FIELDS, "utf-8"), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 201
    assert Inquiry.objects.get().message == FIELDS["message"]


@pytest.mark.parametrize("charset", ["EUC-KR", "euc-kr", "cp949", "ks_c_5601-1987"])
def test_form_post_declared_korean_legacy_is_decoded(client, site, charset):
    body = form_body(FIELDS, "cp949")
    response = client.post(URL, body, content_type=f"application/x-www-form-urlencoded; charset={charset}")
    assert response.status_code == 201, response.content
    inquiry = Inquiry.objects.get()
    assert inquiry.customer_name == "김하늘" and inquiry.message == FIELDS["message"]


def test_form_post_with_charset_field_or_undeclared_cp949(client, site):
    declared = form_body({**FIELDS, "_charset_": "EUC-KR"}, "cp949")
    assert client.post(URL, declared, content_type="application/x-www-form-urlencoded").status_code == 201
    undeclared = form_body({**FIELDS, "email": "b@x.example"}, "cp949")
    assert client.post(URL, undeclared, content_type="application/x-www-form-urlencoded").status_code == 201
    assert set(Inquiry.objects.values_list("customer_name", flat=True)) == {"김하늘"}


def test_bytes_that_are_neither_utf8_nor_korean_are_refused_not_garbled(client, site):
    body = form_body({**FIELDS, "name": "x"}, "utf-8") + b"&note=%FF%FE%80"
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded", HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 400
    assert "UTF-8" in response.json()["message"]
    wrong = form_body(FIELDS, "utf-8")
    response = client.post(URL, wrong, content_type="application/x-www-form-urlencoded; charset=euc-kr")
    assert response.status_code in (201, 400)  # UTF-8 bytes read as EUC-KR never become a garbled row
    for inquiry in Inquiry.objects.all():
        assert inquiry.customer_name == "김하늘"
    assert (
        client.post(URL, wrong, content_type="application/x-www-form-urlencoded; charset=iso-8859-15").status_code
        == 400
    )


def test_multipart_form_post(client, site):
    response = client.post(URL, {**FIELDS, "email": "m@x.example"})  # the test client sends multipart
    assert response.status_code == 201
    assert Inquiry.objects.get().source == InquirySource.WEBSITE


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"name=x", "text/plain", 415),
        (b"<xml/>", "application/xml", 415),
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b"", "application/json", 400),
        (json.dumps({**FIELDS, "name": ["a"]}).encode(), "application/json", 400),
        (json.dumps({**FIELDS, "message": "a\x00b"}).encode(), "application/json", 400),
        (json.dumps({**FIELDS, "email": "nope", "phone": "12"}).encode(), "application/json", 400),
        (json.dumps({"name": "x"}).encode(), "application/json", 400),
    ],
)
def test_bad_input_is_a_clear_4xx_never_500(client, site, body, content_type, status):
    response = client.post(URL, body, content_type=content_type)
    assert response.status_code == status
    assert response.json()["message"]
    assert not Inquiry.objects.exists()


def test_field_errors_in_the_forms_language(client, site):
    korean = post_json(client, {**FIELDS, "email": "nope", "lang": "ko"})
    english = post_json(client, {**FIELDS, "email": "nope", "lang": "en"})
    assert korean.status_code == english.status_code == 400
    assert english.json()["errors"]["email"] == ["Enter a valid e-mail address, e.g. name@example.co.kr."]
    assert korean.json()["errors"]["email"] != english.json()["errors"]["email"]


def test_a_megabyte_message_is_413(client, site):
    response = post_json(client, {**FIELDS, "message": "가" * 1024 * 1024})
    assert response.status_code == 413 and response.json()["message"]
    long_but_small = post_json(client, {**FIELDS, "message": "a" * 6000})
    assert long_but_small.status_code == 400 and "message" in long_but_small.json()["errors"]


def test_unknown_site_and_api_keys(client, site):
    assert post_json(client, FIELDS, url="/api/inquiries/submit/nobody/").status_code == 404
    key = site_issue_api_key(site=site, by=None)
    assert post_json(client, FIELDS, HTTP_X_INQUIRY_KEY="wrong").status_code == 401
    response = post_json(client, FIELDS, HTTP_X_INQUIRY_KEY=key)
    assert response.status_code == 201 and Inquiry.objects.get().source == InquirySource.API
    site.refresh_from_db()
    site.require_api_key = True
    site.save()
    assert post_json(client, {**FIELDS, "email": "c@x.example"}).status_code == 401
    assert post_json(client, {**FIELDS, "email": "c@x.example"}, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 201


def test_per_ip_rate_limit_answers_429_with_retry_after(client, site, settings):
    settings.INQUIRIES_RATE_PER_IP = "3/m"
    codes = [post_json(client, {**FIELDS, "email": f"p{i}@x.example"}).status_code for i in range(5)]
    assert codes == [201, 201, 201, 429, 429]
    response = post_json(client, FIELDS)
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["message"]
    assert Inquiry.objects.count() == 3  # every accepted one is stored


def test_per_email_rate_limit(client, site, settings):
    settings.INQUIRIES_RATE_PER_EMAIL = "2/h"
    codes = [post_json(client, FIELDS).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert post_json(client, {**FIELDS, "email": "OTHER@x.example"}).status_code == 201


def test_cache_outage_never_fails_the_intake(client, site, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    try:
        from inquiries import http_intake

        http_intake._cache_down_until = 0.0
        assert post_json(client, FIELDS).status_code == 201
        assert post_json(client, {**FIELDS, "email": "z@x.example"}).status_code == 201
    finally:
        http_intake._cache_down_until = 0.0
    assert Inquiry.objects.count() == 2


def test_spam_is_answered_like_any_inquiry_and_quarantined(client, site):
    response = post_json(client, {**FIELDS, "website": "http://casino.example"})
    assert response.status_code == 201
    inquiry = Inquiry.objects.get()
    assert inquiry.status == Status.SPAM and inquiry.spam_reasons == ["honeypot"]


def test_repeated_submission_id_is_stored_once(client, site):
    first = post_json(client, {**FIELDS, "submission_id": "abc-1"})
    again = post_json(client, {**FIELDS, "submission_id": "abc-1"})
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and Inquiry.objects.count() == 1


def test_a_plain_browser_form_post_is_redirected_and_errors_are_a_page(client, site):
    body = form_body(FIELDS, "utf-8")
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded", HTTP_ACCEPT="text/html")
    assert response.status_code == 302 or response.status_code == 303
    assert response["Location"] == "/contact/haru-main/thanks/"
    bad = form_body({**FIELDS, "email": "nope", "lang": "ko"}, "utf-8")
    page = client.post(URL, bad, content_type="application/x-www-form-urlencoded", HTTP_ACCEPT="text/html")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_cors_preflight_allowed_for_the_sites_origins_only(client, site):
    headers = {"HTTP_ORIGIN": "https://www.haru.example", "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST"}
    allowed = client.options(URL, **headers, HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type")
    assert allowed.status_code == 200
    assert allowed["Access-Control-Allow-Origin"] == "https://www.haru.example"
    refused = client.options(URL, HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert "Access-Control-Allow-Origin" not in refused
    other_path = client.options("/api/tickets/", **headers)
    assert "Access-Control-Allow-Origin" not in other_path
    posted = post_json(client, FIELDS, HTTP_ORIGIN="https://www.haru.example")
    assert posted.status_code == 201 and posted["Access-Control-Allow-Origin"] == "https://www.haru.example"


def test_the_endpoint_is_in_the_openapi_schema(client, django_user_model):
    # The schema is for signed-in users (SECURITY.md); the endpoint itself stays public.
    client.force_login(django_user_model.objects.create_user("schema-reader"))
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/inquiries/submit/{site_key}/"]["post"]
    assert {"application/json", "application/x-www-form-urlencoded"} <= set(operation["requestBody"]["content"])
    assert "429" in operation["responses"]


def test_hosted_page_and_snippet(client, site):
    page = client.get("/contact/haru-main/")
    assert page.status_code == 200 and 'name="website"' in page.content.decode()
    response = client.post("/contact/haru-main/", urlencode(FIELDS), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302 and response["Location"] == "/contact/haru-main/thanks/"
    assert Inquiry.objects.get().source == InquirySource.WEBSITE
    bad = client.post(
        "/contact/haru-main/", urlencode({**FIELDS, "email": "x"}), content_type="application/x-www-form-urlencoded"
    )
    assert bad.status_code == 400 and "inq-email" in bad.content.decode()
    snippet = client.get("/contact/haru-main/snippet/").content.decode()
    assert "/api/inquiries/submit/haru-main/" in snippet and "widget.js" in snippet and "cdn" not in snippet.lower()
    assert client.get("/contact/nobody/").status_code == 404
