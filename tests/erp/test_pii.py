import logging

import pytest

from erp.core.logging import MaskingFormatter
from erp.core.pii import mask_pii


@pytest.mark.parametrize(
    "raw, masked",
    [
        ("연락처 010-1234-5678 로 주세요", "연락처 010-****-5678 로 주세요"),
        ("01012345678", "010-****-5678"),
        ("+82 10-1234-5678", "+82 10-****-5678"),
        ("주민번호 900101-1234567", "주민번호 900101-1******"),
        ("hong.gildong@example.co.kr 로 회신", "h***@example.co.kr 로 회신"),
        ("카드 4111-1111-1111-1111 결제", "카드 ****-****-****-1111 결제"),
        ("카드 5555555555554444", "카드 ****-****-****-4444"),
        ("주문 1234567890123456 (Luhn fails: not a card)", "주문 1234567890123456 (Luhn fails: not a card)"),
        ("주문번호 2026-1121 접수", "주문번호 2026-1121 접수"),
        ("서버 10.0.0.1 장애", "서버 10.0.0.1 장애"),
        ("succeeded in 0.0629470198787749s", "succeeded in 0.0629470198787749s"),
        ("ratio 0.01012345678", "ratio 0.01012345678"),
        (
            "<https://haru.slack.com/archives/C0DEV00001/p1700000000000100|스레드>",
            "<https://haru.slack.com/archives/C0DEV00001/p1700000000000100|스레드>",
        ),
        (
            "<https://erp.example/tickets/INC-1/|010-1234-5678 고객>",
            "<https://erp.example/tickets/INC-1/|010-****-5678 고객>",
        ),
        ("message ts 1700000000.000100 posted", "message ts 1700000000.000100 posted"),
        ("", ""),
        # The shortest shapes masked (the fast path skips text with fewer digits and no @).
        ("대표 02-345-6789", "대표 02-****-6789"),
        ("(０２)３４５–６７８９", "(02)-****-6789"),
        ("a@b.co", "a***@b.co"),
        ("mailto:a%40b.co", "mailto:a***%40b.co"),
        ("INC-12 VPN 접속 장애 · 처리 중", "INC-12 VPN 접속 장애 · 처리 중"),
        # A Celery task id stays whole (its last groups have a bank account's shape); what is
        # around it is still masked.
        (
            "Task deliver_message[9ab6e921-790d-4fff-9123-45676732b5f7] succeeded",
            "Task deliver_message[9ab6e921-790d-4fff-9123-45676732b5f7] succeeded",
        ),
        (
            "010-1234-5678 a0b1c2d3-0000-4000-8000-123456789012 계좌 110-123-456789",
            "010-****-5678 a0b1c2d3-0000-4000-8000-123456789012 계좌 ***-***-**6789",
        ),
        # Not a UUID (a letter glued on): masked as any other text.
        ("9ab6e921-790d-4fff-9123-45676732b5f7x", "9ab6e921-790d-4fff-****-****6732b5f7x"),
    ],
)
def test_mask_pii(raw, masked):
    assert mask_pii(raw) == masked


def test_log_lines_and_tracebacks_are_masked():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "call %s now", ("010-9876-5432",), None)
    assert MaskingFormatter("%(message)s").format(record) == "call 010-****-5432 now"
    try:
        raise ValueError("no account for hong@example.com")
    except ValueError:
        import sys

        failing = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    text = MaskingFormatter("%(message)s").format(failing)
    assert "Traceback" in text and "h***@example.com" in text and "hong@example.com" not in text


def test_celery_handlers_are_wrapped_once():
    from erp.core.logging import mask_handlers

    logger = logging.getLogger("haru-test-worker")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger.addHandler(handler)
    mask_handlers(logger)
    mask_handlers(logger)
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "card 4111 1111 1111 1111", (), None)
    assert handler.format(record) == "INFO card ****-****-****-1111"
    logger.removeHandler(handler)
