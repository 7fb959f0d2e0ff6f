"""File import: both encodings, both formats, idempotent re-runs, and every kind of bad input."""

from datetime import datetime

import pytest

from coupons.models import Campaign, Client, Goods, ImportStatus, PinStatus, SendLog
from erp.audit.models import AuditEvent
from erp.workcalendar.calendar import KST

from .importing import HEADER_KO, csv_bytes, row, run_import, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949", "euc-kr"])
def test_csv_in_each_encoding(encoding):
    run = run_import(csv_bytes([row("T1"), row("T2", "01098765432")], encoding=encoding))
    assert run.status == ImportStatus.DONE, run.message
    assert (run.inserted, run.updated, run.error_count) == (2, 0, 0)
    send = SendLog.objects.get(tr_id="T1")
    assert send.client.name == "하루커피" and send.campaign.name == "겨울 이벤트"
    assert send.goods.brand == "스타벅스" and send.sell_price == 4230
    assert (send.phone, send.phone_last4, send.masked_phone) == ("01012345678", "5678", "010-****-5678")
    assert send.pin_status == PinStatus.ISSUED and send.succeeded
    assert send.valid_until == datetime(2026, 12, 31, 23, 59, 59, tzinfo=KST)


def test_xlsx_import_and_formula_cells_refused_per_row():
    data = xlsx_bytes([row("X1"), row("X2"), row("X3")], formula_at="M3")  # the price cell of X2
    run = run_import(data, "sends.xlsx")
    assert run.status == ImportStatus.DONE
    assert run.inserted == 2
    assert run.errors == [
        {
            "row": 3,
            "column": "Sell price",
            "field": "sell_price",
            "reason": "A formula is not accepted; paste the values instead.",
        }
    ]
    assert set(SendLog.objects.values_list("tr_id", flat=True)) == {"X1", "X3"}


def test_re_import_adds_nothing_and_updates_what_changed():
    first = run_import(csv_bytes([row("T1"), row("T2"), row("T3")]))
    assert first.inserted == 3
    again = run_import(csv_bytes([row("T1"), row("T2"), row("T3")]))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    changed = run_import(csv_bytes([row("T1", pin="02"), row("T2"), row("T3"), row("T4")]))
    assert (changed.inserted, changed.updated, changed.unchanged) == (1, 1, 2)
    assert SendLog.objects.get(tr_id="T1").pin_status == PinStatus.USED
    assert SendLog.objects.count() == 4
    assert Client.objects.count() == 1 and Campaign.objects.count() == 1 and Goods.objects.count() == 1
    assert AuditEvent.objects.filter(action="imported").count() == 3


def test_unmapped_columns_are_left_alone_on_update():
    run_import(csv_bytes([row("T1", pin="02")]))
    # A sheet without the PIN status column does not blank the status already known.
    header = ["tr_id", "client", "phone", "sent_at"]
    run = run_import(csv_bytes([["T1", "하루커피", "01012345678", "2026-12-01 11:00"]], header=header))
    assert (run.inserted, run.updated) == (0, 1)
    send = SendLog.objects.get(tr_id="T1")
    assert send.pin_status == PinStatus.USED and send.sent_at == datetime(2026, 12, 1, 11, 0, tzinfo=KST)


def test_three_date_formats():
    rows = [
        row("D1", sent="2026-12-01 10:05:00", valid="2026-12-31"),
        row("D2", sent="20261201100500", valid="20261231"),
        row("D3", sent="2026.12.01 10:05", valid="2026.12.31"),
        row("D4", sent="2026/12/1 10:05", valid="2026/12/31"),
        row("D5", sent="1 Dec 2026"),
    ]
    run = run_import(csv_bytes(rows))
    assert run.inserted == 4
    assert [(e["row"], e["field"]) for e in run.errors] == [(6, "sent_at")]
    moments = set(SendLog.objects.values_list("sent_at", flat=True))
    assert moments == {datetime(2026, 12, 1, 10, 5, tzinfo=KST)}
    assert set(SendLog.objects.values_list("valid_until", flat=True)) == {
        datetime(2026, 12, 31, 23, 59, 59, tzinfo=KST)
    }


def test_bad_rows_are_listed_and_the_rest_imported():
    rows = [
        row("B1"),
        row("B2", phone="02-123-4567"),
        row("B1"),  # duplicate tr_id in the file
        row("", phone="01011112222"),
        row("B5", price="-5"),
        row("B6", pin="1x"),
    ]
    run = run_import(csv_bytes(rows))
    assert run.status == ImportStatus.DONE and run.inserted == 1
    assert [(e["row"], e["field"]) for e in run.errors] == [
        (3, "phone"),
        (4, "tr_id"),
        (5, "tr_id"),
        (6, "sell_price"),
        (7, "pin_status_code"),
    ]
    assert run.errors[1]["reason"] == "Duplicate transaction id: row 2 has it too."
    assert "5678" not in str(run.errors) and "4567" not in str(run.errors)


def test_missing_columns_refuse_the_file():
    run = run_import(csv_bytes([["T1", "하루커피"]], header=["tr_id", "client"]))
    assert run.status == ImportStatus.REFUSED
    assert "Recipient phone" in run.message and "Sent at" in run.message
    assert not SendLog.objects.exists()


def test_wrong_encoding_midway_refuses_everything():
    good = csv_bytes([row(f"E{i}") for i in range(3)], encoding="utf-8")
    # 1 MB+ of valid UTF-8 rows, then a CP949 row: detected as UTF-8, fails late.
    filler = "".join(",".join(row(f"F{i}")) + "\r\n" for i in range(12_000)).encode()
    bad = ",".join(row("Z1", campaign="봄 이벤트")).encode("cp949") + b"\r\n"
    run = run_import(good + filler + bad)
    assert run.status == ImportStatus.REFUSED
    assert "mixes encodings" in run.message
    assert not SendLog.objects.exists()


def test_not_text_at_all_is_refused():
    run = run_import(bytes(range(256)) * 50)
    assert run.status == ImportStatus.REFUSED
    assert not SendLog.objects.exists()


def test_too_big_is_refused_before_reading(settings):
    settings.COUPONS_IMPORT_MAX_BYTES = 100
    run = run_import(csv_bytes([row("T1"), row("T2")]))
    assert run.status == ImportStatus.REFUSED and "at most" in run.message
    assert not SendLog.objects.exists()


def test_mapping_chosen_by_hand_and_default_client():
    header = ["번호", "받는분", "보낸시각"]
    data = csv_bytes([["M1", "010-2222-3333", "2026-12-01 09:00"]], header=header)
    run = run_import(data, mapping={"tr_id": 0, "phone": 1, "sent_at": 2}, client="하루커피")
    assert run.inserted == 1, (run.message, run.errors)
    assert SendLog.objects.get().client.name == "하루커피"


def test_korean_headers_recognised():
    from coupons.importing.fields import auto_mapping

    assert auto_mapping(HEADER_KO)["phone"] == 6
    assert auto_mapping(["trId", "recverTelNo", "sendRstCd", "pinStatusCd", "validPrdEndDt"]) == {
        "tr_id": 0,
        "phone": 1,
        "result_code": 2,
        "pin_status_code": 3,
        "valid_until": 4,
    }


def test_anonymised_phone_survives_a_re_import():
    run_import(csv_bytes([row("T1")]))
    SendLog.objects.update(phone="", phone_last4="", anonymised_at=datetime(2026, 12, 2, tzinfo=KST))
    again = run_import(csv_bytes([row("T1")]))
    assert (again.inserted, again.updated) == (0, 0)
    assert SendLog.objects.get().phone == ""


def test_text_with_tabs_backslashes_and_newlines_is_stored_as_is():
    header = ["tr_id", "client", "phone", "sent_at", "result_message"]
    data = csv_bytes([["Q1", "하루\\커피", "01012345678", "2026-12-01 10:00:00", '"탭\t줄\n바꿈\\N"']], header=header)
    run = run_import(data)
    assert run.inserted == 1, run.errors
    send = SendLog.objects.get()
    assert send.result_message == "탭\t줄\n바꿈\\N" and send.client.name == "하루\\커피"


def test_a_malformed_line_is_an_error_of_its_row_and_the_others_are_imported(settings):
    import csv

    good = csv_bytes([row("M1"), row("M2")], encoding="utf-8")
    limit = csv.field_size_limit()
    # An unterminated quote swallows the rest of the file into one field: over the field limit.
    too_long = ",".join(row("M3", campaign="x" * (limit + 10))).encode() + b"\r\n"
    nul = ",".join(row("M4", campaign="봄\x00이벤트")).encode() + b"\r\n"
    after = ",".join(row("M5")).encode() + b"\r\n"
    run = run_import(good + too_long + nul + after)
    assert run.status == ImportStatus.DONE, run.message
    assert set(SendLog.objects.values_list("tr_id", flat=True)) == {"M1", "M2", "M5"}
    assert [(error["row"], error["field"]) for error in run.errors] == [(4, "line"), (5, "line")]
    assert "not valid CSV" in run.errors[0]["reason"] and "NUL" in run.errors[1]["reason"]
