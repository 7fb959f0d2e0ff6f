"""The hosted contact page honours its form's idempotency key like the widget: a double submit
stores one inquiry. Each rendering of the form carries a fresh key in a hidden field, so this
works without JavaScript; in Chromium a double click and a resend after Back store one."""

import re
from urllib.parse import urlencode

import pytest

from inquiries.models import Inquiry
from tests.browser import page  # noqa: F401

PAGE = "/contact/haru-main/"
FIELDS = {
    "name": "김하늘",
    "email": "sky.kim@hanbit.example",
    "message": "사내 헬프데스크 챗봇 도입 견적을 부탁드립니다.",
    "consent": "on",
}


@pytest.fixture(autouse=True)
def _quick_forms(settings):
    settings.INQUIRIES_MIN_FILL_SECONDS = 0


def form_key(html: str) -> str:
    return re.search(r'name="submission_id" value="([^"]+)"', html).group(1)


def post(client, data):
    return client.post(PAGE, urlencode(data), content_type="application/x-www-form-urlencoded")


@pytest.mark.django_db
def test_each_form_has_its_own_key_and_a_repeat_is_stored_once(client, site):
    first_key = form_key(client.get(PAGE).content.decode())
    assert first_key != form_key(client.get(PAGE).content.decode())
    data = {**FIELDS, "submission_id": first_key}
    first, again = post(client, data), post(client, data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == "/contact/haru-main/thanks/"
    (inquiry,) = Inquiry.objects.all()
    assert inquiry.submission_id == first_key


@pytest.mark.django_db
def test_a_refused_post_keeps_its_key_and_an_edited_resend_is_a_new_inquiry(client, site):
    key = form_key(client.get(PAGE).content.decode())
    refused = post(client, {**FIELDS, "email": "x", "submission_id": key})
    assert refused.status_code == 400 and form_key(refused.content.decode()) == key  # corrected, then sent
    assert post(client, {**FIELDS, "submission_id": key}).status_code == 302
    # Back, edit, send with the same key: the visitor meant a second inquiry.
    edited = post(client, {**FIELDS, "message": "일정도 함께 알려 주세요.", "submission_id": key})
    assert edited.status_code == 409
    page_html = edited.content.decode()
    assert "일정도 함께 알려 주세요." in page_html and form_key(page_html) != key
    assert (
        post(
            client, {**FIELDS, "message": "일정도 함께 알려 주세요.", "submission_id": form_key(page_html)}
        ).status_code
        == 302
    )
    assert Inquiry.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.browser
def test_a_double_submit_after_a_lost_answer_stores_one_inquiry_in_chromium(page, live_server, site):  # noqa: F811
    """The visitor sends; the answer is lost on the way back (a proxy on a flaky network gives
    up: 504), although the inquiry was stored; they send again (reload, which posts the same
    form once more): one inquiry, and the thank-you page."""
    keys = []

    def lose_the_first_answer(route):
        request = route.request
        if request.method != "POST":
            return route.continue_()
        keys.append(re.search(r"submission_id=([^&]+)", request.post_data).group(1))
        if len(keys) == 1:
            route.fetch(max_redirects=0)  # the server stores it and answers ...
            # ... and the answer never reaches the browser. (A 504 rather than a reset
            # connection: the browser's own error page made the reload below flaky.)
            return route.fulfill(status=504, content_type="text/plain", body="Gateway Timeout")
        return route.continue_()

    page.route(f"{live_server.url}{PAGE}", lose_the_first_answer)
    page.goto(f"{live_server.url}{PAGE}")
    page.fill("#inq-name", FIELDS["name"])
    page.fill("#inq-email", FIELDS["email"])
    page.fill("#inq-message", FIELDS["message"])
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "Gateway Timeout" in page.content()
    assert Inquiry.objects.count() == 1  # stored although the browser never heard
    page.reload()  # send again
    page.wait_for_url("**/thanks/")
    assert len(keys) == 2 and keys[0] == keys[1], "the browser posted the same form twice"
    (inquiry,) = Inquiry.objects.all()
    assert inquiry.customer_name == "김하늘" and inquiry.submission_id == keys[0]
