import pytest
from django.core.exceptions import PermissionDenied

from coupons.phones import format_phone, mask_phone, normalize_phone
from coupons.services import phone_reveal
from erp.audit.models import AuditEvent

from .conftest import make_send


@pytest.mark.parametrize(
    "raw, digits",
    [
        ("010-1234-5678", "01012345678"),
        ("010 1234 5678", "01012345678"),
        ("01012345678", "01012345678"),
        ("+82 10-1234-5678", "01012345678"),
        ("011-123-4567", "0111234567"),
        ("010-123-4567", None),  # 010 numbers have eight digits after the prefix
        ("02-123-4567", None),
        ("abc", None),
        ("", None),
    ],
)
def test_normalize_phone(raw, digits):
    assert normalize_phone(raw) == digits


def test_masked_and_full_forms():
    assert mask_phone("01012345678") == "010-****-5678"
    assert mask_phone("0111234567") == "011-****-4567"
    assert mask_phone("") == ""
    assert format_phone("01012345678") == "010-1234-5678"


def test_reveal_needs_the_permission_and_is_audited(viewer, revealer, client_a):
    send = make_send("T1", client=client_a)
    assert send.masked_phone == "010-****-5678"
    with pytest.raises(PermissionDenied):
        phone_reveal(send=send, by=viewer)
    assert not AuditEvent.objects.filter(action="phone_revealed").exists()
    assert phone_reveal(send=send, by=revealer, reason="고객 문의") == "010-1234-5678"
    event = AuditEvent.objects.get(action="phone_revealed")
    assert event.actor == revealer and event.object_id == str(send.pk)
    assert event.context["reason"] == "고객 문의"
    assert "5678" not in str(event.changes) + event.object_repr
