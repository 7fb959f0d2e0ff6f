"""Pages, exports, the API and the admin: masked numbers everywhere, full ones only when allowed."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from coupons.models import ImportRun, ImportStatus, PinStatus, SendLog
from erp.audit.models import AuditEvent
from erp.core.search import search_everywhere

from .conftest import kst, make_send, user_with
from .importing import csv_bytes, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def sends(client_a, campaign_a, goods_a):
    return [
        make_send("T1", client=client_a, campaign=campaign_a, goods=goods_a, phone="01012345678"),
        make_send("T2", client=client_a, campaign=campaign_a, goods=goods_a, phone="01099995678", order_no="ORD-2"),
        make_send(
            "T3",
            client=client_a,
            campaign=campaign_a,
            goods=goods_a,
            phone="01011112222",
            succeeded=False,
            result_code="E0010",
            sent_at=kst(2026, 11, 30, 9, 0),
        ),
    ]


def test_list_masks_and_searches_by_phone(client, viewer, sends):
    client.force_login(viewer)
    page = _table(client.get(reverse("coupons:sends"), {"q": "010-1234-5678"}))
    assert "T1" in page and "T2" not in page
    assert "010-****-5678" in page and "01012345678" not in page and "1234-5678" not in page
    last_four = _table(client.get(reverse("coupons:sends"), {"q": "5678"}))
    assert "T1" in last_four and "T2" in last_four and "T3" not in last_four
    assert "9999" not in last_four
    by_order = _table(client.get(reverse("coupons:sends"), {"q": "ORD-2"}))
    assert "T2" in by_order and "T1" not in by_order
    by_campaign = _table(client.get(reverse("coupons:sends"), {"q": "겨울"}))
    assert all(tr in by_campaign for tr in ("T1", "T2", "T3"))
    failed = _table(client.get(reverse("coupons:sends"), {"result": "failed"}))
    assert "T3" in failed and "T1" not in failed


def _table(response) -> str:
    """The result table only (the search box echoes what the user typed)."""
    html = response.content.decode()
    return html[html.index("<tbody>") : html.index("</tbody>")]


def test_bad_filter_is_not_a_500(client, viewer, sends):
    client.force_login(viewer)
    response = client.get(reverse("coupons:sends"), {"sent_from": "yesterday", "client": "abc"})
    assert response.status_code == 200
    assert client.get(reverse("coupons:export"), {"format": "pdf"}).status_code == 400


def test_no_permission_no_page(client, sends):
    client.force_login(user_with("outsider"))
    assert client.get(reverse("coupons:sends")).status_code == 403
    assert client.get(reverse("coupons:send-detail", args=[sends[0].pk])).status_code == 403


def test_reveal_on_the_send_page(client, viewer, revealer, sends):
    send = sends[0]
    client.force_login(viewer)
    page = client.get(reverse("coupons:send-detail", args=[send.pk])).content.decode()
    assert "010-****-5678" in page and "reveal" not in page
    assert client.post(reverse("coupons:send-reveal", args=[send.pk])).status_code == 403
    client.force_login(revealer)
    page = client.post(reverse("coupons:send-reveal", args=[send.pk]), {"reason": "문의"}).content.decode()
    assert "010-1234-5678" in page
    assert AuditEvent.objects.filter(action="phone_revealed", actor=revealer).count() == 1


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_exports_masked_unless_permitted(client, viewer, revealer, sends, kind):
    def export(user, **extra):
        client.force_login(user)
        response = client.get(reverse("coupons:export"), {"format": kind, **extra})
        assert response.status_code == 200
        if kind == "csv":
            return response.content.decode("utf-8-sig")
        sheet = load_workbook(io.BytesIO(response.content)).active
        return "\n".join(",".join(str(c.value) for c in r) for r in sheet.iter_rows())

    masked = export(viewer, full="1")  # asking is not enough
    assert "010-****-5678" in masked and "01012345678" not in masked and "1234-5678" not in masked
    assert not AuditEvent.objects.filter(action="coupon_phones_exported").exists()
    full = export(revealer, full="1")
    assert "010-1234-5678" in full
    assert AuditEvent.objects.filter(action="coupon_phones_exported", actor=revealer).count() == 1


def test_campaign_funnel(client, viewer, sends, campaign_a):
    SendLog.objects.filter(tr_id="T1").update(delivered=True, pin_status=PinStatus.USED)
    SendLog.objects.filter(tr_id="T2").update(delivered=True, pin_status=PinStatus.EXPIRED)
    client.force_login(viewer)
    response = client.get(reverse("coupons:campaign-detail", args=[campaign_a.pk]))
    assert [n for _label, n, _pct in response.context["steps"]] == [3, 2, 2, 1, 1]
    assert response.context["cost"] == 2 * 4230


def test_upload_preview_mapping_and_import(client, admin_user):
    client.force_login(admin_user)
    data = csv_bytes([row("W1"), row("W2", phone="bad")], encoding="cp949")
    response = client.post(reverse("coupons:import-upload"), {"file": SimpleUploadedFile("보내기.csv", data)})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    preview = client.get(reverse("coupons:import-detail", args=[run.pk])).content.decode()
    assert "010-****-5678" in preview and "010-1234-5678" not in preview
    assert "국내 휴대폰 번호가 아닙니다." in preview  # pages speak Korean by default
    form = client.get(reverse("coupons:import-detail", args=[run.pk])).context["form"]
    chosen = {name: field.initial for name, field in form.fields.items()}
    client.post(reverse("coupons:import-detail", args=[run.pk]), {**chosen, "start": "1"})
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE and (run.inserted, run.error_count) == (1, 1)
    assert not run.upload  # the file (phone numbers) is not kept
    progress = client.get(reverse("coupons:import-progress", args=[run.pk])).json()
    assert progress["percent"] == 100 and progress["status"] == "done"


def test_big_upload_goes_to_the_worker(client, admin_user, monkeypatch, django_capture_on_commit_callbacks):
    from coupons import tasks, views

    monkeypatch.setattr(views, "INLINE_IMPORT_BYTES", 10)
    queued = []
    monkeypatch.setattr(tasks.import_uploaded, "delay", lambda pk: queued.append(pk))
    client.force_login(admin_user)
    client.post(reverse("coupons:import-upload"), {"file": SimpleUploadedFile("big.csv", csv_bytes([row("G1")]))})
    run = ImportRun.objects.get()
    form = client.get(reverse("coupons:import-detail", args=[run.pk])).context["form"]
    chosen = {name: field.initial for name, field in form.fields.items()}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("coupons:import-detail", args=[run.pk]), {**chosen, "start": "1"})
    assert queued == [run.pk]
    tasks.import_uploaded(run.pk)
    tasks.import_uploaded(run.pk)  # redelivered: nothing twice
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE and run.inserted == 1 and SendLog.objects.count() == 1


def test_oversized_upload_refused_with_a_form_error(client, admin_user, settings):
    settings.COUPONS_IMPORT_MAX_BYTES = 50
    client.force_login(admin_user)
    response = client.post(reverse("coupons:import-upload"), {"file": SimpleUploadedFile("x.csv", b"a" * 100)})
    assert response.status_code == 400 and "최대 0MB" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_api_batch_import_with_per_item_results(admin_user, client_a):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin_user).key}")
    item = {"tr_id": "A1", "client": "하루커피", "phone": "010-1234-5678", "sent_at": "2026-12-01T10:00:00+09:00"}
    body = {"items": [item, {**item, "tr_id": "A2", "phone": "12"}, {**item, "tr_id": "A1"}, "x"]}
    answer = api.post(reverse("coupons:api-import"), body, format="json")
    assert answer.status_code == 200
    data = answer.json()
    assert [i["status"] for i in data["items"]] == ["created", "error", "error", "error"]
    assert data["items"][1]["errors"] == [{"field": "phone", "message": "국내 휴대폰 번호가 아닙니다."}]
    again = api.post(reverse("coupons:api-import"), {"items": [item]}, format="json").json()
    assert again["items"][0]["status"] == "unchanged" and again["created"] == 0
    changed = api.post(reverse("coupons:api-import"), {"items": [{**item, "pin_status_code": "02"}]}, format="json")
    assert changed.json()["items"][0]["status"] == "updated"
    assert api.post(reverse("coupons:api-import"), {"items": []}, format="json").status_code == 400
    assert api.post(reverse("coupons:api-import"), {"items": [{"tr_id": "Z"}]}, format="json").status_code == 400


def test_api_refuses_without_permission_and_too_many(viewer, settings):
    api = APIClient()
    api.force_authenticate(viewer)
    assert api.post(reverse("coupons:api-import"), {"items": [{}]}, format="json").status_code == 403
    settings.COUPONS_API_MAX_ITEMS = 1
    api.force_authenticate(user_with("importer", "view_sendlog", "import_sendlog"))
    assert api.post(reverse("coupons:api-import"), {"items": [{}, {}]}, format="json").status_code == 413


def test_history_search_source_masks(viewer, sends):
    results = {r.source.key: r for r in search_everywhere(viewer, "5678")}
    titles = [hit.title for hit in results["coupon_sends"].hits]
    assert len(titles) == 2 and all("010-****-5678" in t for t in titles)
    assert search_everywhere(user_with("nobody"), "5678")[0].hits == [] or all(
        not r.hits for r in search_everywhere(user_with("nobody2"), "5678")
    )


def test_admin_pages_mask(client, admin_user, sends):
    client.force_login(admin_user)
    listing = client.get(reverse("admin:coupons_sendlog_changelist"), {"q": "5678"}).content.decode()
    assert "010-****-5678" in listing and "01012345678" not in listing and "1234-5678" not in listing
    detail = client.get(reverse("admin:coupons_sendlog_change", args=[sends[0].pk])).content.decode()
    assert "010-****-5678" in detail and "01012345678" not in detail
    for name in ("client", "campaign", "goods", "importrun", "sendbatch", "bizmoneysnapshot", "retentionrun"):
        assert client.get(reverse(f"admin:coupons_{name}_changelist")).status_code == 200


def test_import_command(tmp_path):
    from django.core.management import call_command

    path = tmp_path / "sends.csv"
    path.write_bytes(csv_bytes([row("C1"), row("C2")], encoding="cp949"))
    out = io.StringIO()
    call_command("import_coupons", str(path), stdout=out)
    assert "2 added" in out.getvalue()
    call_command("import_coupons", str(path), stdout=out)
    assert "0 added, 0 updated, 2 unchanged" in out.getvalue()


def test_four_digits_find_the_last_four_and_a_tr_id_or_order_number_that_is_them(client_a, campaign_a, goods_a):
    from coupons.selectors import send_search_q

    make_send("T1", client=client_a, campaign=campaign_a, goods=goods_a, phone="01012345678")
    make_send("T2", client=client_a, campaign=campaign_a, goods=goods_a, phone="01011112222", order_no="5678")
    make_send("2222", client=client_a, campaign=campaign_a, goods=goods_a, phone="01033334444")
    found = lambda text: sorted(SendLog.objects.filter(send_search_q(text)).values_list("tr_id", flat=True))  # noqa: E731
    assert found("5678") == ["T1", "T2"]  # last four of T1, order number of T2
    assert found("2222") == ["2222", "T2"]  # tr_id 2222, last four of T2
    assert found("4444") == ["2222"]  # no tr_id / order number is 4444: the last-four index alone
    assert found("9999") == []
