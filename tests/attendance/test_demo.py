"""The demo data is realistic and idempotent."""

import io
from datetime import datetime

from attendance import demo
from attendance.models import Correction, DayState, Punch, WorkDay
from erp.people import demo as people_demo
from erp.workcalendar.calendar import KST

# A Wednesday morning: nine days back is a working Monday (the forgotten check-out with its
# correction) and the last complete week has no holiday (the week near 52 h).
DEMO_NOW = datetime(2026, 12, 2, 10, 0, tzinfo=KST)


def test_demo_seed_is_idempotent_and_covers_the_scenarios(db, time_machine):
    time_machine.move_to(DEMO_NOW)  # the punch services refuse punches from their future
    out = io.StringIO()
    people_demo.seed(out)
    demo.seed(out, now=DEMO_NOW)
    punches, days = Punch.objects.count(), WorkDay.objects.count()
    assert punches > 1000
    demo.seed(out, now=DEMO_NOW)
    assert (Punch.objects.count(), WorkDay.objects.count()) == (punches, days)
    assert WorkDay.objects.filter(location="remote").exists()
    assert WorkDay.objects.filter(location="client", place="삼성전자 수원사업장").exists()
    assert WorkDay.objects.filter(state=DayState.MISSING_CHECKOUT, employee__user__username="jihoon.kang").exists()
    assert Correction.objects.filter(status="pending").count() == 1
    assert Punch.objects.filter(employee=None, employee_identifier="7781").count() == 3
    night = WorkDay.objects.filter(employee__user__username="dohyun.park", date__week_day=7).exclude(last_out=None)
    assert any(d.last_out.astimezone(KST).date() > d.date for d in night)
    weeks = {}
    for wd in WorkDay.objects.filter(employee__user__username="seoyeon.lee"):
        weeks[wd.week_start] = weeks.get(wd.week_start, 0) + wd.worked_minutes
    assert 48 * 60 <= max(weeks.values()) <= 52 * 60
