"""Company calendar edits in the admin are audited, and the calendar picks them up at once."""

from datetime import date, datetime, time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from erp.audit.selectors import audit_trail
from erp.workcalendar.calendar import KST, get_calendar
from erp.workcalendar.models import CompanyDayOff, WorkingHours
from tests.admin_pages import form_data

pytestmark = pytest.mark.django_db

FRIDAY = date(2026, 10, 16)  # an ordinary Friday (no public holiday)


@pytest.fixture
def admin_user_obj(admin_client):
    return get_user_model().objects.get(username="admin")


def test_working_hours_changed_and_deleted(admin_client, admin_user_obj):
    friday = WorkingHours.objects.get(weekday=4)
    assert get_calendar().is_working_moment(datetime.combine(FRIDAY, time(17, 30), KST))
    url = reverse("admin:workcalendar_workinghours_change", args=[friday.pk])
    data = form_data(admin_client.get(url))
    data["end"] = "17:00:00"
    assert admin_client.post(url, data).status_code == 302

    event = audit_trail(friday).get()
    assert (event.action, event.changes) == ("updated", {"end": ["18:00:00", "17:00:00"]})
    assert (event.actor, event.source) == (admin_user_obj, "admin")
    assert not get_calendar().is_working_moment(datetime.combine(FRIDAY, time(17, 30), KST))

    delete = reverse("admin:workcalendar_workinghours_delete", args=[friday.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    deleted = audit_trail(friday).first()
    assert deleted.action == "deleted"
    assert deleted.changes == {"weekday": [4, None], "start": ["09:00:00", None], "end": ["17:00:00", None]}
    assert not get_calendar().is_working_day(FRIDAY)


def test_end_before_start_is_a_form_error(admin_client):
    monday = WorkingHours.objects.get(weekday=0)
    url = reverse("admin:workcalendar_workinghours_change", args=[monday.pk])
    data = form_data(admin_client.get(url))
    data["end"] = "08:00:00"
    response = admin_client.post(url, data)
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert not audit_trail(monday).exists()


def test_company_days_off_added_and_deleted_in_bulk(admin_client, admin_user_obj):
    assert get_calendar().is_working_day(FRIDAY)
    add = reverse("admin:workcalendar_companydayoff_add")
    for day, name in ((FRIDAY, "창립기념일"), (date(2026, 12, 31), "연말 휴무")):
        data = form_data(admin_client.get(add))
        data.update(date=day.isoformat(), name=name)
        assert admin_client.post(add, data).status_code == 302
    founding = CompanyDayOff.objects.get(date=FRIDAY)
    event = audit_trail(founding).get()
    assert (event.action, event.changes) == ("created", {"date": [None, "2026-10-16"], "name": [None, "창립기념일"]})
    assert (event.actor, event.source) == (admin_user_obj, "admin")
    assert not get_calendar().is_working_day(FRIDAY)  # the cached calendar was dropped

    days = list(CompanyDayOff.objects.all())
    response = admin_client.post(
        reverse("admin:workcalendar_companydayoff_changelist"),
        {"action": "delete_selected", "_selected_action": [d.pk for d in days], "post": "yes"},
    )
    assert response.status_code == 302 and not CompanyDayOff.objects.exists()
    for day in days:
        assert audit_trail(day).first().changes["name"] == [day.name, None]
    assert get_calendar().is_working_day(FRIDAY)
