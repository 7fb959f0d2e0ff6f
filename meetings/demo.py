"""Demo meeting rooms and a month of bookings around ``now`` (idempotent: safe to run again).

* Eight rooms on two floors (3층, 4층) with Korean names, capacities and equipment; the
  rooms channel and 4층's own channel for the notifier.
* Daily stand-ups of the dev team (a recurring series, one occurrence cancelled, one moved),
  weekly team meetings, a private HR meeting (인사 면담, title hidden), client-site meetings
  for sales (prefilling attendance), and a no-show released yesterday.
* Past bookings (two weeks back) so the history search has something to find.

Everything goes through meetings.services with the system actor (audited as "demo").
"""

import random
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError

from erp.audit.actor import Actor
from erp.core.errors import ConflictError
from erp.people.models import Employee
from erp.workcalendar.calendar import KST, get_calendar

from .models import Booking, MeetingSettings, Room
from .services import booking_cancel, booking_create, booking_move, booking_release, series_create

ROOMS = [
    ("한강", "3층", 6, "TV, 화이트보드", ""),
    ("북한산", "3층", 8, "TV, 화상회의", ""),
    ("설악", "3층", 4, "화이트보드", ""),
    ("포커스룸 A", "3층", 2, "", ""),
    ("제주", "4층", 12, "빔프로젝터, 화상회의", "C0ROOMS4F1"),
    ("독도", "4층", 6, "TV", "C0ROOMS4F1"),
    ("백두", "4층", 10, "TV, 화상회의", "C0ROOMS4F1"),
    ("대회의실", "4층", 24, "빔프로젝터, 마이크, 화상회의", "C0ROOMS4F1"),
]
ROOMS_CHANNEL = "C0ROOMS001"
TOPICS = ["주간 회의", "스프린트 계획", "디자인 리뷰", "예산 검토", "채용 면접", "고객 데모 준비", "분기 실적 리뷰",
          "보안 점검 회의", "신규 입사자 OT", "마케팅 캠페인 회의", "장애 회고", "1:1 미팅"]  # fmt: skip
CLIENT_MEETINGS = [("hyunwoo.lim", "삼성전자 수원사업장"), ("soyeon.han", "현대자동차 양재사옥")]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), KST)


def _people() -> dict:
    return {e.user.username: e for e in Employee.objects.select_related("user")}


def _working_days(first: date, last: date) -> list[date]:
    calendar = get_calendar()
    days, day = [], first
    while day <= last:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def seed(stdout, *, now: datetime):
    rooms = {}
    for name, floor, capacity, equipment, channel in ROOMS:
        rooms[name], _ = Room.objects.get_or_create(
            name=name,
            defaults={"floor": floor, "capacity": capacity, "equipment": equipment, "slack_channel_id": channel},
        )
    if not MeetingSettings.objects.exists():
        MeetingSettings.objects.create(rooms_channel_id=ROOMS_CHANNEL, buffer_minutes=0)
    if Booking.objects.filter(room__in=rooms.values()).exists():
        stdout.write("meetings: demo bookings already present")
        return
    people = _people()
    if not people:
        stdout.write("meetings: no employees yet (run the people demo first)")
        return
    by = Actor.system(demo="meetings")
    rng = random.Random(20261202)
    today = now.astimezone(KST).date()
    everyone = list(people.values())
    lead = people.get("hayoon.jung") or everyone[0]
    dev = [people[u] for u in ("jihoon.kang", "sua.cho", "yejun.yoon") if u in people]
    made = 0

    def book(room, start, end, title, organizer, **kwargs):
        nonlocal made
        try:
            booking = booking_create(
                room=rooms[room],
                title=title,
                organizer=organizer,
                start=start,
                end=end,
                by=by,
                source="admin",
                **kwargs,
            )
        except (ConflictError, ValidationError):
            return None  # a taken slot: the random plan skips it
        made += 1
        return booking

    # The dev stand-up: every working morning for a month, as one series.
    first_day = next(d for d in _working_days(today - timedelta(days=14), today + timedelta(days=7)))
    try:
        standup = series_create(
            room=rooms["설악"],
            title="개발팀 데일리 스탠드업",
            organizer=lead,
            rrule="FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
            first_start=_at(first_day, 9, 30),
            duration_minutes=15,
            attendees=dev,
            until=_at(today + timedelta(days=30), 0),
            by=by,
        )
    except (ConflictError, ValidationError) as exc:
        stdout.write(f"meetings: stand-up series skipped ({exc})")
        standup = None
    if standup is not None:
        upcoming = list(standup.bookings.filter(start__gt=now).order_by("start")[:4])
        if len(upcoming) >= 3:
            booking_cancel(booking=upcoming[1], by=by, reason="팀 워크숍")
            booking_move(booking=upcoming[2], start=upcoming[2].start + timedelta(minutes=30),
                         end=upcoming[2].end + timedelta(minutes=30), by=by)  # fmt: skip
        made += standup.bookings.count()
    # A private HR meeting: others see "예약됨".
    hr = people.get("siwoo.hwang") or everyone[0]
    future = _working_days(today + timedelta(days=1), today + timedelta(days=10))
    if future:
        book("포커스룸 A", _at(future[0], 16), _at(future[0], 17), "인사 면담 (연봉 협상)", hr, is_private=True,
             attendees=[people.get("jihoon.kang") or everyone[-1]])  # fmt: skip
        for username, place in CLIENT_MEETINGS:
            if username in people:
                book("독도", _at(future[-1], 8), _at(future[-1], 9), f"{place} 미팅 준비", people[username],
                     client_place=place)  # fmt: skip
    # A no-show yesterday (or the last working day): released ten minutes after its start.
    past = _working_days(today - timedelta(days=7), today - timedelta(days=1))
    if past:
        start = _at(past[-1], 8, 0)
        noshow = book("대회의실", start, start + timedelta(hours=1), "전사 타운홀 리허설", everyone[0])
        if noshow is not None:
            booking_release(booking=noshow, by=by, now=start + timedelta(minutes=11))
    # Busy working days: meetings from 10:00 to 18:00 in random rooms.
    for day in _working_days(today - timedelta(days=14), today + timedelta(days=30)):
        for _ in range(rng.randint(6, 12)):
            hour = rng.randint(10, 17)
            length = rng.choice([30, 60, 60, 90])
            start = _at(day, hour, rng.choice([0, 30]))
            organizer = rng.choice(everyone)
            attendees = rng.sample(everyone, k=min(len(everyone), rng.randint(1, 4)))
            book(rng.choice(list(rooms)), start, start + timedelta(minutes=length), rng.choice(TOPICS), organizer,
                 attendees=attendees)  # fmt: skip
    stdout.write(f"meetings: {len(rooms)} rooms, {made} bookings")
