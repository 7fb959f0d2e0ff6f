"""widget.js in a real browser: a submission keeps one idempotency key across its retries, and
the intake answers a retry with the first answer — one inquiry, one number, never a second.

The customer's page (the pasted snippet) is served by Playwright under the live server's
address (Chromium's local-network rules block a page at another loopback origin from
loading the script; CORS itself is tested in test_intake_api), and posts to the intake.
"""

import json
import uuid

import pytest

from inquiries.contact import snippet_html
from inquiries.models import Inquiry
from tests.browser import page  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def customer_page(page, live_server, site, settings, rf):  # noqa: F811
    settings.INQUIRIES_MIN_FILL_SECONDS = 0
    origin = f"{live_server.url}/customer-site"
    request = rf.get("/", HTTP_HOST=live_server.url.removeprefix("http://"))
    html = snippet_html(site, request).replace("data-haru-inquiry", 'data-haru-inquiry data-retry-delay-ms="50"', 1)
    document = f"<html><body>{html}</body></html>"
    page.route(
        lambda url: url.startswith(f"{origin}/contact"),
        lambda route: route.fulfill(body=document, content_type="text/html; charset=utf-8"),
    )
    page.goto(f"{origin}/contact?utm_source=naver")
    page.fill("#inq-name", "김하늘")
    page.fill("#inq-email", "sky.kim@hanbit.example")
    page.fill("#inq-message", "사내 헬프데스크 챗봇 도입 견적을 부탁드립니다.")
    return page


def intercept_posts(browser_page, live_server, *, lose_first_answers: int):
    """Forward each POST to the server; drop the first answers on the way back (as a flaky
    mobile network does), so the browser sees an error although the server stored it."""
    seen = []

    def handle(route):
        request = route.request
        if request.method != "POST":
            return route.continue_()
        seen.append({"key": request.headers.get("idempotency-key"), "body": request.post_data})
        response = route.fetch()
        if len(seen) <= lose_first_answers:
            return route.abort("connectionreset")
        seen[-1]["answer"] = response.json()
        seen[-1]["replayed"] = response.headers.get("idempotent-replayed")
        return route.fulfill(response=response)

    browser_page.route(f"{live_server.url}/api/inquiries/submit/**", handle)
    return seen


def test_a_lost_answer_is_retried_with_the_same_key_and_gets_the_first_number(customer_page, live_server):
    seen = intercept_posts(customer_page, live_server, lose_first_answers=2)
    customer_page.click("button[type=submit]")
    customer_page.wait_for_function("document.querySelector('[data-haru-status]').textContent.length > 0")
    (inquiry,) = Inquiry.objects.all()
    assert len(seen) == 3
    assert len({attempt["key"] for attempt in seen}) == 1 and uuid.UUID(seen[0]["key"]).version == 4
    assert len({attempt["body"] for attempt in seen}) == 1  # the same body: the key is not reused for another
    assert seen[-1]["answer"]["number"] == inquiry.number and seen[-1]["replayed"] == "true"
    assert json.loads(seen[0]["body"])["utm_source"] == "naver"
    assert "received" in customer_page.text_content("[data-haru-status]") or "접수" in customer_page.text_content(
        "[data-haru-status]"
    )


def test_a_changed_form_after_a_refusal_is_a_new_submission(customer_page, live_server):
    seen = intercept_posts(customer_page, live_server, lose_first_answers=0)
    customer_page.fill("#inq-email", "")  # neither e-mail nor phone: refused with 400
    customer_page.click("button[type=submit]")
    customer_page.wait_for_function("document.querySelector('[data-haru-status]').textContent.length > 0")
    refusal = customer_page.text_content("[data-haru-status]")
    assert not Inquiry.objects.exists()
    customer_page.fill("#inq-email", "sky.kim@hanbit.example")
    customer_page.click("button[type=submit]")
    customer_page.wait_for_function(
        "refusal => document.querySelector('[data-haru-status]').textContent !== refusal", arg=refusal
    )
    assert Inquiry.objects.count() == 1
    assert len(seen) == 2 and seen[0]["key"] != seen[1]["key"]
