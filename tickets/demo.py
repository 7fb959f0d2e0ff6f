"""Demo tickets: a few hundred realistic Korean tickets with history, for `seed_demo`.

Idempotent: it seeds only into an empty tickets table. The history is aged back from
``now``, the reference moment the caller passes (``seed_demo`` passes the real now, tests
pin one), so the same moment always gives the same tickets.

Tickets are created through the real services so every detail page has a genuine audit
timeline. To give them a past, the services run under a simulated clock: ``timezone.now``
is patched for the duration of the seed. The services and the ``auto_now`` fields they
save (ticket, comment, audit event) read ``timezone.now`` themselves; giving every service
a moment argument and overriding ``auto_now`` after each save would bend the production
API around the demo, so the patch stays, confined to this module and to one seed call.
The domain signals are muted while seeding: this is history, not news, and must not
flood Slack with hundreds of notifications.
"""

import random
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.dispatch import Signal
from django.utils import timezone

from erp.audit.actor import Actor
from erp.people.models import Department, Role
from erp.workcalendar.calendar import KST

from . import services, signals
from .models import Category, GroupSettings, Level, Ticket, TicketSettings, TicketSource, TicketType

TICKET_COUNT = 320

# category, default group code, escalation group code
CATEGORIES = [
    ("네트워크/VPN", "infra", "dev"),
    ("계정/권한", "infra", None),
    ("PC/하드웨어", "infra", None),
    ("소프트웨어 설치", "infra", None),
    ("메일/메신저", "infra", None),
    ("서버/클라우드", "infra", "dev"),
    ("사내 시스템 오류", "dev", "infra"),
    ("데이터 요청", "dev", None),
]

# category → [(type, title, description, impact, urgency)]
SCENARIOS = {
    "네트워크/VPN": [
        (
            "incident",
            "VPN 접속 장애",
            "재택근무 중 VPN 연결이 10분마다 끊깁니다. 클라이언트 재시작해도 동일합니다.",
            "medium",
            "high",
        ),
        (
            "incident",
            "3층 와이파이 속도 저하",
            "3층 회의실 근처에서 와이파이가 매우 느립니다. 화상회의가 끊겨요.",
            "medium",
            "medium",
        ),
        (
            "incident",
            "사내망 전체 접속 불가",
            "오전 9시부터 사내망 접속이 되지 않습니다. 여러 팀에서 동일 증상.",
            "high",
            "high",
        ),
        (
            "service_request",
            "VPN 계정 발급 요청",
            "신규 입사자 재택근무용 VPN 계정 발급 부탁드립니다.",
            "low",
            "medium",
        ),
    ],
    "계정/권한": [
        (
            "service_request",
            "그룹웨어 계정 비밀번호 초기화",
            "비밀번호 5회 오류로 계정이 잠겼습니다. 초기화 부탁드립니다.",
            "low",
            "high",
        ),
        ("service_request", "공유 드라이브 권한 요청", "마케팅 공유 드라이브 읽기 권한이 필요합니다.", "low", "medium"),
        (
            "service_request",
            "퇴사자 계정 비활성화",
            "이번 주 퇴사자 계정 비활성화 및 메일 백업 요청드립니다.",
            "medium",
            "medium",
        ),
        (
            "service_request",
            "급여 시스템 접근 권한 요청",
            "연말정산 업무로 급여 시스템 조회 권한이 필요합니다.",
            "medium",
            "medium",
        ),
    ],
    "PC/하드웨어": [
        (
            "incident",
            "노트북 부팅 불가",
            "노트북 전원은 들어오는데 부팅이 되지 않습니다. 파란 화면이 뜹니다.",
            "medium",
            "high",
        ),
        ("incident", "모니터 화면 깜빡임", "듀얼 모니터 중 한 대가 계속 깜빡입니다.", "low", "low"),
        ("incident", "프린터 용지 걸림", "2층 복합기에서 용지 걸림 메시지가 계속 나옵니다.", "low", "medium"),
        (
            "service_request",
            "신규 입사자 노트북 지급",
            "다음 주 월요일 입사자 노트북 세팅 부탁드립니다.",
            "low",
            "medium",
        ),
    ],
    "소프트웨어 설치": [
        (
            "service_request",
            "디자인 툴 라이선스 요청",
            "콘텐츠 제작용 디자인 툴 라이선스 1개 요청드립니다.",
            "low",
            "low",
        ),
        (
            "service_request",
            "개발 도구 설치 요청",
            "사내 보안 정책상 설치가 막혀 있어 IDE 설치 승인 부탁드립니다.",
            "low",
            "medium",
        ),
        ("incident", "오피스 프로그램 실행 오류", "엑셀 실행 시 라이선스 인증 오류가 발생합니다.", "medium", "medium"),
    ],
    "메일/메신저": [
        ("incident", "메일 발송 지연", "외부 고객사로 보내는 메일이 30분 이상 지연됩니다.", "medium", "high"),
        ("incident", "슬랙 알림이 오지 않음", "모바일에서 슬랙 알림이 오지 않습니다.", "low", "medium"),
        ("service_request", "메일링 리스트 생성 요청", "영업팀 전체 메일링 리스트를 만들어 주세요.", "low", "low"),
    ],
    "서버/클라우드": [
        (
            "incident",
            "결제 서버 장애",
            "결제 API 응답이 5초 이상 걸리고 일부 결제가 실패합니다. 고객 문의 급증.",
            "high",
            "high",
        ),
        ("incident", "배치 작업 실패", "새벽 정산 배치가 실패했습니다. 로그 첨부합니다.", "high", "medium"),
        ("incident", "디스크 사용량 경고", "운영 DB 서버 디스크 사용량 90% 초과 알림이 왔습니다.", "medium", "high"),
        (
            "service_request",
            "테스트 서버 생성 요청",
            "신규 프로젝트용 스테이징 서버 1대 요청드립니다.",
            "low",
            "medium",
        ),
    ],
    "사내 시스템 오류": [
        ("incident", "ERP 근태 화면 오류", "근태 조회 화면에서 500 오류가 납니다.", "medium", "medium"),
        (
            "incident",
            "쿠폰 발송 내역 조회 안 됨",
            "KT 기프티쇼 쿠폰 발송 이력이 어제부터 조회되지 않습니다.",
            "medium",
            "high",
        ),
        ("incident", "회의실 예약 중복", "같은 시간에 회의실이 두 번 예약되었습니다.", "low", "medium"),
    ],
    "데이터 요청": [
        ("service_request", "월간 매출 데이터 추출", "지난달 채널별 매출 데이터를 엑셀로 받고 싶습니다.", "low", "low"),
        ("service_request", "고객 문의 통계 요청", "분기별 고객 문의 유형 통계를 요청드립니다.", "low", "medium"),
    ],
}
SENSITIVE_HINTS = ("급여", "퇴사자")
AGENT_REPLIES = [
    "확인 중입니다. 잠시만 기다려 주세요.",
    "원격으로 접속해서 확인해 보겠습니다. 자리에 계신가요?",
    "관련 로그를 확인했습니다. 설정을 변경했으니 다시 시도해 보시겠어요?",
    "장비 교체가 필요해 보입니다. 내일 오전 중 방문드리겠습니다.",
    "요청하신 권한을 부여했습니다. 재로그인 후 확인 부탁드립니다.",
]
REQUESTER_REPLIES = [
    "네, 자리에 있습니다.",
    "다시 해봤는데 여전히 같은 증상입니다.",
    "확인했습니다. 이제 잘 됩니다. 감사합니다!",
    "스크린샷 첨부가 어려워서 증상만 다시 적습니다: 로그인 직후 멈춥니다.",
]
INTERNAL_NOTES = [
    "내부 메모: 같은 증상 지난주에도 있었음. 방화벽 정책 확인 필요.",
    "내부 메모: 벤더 기술지원 케이스 열어둠.",
    "내부 메모: 계정 잠금 이력 3회. 보안팀 공유 예정.",
]
# (score, comment): mostly content, a few unhappy.
RATINGS = [
    (5, ""), (5, "빠르게 해결해 주셔서 감사합니다."), (5, ""), (4, ""), (4, "친절하게 설명해 주셨어요."), (4, ""),
    (3, "해결은 됐는데 시간이 좀 걸렸어요."), (2, "같은 문제가 다시 생길까 걱정됩니다."),
    (1, "처음 요청이 오래 방치됐습니다."),
]  # fmt: skip

RESOLUTIONS = [
    "설정 초기화 후 정상 동작 확인했습니다.",
    "장비 교체로 해결되었습니다.",
    "권한 부여 완료했습니다.",
    "서버 재시작 및 캐시 정리로 해결했습니다.",
]


@contextmanager
def _simulated_clock(start: datetime):
    """Yields set(moment): services and auto_now fields see ``moment`` as the current time."""
    real_now = timezone.now
    state = {"now": start}
    timezone.now = lambda: state["now"]
    try:
        yield lambda moment: state.__setitem__("now", moment)
    finally:
        timezone.now = real_now


@contextmanager
def _muted_signals():
    muted = [getattr(signals, name) for name in dir(signals) if isinstance(getattr(signals, name), Signal)]
    saved = [(signal, signal.receivers) for signal in muted]
    for signal in muted:
        signal.receivers = []
        signal.sender_receivers_cache.clear()
    try:
        yield
    finally:
        for signal, receivers in saved:
            signal.receivers = receivers
            signal.sender_receivers_cache.clear()


def _working_moment(rng, now):
    """A random weekday office-hours moment in the last 30 days."""
    while True:
        day = (now - timedelta(days=rng.randint(0, 30))).date()
        if day.weekday() < 5:
            moment = datetime(day.year, day.month, day.day, rng.randint(9, 17), rng.randint(0, 59), tzinfo=KST)
            if moment < now - timedelta(minutes=30):
                return moment


def _setup():
    departments = {d.code: d for d in Department.objects.all()}
    if "infra" not in departments or "dev" not in departments:
        return None
    categories = {}
    for name, group_code, escalation_code in CATEGORIES:
        categories[name], _created = Category.objects.get_or_create(
            name=name,
            defaults={"default_group": departments[group_code], "escalation_group": departments.get(escalation_code)},
        )
    GroupSettings.objects.get_or_create(
        group=departments["infra"], defaults={"escalation_group": departments["dev"], "auto_assign": True}
    )
    GroupSettings.objects.get_or_create(group=departments["dev"], defaults={"escalation_group": departments["infra"]})
    if not TicketSettings.objects.exists():  # the help desk (인프라팀) takes what no category routes
        TicketSettings.objects.create(intake_group=departments["infra"])
    return categories


def seed(stdout, *, now: datetime, count: int = TICKET_COUNT):
    """Seeds ``count`` tickets whose history ends at ``now`` (aware); does nothing if tickets exist."""
    if Ticket.objects.exists():
        stdout.write(f"tickets: {Ticket.objects.count()} tickets already there, nothing seeded")
        return
    categories = _setup()
    if categories is None:
        stdout.write("tickets: people demo data missing (infra/dev), nothing seeded")
        return
    User = get_user_model()
    users = list(User.objects.filter(is_active=True, employee__isnull=False).select_related("employee"))
    staff = [u for u in users if u.employee.role == Role.STAFF] or users
    agents_by_group = {}
    for user in users:
        if user.employee.role in (Role.AGENT, Role.MANAGER) and user.employee.department:
            agents_by_group.setdefault(user.employee.department.code, []).append(user)
    rng = random.Random(2026)
    with _muted_signals(), _simulated_clock(now) as set_now:
        for index in range(count):
            _seed_one(rng, index, now, set_now, categories, staff, agents_by_group)
        set_now(now)
        services.sla_sweep(now)
    breached = Ticket.objects.filter(sla_state="breached").count()
    stdout.write(f"tickets: {Ticket.objects.count()} tickets ({breached} with a breached SLA)")


def _seed_one(rng, index, now, set_now, categories, staff, agents_by_group):
    category_name = rng.choice(list(SCENARIOS))
    ticket_type, title, description, impact, urgency = rng.choice(SCENARIOS[category_name])
    category = categories[category_name]
    group = category.default_group
    agents = agents_by_group.get(group.code, [])
    requester = rng.choice(staff)
    moment = _working_moment(rng, now)
    set_now(moment)
    if rng.random() < 0.15:  # a few impact/urgency variations, so every priority appears
        impact, urgency = rng.choice(list(Level.values)), rng.choice(list(Level.values))
    ticket = services.ticket_create(
        title=title,
        description=description,
        ticket_type=TicketType(ticket_type),
        category=category,
        impact=impact,
        urgency=urgency,
        sensitive=any(hint in title for hint in SENSITIVE_HINTS) or rng.random() < 0.03,
        source=rng.choice(
            [TicketSource.WEB, TicketSource.WEB, TicketSource.SLACK, TicketSource.SLACK, TicketSource.EMAIL]
        ),
        tags=rng.choice(["", "", "재택", "긴급", "신규입사", "보안"]),
        by=Actor(user=requester),
    )
    age_hours = (now - moment).total_seconds() / 3600
    fate = rng.random()
    if not agents or (fate < 0.2 and age_hours < 48):
        return  # left open (some of them will be breached by the final sweep)
    agent = ticket.assignee or rng.choice(agents)
    step = lambda minutes: moment + timedelta(minutes=minutes)  # noqa: E731
    reply_after = rng.choice([5, 20, 45, 90, 240, 600])
    set_now(min(step(reply_after), now))
    if ticket.assignee_id != agent.pk:
        # The group's manager dispatches (agents may not pick up sensitive tickets themselves).
        manager = next((u for u in agents if u.employee.role == Role.MANAGER), agent)
        ticket = services.ticket_assign(ticket=ticket, assignee=agent, by=Actor(user=manager))
    services.ticket_comment(ticket=ticket, body=rng.choice(AGENT_REPLIES), by=Actor(user=agent))
    if rng.random() < 0.4:
        services.ticket_comment(ticket=ticket, body=rng.choice(INTERNAL_NOTES), internal=True, by=Actor(user=agent))
    ticket = services.ticket_change_status(ticket=ticket, status="in_progress", by=Actor(user=agent))
    if fate < 0.35:
        if rng.random() < 0.4:
            set_now(min(step(reply_after + 30), now))
            services.ticket_change_status(
                ticket=ticket, status="pending", reason="요청자 확인 대기", by=Actor(user=agent)
            )
        return
    if rng.random() < 0.1:
        set_now(min(step(reply_after + 60), now))
        ticket = services.ticket_escalate(ticket=ticket, reason="상위 그룹 검토 필요", by=Actor(user=agent))
        if ticket.assignee_id is None:
            return
        agent = ticket.assignee
    set_now(min(step(reply_after + 90), now))
    services.ticket_comment(ticket=ticket, body=rng.choice(REQUESTER_REPLIES), by=Actor(user=ticket.requester))
    set_now(min(step(reply_after + rng.choice([120, 300, 900, 2400])), now))
    ticket = services.ticket_resolve(ticket=ticket, resolution=rng.choice(RESOLUTIONS), by=Actor(user=agent))
    if fate > 0.65:
        set_now(min(ticket.resolved_at + timedelta(hours=rng.choice([1, 4, 24])), now))
        ticket = services.ticket_close(ticket=ticket, by=Actor(user=ticket.requester))
    # Its own random stream, so adding ratings did not reshuffle the rest of the demo data.
    rating_rng = random.Random(f"rating-{index}")
    if rating_rng.random() < 0.6:  # most requesters answer the satisfaction question
        delay = timedelta(minutes=rating_rng.choice([10, 60, 240]))
        set_now(min((ticket.closed_at or ticket.resolved_at) + delay, now))
        score, comment = rating_rng.choice(RATINGS)
        services.ticket_rate(ticket=ticket, score=score, comment=comment, by=Actor(user=ticket.requester))
