"""Helpers for import tests: files built in memory, runs started like the command starts them."""

import io

from coupons.importing.run import import_file
from coupons.models import ImportRun

HEADER_KO = [
    "거래번호",
    "고객사",
    "캠페인명",
    "상품코드",
    "상품명",
    "브랜드",
    "수신번호",
    "발송일시",
    "결과코드",
    "주문번호",
    "핀상태코드",
    "유효기간",
    "판매가",
]


def csv_bytes(rows, *, header=HEADER_KO, encoding="utf-8") -> bytes:
    lines = [",".join(header)] + [",".join(str(cell) for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, *, header=HEADER_KO, formula_at=None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    if formula_at:
        sheet[formula_at] = "=1+1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import(data: bytes, filename="sends.csv", *, mapping=None, client="", user=None) -> ImportRun:
    run = ImportRun.objects.create(source="command", filename=filename, mapping=mapping or {}, created_by=user)
    return import_file(run, io.BytesIO(data), client=client)


def row(
    tr_id,
    phone="010-1234-5678",
    sent="2026-12-01 10:00:00",
    *,
    client="하루커피",
    campaign="겨울 이벤트",
    code="0000",
    pin="01",
    valid="2026-12-31",
    price="4230",
):
    return [
        tr_id,
        client,
        campaign,
        "G00000182305",
        "아메리카노 T",
        "스타벅스",
        phone,
        sent,
        code,
        f"ORD{tr_id}",
        pin,
        valid,
        price,
    ]
