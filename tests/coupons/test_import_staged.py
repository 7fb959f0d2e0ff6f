"""The PostgreSQL CSV path (checks in SQL, coupons/importing/staged.py) gives what the row-by-row
path gives: the same sends, clients, campaigns, goods, counts and errors, row for row.

Each test imports the same file once through each path (on PostgreSQL; SQLite has only the
row-by-row path) and compares everything stored.
"""

from types import SimpleNamespace

import pytest

from coupons.importing import staged
from coupons.models import Campaign, Client, Goods, SendLog

from .importing import HEADER_KO, csv_bytes, row, run_import

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SEND_FIELDS = [
    "tr_id",
    "client__name",
    "campaign__name",
    "goods__code",
    "phone",
    "phone_last4",
    "sent_at",
    "result_code",
    "result_message",
    "succeeded",
    "delivered",
    "order_no",
    "pin_status_code",
    "pin_status",
    "valid_until",
    "sell_price",
    "consumer_price",
]


def stored():
    return {
        "sends": list(SendLog.objects.order_by("tr_id").values_list(*SEND_FIELDS)),
        "clients": sorted(Client.objects.values_list("name", flat=True)),
        "campaigns": sorted(Campaign.objects.values_list("client__name", "name")),
        "goods": sorted(Goods.objects.values_list("code", "name", "brand", "sell_price", "consumer_price")),
    }


def counts(run):
    return (run.total_rows, run.inserted, run.updated, run.unchanged, run.error_count, run.errors)


def both_paths(monkeypatch, *files, **options):
    """[(counts of each run, what is stored after)] for the SQL path, then the row-by-row path."""
    outcomes = []
    for use_sql in (True, False):
        SendLog.objects.all().delete()
        Campaign.objects.all().delete()
        Client.objects.all().delete()
        Goods.objects.all().delete()
        monkeypatch.setattr(staged, "available", lambda table, use_sql=use_sql: use_sql)
        runs = [counts(run_import(data, **options)) for data in files]
        outcomes.append((runs, stored()))
    return outcomes


TRICKY_ROWS = [
    row("S1"),
    row("S2", phone="01098765432", sent="20261201153000", valid="20261231"),
    row("S3", sent="2026.12.01 10:05", valid="2026.12.31"),  # Korean Excel dates: RowParser's shapes
    row("S4", phone="+82 10-5555-6666"),  # the international form: RowParser
    row("S5", sent="2026-02-30 10:00:00"),  # no such day
    row("S6", sent="2026-12-01 24:00:00"),
    row("S1"),  # the duplicate of a common-shape row
    row("S3", campaign="봄 이벤트"),  # the duplicate of a RowParser row
    row("S7", phone="\u3000010-1111-2222\u00a0", client=" 하루커피 "),  # Unicode spaces are trimmed
    row("S8", pin="2", code="1000", price=""),
    row("S9", pin="", code="E0101", valid=""),
    row("S10", price="4,230원", campaign=""),
    row("S11", price="12.5"),
    row("", phone="01011112222"),
    row("S12", phone="02-123-4567"),
    row("S13", client="새고객사", campaign="새 캠페인"),
    row("S14", sent="2026-12-01T10:00:00+09:00"),
    row("S15", sent="1999-12-31 23:00:00", valid="2100-01-01"),
    row("S16", pin="123"),
    row("S17", phone="010-１２３４-5678"),  # full-width digits
    row("x" * 41),
    row("S18", price="99999999999"),  # beyond the integer column: an error, not a failed COPY
]


def test_every_kind_of_row_gives_the_same_result(monkeypatch):
    sql, python = both_paths(monkeypatch, csv_bytes(TRICKY_ROWS))
    assert sql == python
    runs, kept = sql
    assert runs[0][1] > 10 and runs[0][4] >= 7  # both kinds present: a real comparison
    assert {"S3", "S4", "S7", "S13", "S14"} <= {send[0] for send in kept["sends"]}


def test_re_import_and_changes_give_the_same_counts(monkeypatch):
    first = csv_bytes([row(f"R{n}") for n in range(5)], encoding="cp949")
    changed = csv_bytes([row("R0", pin="02"), row("R1", code="E0101"), row("R2"), row("R9")])
    sql, python = both_paths(monkeypatch, first, first, changed)
    assert sql == python
    assert [run[1:4] for run in sql[0]] == [(5, 0, 0), (0, 0, 5), (1, 2, 1)]


def test_partial_mappings_and_a_default_client_give_the_same_result(monkeypatch):
    header = ["번호", "받는분", "보낸시각", "상품코드"]
    data = csv_bytes(
        [
            ["M1", "010-2222-3333", "2026-12-01 09:00:00", "G1"],
            ["M2", "010-2222-4444", "2026-12-01 09:00", "G1"],
            ["M3", "010-2222-5555", "2026-12-01", ""],
        ],
        header=header,
    )
    options = {"mapping": {"tr_id": 0, "phone": 1, "sent_at": 2, "goods_code": 3}, "client": "하루커피"}
    sql, python = both_paths(monkeypatch, data, **options)
    assert sql == python
    assert sql[0][0][1] == 3


def test_korean_header_file_with_every_column_gives_the_same_result(monkeypatch):
    assert len(HEADER_KO) == len(row("K1"))
    rows = [row(f"K{n}", pin=f"{n % 12:02d}", phone=f"010-3333-{n:04d}") for n in range(40)]
    sql, python = both_paths(monkeypatch, csv_bytes(rows))
    assert sql == python


def test_a_concurrent_insert_of_the_same_tr_id_falls_back_to_the_upsert(monkeypatch):
    """The plain INSERT fails when another transaction stored one of the tr_ids after the
    NOT EXISTS look-up; the import then settles every row by INSERT … ON CONFLICT."""
    from django.db import IntegrityError

    from coupons.importing import writer

    run_import(csv_bytes([row("C1"), row("C2", pin="01")]))

    class RacedInsert:
        def __enter__(self):
            raise IntegrityError("duplicate key value violates unique constraint (simulated race)")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(writer, "transaction", SimpleNamespace(atomic=RacedInsert))
    run = run_import(csv_bytes([row("C1"), row("C2", pin="02"), row("C3")]))
    assert (run.inserted, run.updated, run.unchanged, run.error_count) == (1, 1, 1, 0)
    assert sorted(SendLog.objects.values_list("tr_id", "pin_status_code")) == [("C1", "01"), ("C2", "02"), ("C3", "01")]
