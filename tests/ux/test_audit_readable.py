"""Audit trails read as words (issue 16, part 6): action codes translated, changes shown as
"field: before → after" with the record's own labels, on the portal and in the admin."""

import pytest

from erp.audit.models import AuditEvent
from erp.audit.services import audit_record
from tests.tickets.conftest import make_person

pytestmark = pytest.mark.django_db


def test_correction_history_is_translated(people):
    from erp.people.models import Department

    event = audit_record(
        Department.objects.first(), "approved", by=people["manager"], changes={"is_active": [True, False]}
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.action_label == "승인"
    assert event.readable_changes == [("사용 중", "예", "아니요")] or event.readable_changes[0][1:] == ("예", "아니요")


def test_unknown_codes_and_fields_stay_readable(people):
    from erp.people.models import Department

    event = audit_record(Department.objects.first(), "frobbed", by=people["manager"], changes={"nope": [None, "x"]})
    assert event.action_label == "frobbed"
    assert event.readable_changes == [("nope", "—", "x")]


def test_the_admin_shows_words_not_json(client, people):
    from erp.people.models import Department

    audit_record(Department.objects.first(), "token_issued", by=people["manager"], changes={"name": ["a", "b"]})
    admin = make_person("root", superuser=True)
    client.force_login(admin)
    html = client.get("/admin/audit/auditevent/").content.decode()
    assert "토큰 발급" in html
