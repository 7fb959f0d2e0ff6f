import logging

import pytest

from erp.core.logging import MaskPIIFilter
from erp.core.pii import mask_pii


@pytest.mark.parametrize(
    "raw, masked",
    [
        ("연락처 010-1234-5678 로 주세요", "연락처 010-****-5678 로 주세요"),
        ("01012345678", "010-****-5678"),
        ("+82 10-1234-5678", "+82 10-****-5678"),
        ("주민번호 900101-1234567", "주민번호 900101-1******"),
        ("hong.gildong@example.co.kr 로 회신", "h***@example.co.kr 로 회신"),
        ("카드 1234-5678-9012-3456 결제", "카드 ****-****-****-3456 결제"),
        ("카드 1234567890123456", "카드 ****-****-****-3456"),
        ("주문번호 2026-1121 접수", "주문번호 2026-1121 접수"),
        ("서버 10.0.0.1 장애", "서버 10.0.0.1 장애"),
        ("succeeded in 0.0629470198787749s", "succeeded in 0.0629470198787749s"),
        ("ratio 0.01012345678", "ratio 0.01012345678"),
        ("", ""),
    ],
)
def test_mask_pii(raw, masked):
    assert mask_pii(raw) == masked


def test_log_records_are_masked():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "call %s now", ("010-9876-5432",), None)
    MaskPIIFilter().filter(record)
    assert record.getMessage() == "call 010-****-5432 now"
