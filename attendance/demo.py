"""Two months of realistic attendance for the demo employees (idempotent: safe to run again).

* Office days at the fingerprint reader of Seoul HQ (some readers send no direction).
* Remote Wednesdays for the dev team and client-site days for sales, checked in via Slack.
* A forgotten check-out (with a pending correction request), a never-corrected one.
* A week near 52 h for 이서연 (crosses the 48 h warning), a night maintenance across midnight.
* Punches from a badge nobody mapped yet ("7781"), for the admin's unmatched-punch screen.
* This morning's check-ins (up to now), so the team view shows who is in.

Everything is laid out around ``now``, the moment the caller treats as the present
(``seed_demo`` passes the real now). The punch and correction services still check times
against their own clock (a punch from the future is refused), so tests that pin ``now``
travel the clock to the same moment.
"""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from erp.audit.actor import Actor
from erp.audit.models import Source
from erp.people.models import Employee
from erp.workcalendar.calendar import KST, get_calendar

from .derivation import local_date, week_start_of
from .models import Correction, Device, Location, Punch, PunchSource
from .services import correction_request, punches_ingest
from .services.weekly import after_punches

DAYS_BACK = 61
DEVICE_CODE = "seoul-hq-1f"
DEV_TEAM = {"hayoon.jung", "jihoon.kang", "sua.cho", "yejun.yoon"}
CLIENT_VISITORS = {"hyunwoo.lim": "삼성전자 수원사업장", "soyeon.han": "현대자동차 양재사옥"}
LONG_WEEK_PERSON = "seoyeon.lee"
NIGHT_PERSON = "dohyun.park"
FORGETFUL = "jihoon.kang"
UNMAPPED_BADGE = "7781"


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), KST)


def _device() -> Device:
    device, _ = Device.objects.get_or_create(
        code=DEVICE_CODE,
        defaults={"name": "본사 1층 지문인식기", "location": Location.OFFICE, "place": "본사 1층 로비"},
    )
    return device


def _plan(employee: Employee, day: date, today: date, rng: random.Random, long_week: date) -> dict | None:
    """The day's shape for one person: where, check-in, check-out (None = forgot)."""
    username = employee.user.username
    start = _at(day, 8, 40) + timedelta(minutes=rng.randint(0, 40))
    end = _at(day, 18, 0) + timedelta(minutes=rng.randint(0, 80))
    plan = {"location": Location.OFFICE, "place": "", "in": start, "out": end}
    if username in DEV_TEAM and day.weekday() == 2:
        plan.update(location=Location.REMOTE)
    if username in CLIENT_VISITORS and day.weekday() == 3:
        plan.update(location=Location.CLIENT, place=CLIENT_VISITORS[username])
    if username == LONG_WEEK_PERSON and week_start_of(day) == long_week:
        plan.update(**{"in": _at(day, 8, 0), "out": _at(day, 19, 0) + timedelta(minutes=rng.randint(0, 15))})
    if username == FORGETFUL and day in (today - timedelta(days=9), today - timedelta(days=23)):
        plan["out"] = None
    return plan


def seed(stdout, *, now: datetime):
    today = now.astimezone(KST).date()
    calendar = get_calendar()
    device = _device()
    employees = list(
        Employee.objects.filter(user__is_active=True).exclude(user__username="admin").select_related("user")
    )
    if not employees:
        stdout.write("attendance: no employees (run the people demo first)")
        return
    # The last complete week is the one near 52 h.
    long_week = week_start_of(today) - timedelta(days=7)
    device_items: dict[str, list] = defaultdict(list)
    personal: list[tuple[Employee, dict]] = []
    for employee in employees:
        rng = random.Random(f"{employee.user.username}-attendance")
        for offset in range(DAYS_BACK, -1, -1):
            day = today - timedelta(days=offset)
            if not calendar.is_working_day(day):
                continue
            plan = _plan(employee, day, today, rng, long_week)
            if day == today:
                # Only what already happened: check-ins before now, no check-outs yet.
                if plan["in"] >= now:
                    continue
                plan["out"] = None
            if plan["location"] == Location.OFFICE:
                key = f"demo-{employee.user.username}-{day:%Y%m%d}"
                known_direction = rng.random() < 0.7
                device_items[employee.user.username].append(
                    {
                        "event_id": f"{key}-in",
                        "employee": employee.employee_no,
                        "timestamp": plan["in"].isoformat(),
                        "direction": "in" if known_direction else None,
                    }
                )
                if plan["out"] is not None:
                    device_items[employee.user.username].append(
                        {
                            "event_id": f"{key}-out",
                            "employee": employee.employee_no,
                            "timestamp": plan["out"].isoformat(),
                            "direction": "out" if known_direction else None,
                        }
                    )
            else:
                personal.append((employee, {**plan, "day": day}))
    by_username = {e.user.username: e for e in employees}
    night = by_username.get(NIGHT_PERSON)
    if night:
        # Night maintenance: Saturday 22:00 → Sunday 02:30 belongs to Saturday.
        saturday = week_start_of(today) - timedelta(days=9)
        device_items[NIGHT_PERSON] += [
            {"event_id": f"demo-night-{saturday}-in", "employee": night.employee_no,
             "timestamp": _at(saturday, 22, 0).isoformat(), "direction": "in"},
            {"event_id": f"demo-night-{saturday}-out", "employee": night.employee_no,
             "timestamp": _at(saturday + timedelta(days=1), 2, 30).isoformat(), "direction": "out"},
        ]  # fmt: skip
    for offset, minute in ((3, 5), (2, 12), (1, 2)):
        day = today - timedelta(days=offset)
        device_items["_unmapped"].append(
            {"event_id": f"demo-badge-{UNMAPPED_BADGE}-{day}", "employee": UNMAPPED_BADGE,
             "timestamp": _at(day, 9, minute).isoformat(), "direction": "in"}
        )  # fmt: skip
    accepted = 0
    for items in device_items.values():
        for start in range(0, len(items), 500):
            accepted += punches_ingest(device=device, items=items[start : start + 500]).accepted
    accepted += _personal_punches(personal, now)
    _pending_correction(by_username, today)
    stdout.write(f"attendance: {accepted} new punches, {Punch.objects.count()} in the ledger")


def _personal_punches(plans, now: datetime) -> int:
    """Remote and client-site days checked in (and out) via Slack, once per demo key."""
    existing = set(Punch.objects.filter(device=None, raw__has_key="demo_key").values_list("raw__demo_key", flat=True))
    rows, dates = [], defaultdict(set)
    for employee, plan in plans:
        for direction in ("in", "out"):
            moment = plan[direction]
            key = f"demo-{employee.user.username}-{plan['day']:%Y%m%d}-{direction}"
            if moment is None or key in existing:
                continue
            rows.append(
                Punch(
                    source=PunchSource.SLACK,
                    employee=employee,
                    employee_identifier=employee.employee_no or "",
                    at=moment,
                    direction=direction,
                    location=plan["location"],
                    place=plan["place"],
                    raw={"source": "slack", "demo_key": key},
                    entered_by=employee.user,
                )
            )
            dates[employee.pk].add(local_date(moment))
    if rows:
        Punch.objects.bulk_create(rows, batch_size=500)
        after_punches(dict(dates), punches_by_key={}, by=Actor.system(job="seed_demo"), now=now)
    return len(rows)


def _pending_correction(by_username, today: date) -> None:
    employee = by_username.get(FORGETFUL)
    if employee is None:
        return
    day = today - timedelta(days=9)
    if Correction.objects.filter(employee=employee, date=day).exists() or not get_calendar().is_working_day(day):
        return
    correction_request(
        employee=employee,
        date=day,
        proposed_in=None,
        proposed_out=_at(day, 18, 40),
        reason="퇴근할 때 지문 인식을 깜빡했습니다. 18:40에 퇴근했습니다.",
        by=Actor(user=employee.user, source=Source.WEB),
    )
