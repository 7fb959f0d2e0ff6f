"""A few hundred realistic Korean inquiries over two months (idempotent: safe to run again).

도입 문의, 견적 요청, 제휴 제안, 챗봇 데모 요청, 기술 지원 and some spam, from the website
form, the embedded widget, the API, e-mail and staff entry; in every state of the pipeline,
with assignees from the sales team, a few repeats from the same customer, shared ones for
marketing, tickets opened from some, and answer templates. Intake runs through the real
services (spam rules, duplicate links, audit); only the received moment is moved back
afterwards so the history spreads over the past weeks.
"""

import random
from datetime import timedelta

from erp.audit.actor import Actor
from erp.audit.models import Source
from erp.people.models import Department, Employee

from .models import AnswerTemplate, Category, Inquiry, InquirySource, RoutingRule, Site, Status
from .services import (
    clean_submission,
    inquiry_add_note,
    inquiry_assign,
    inquiry_change_status,
    inquiry_convert_to_ticket,
    inquiry_receive,
    inquiry_share,
)
from .services.intake import Visitor

COUNT = 320
DAYS_BACK = 60
SITE_KEY = "haru-main"
FAMILY = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = [
    "민수",
    "지영",
    "서준",
    "하은",
    "도윤",
    "수빈",
    "예린",
    "현우",
    "지호",
    "유진",
    "성민",
    "다은",
    "준혁",
    "채원",
    "태현",
]
COMPANIES = [
    "(주)한빛소프트",
    "대한물산",
    "세종로지스",
    "미래에셋판교",
    "그린에너지텍",
    "블루오션커머스",
    "동해식품",
    "서울디지털병원",
    "한강건설",
    "누리교육",
    "코리아핀테크",
    "별빛게임즈",
    "청솔제약",
    "하나로통신",
    "바른법무법인",
]
PRODUCTS = ["하루 챗봇", "하루 헬프데스크", "하루 근태", "하루 ERP 전체", ""]
TOPICS = {
    Category.ADOPTION: [
        (
            "사내 헬프데스크 챗봇 도입 문의",
            "직원 300명 규모 회사입니다. 사내 IT 문의를 챗봇으로 처리하고 싶은데 도입 절차가 궁금합니다.",
        ),
        (
            "ERP 도입 검토 중입니다",
            "현재 엑셀로 근태와 티켓을 관리하고 있습니다. 하루 ERP 도입 시 데이터 이전이 가능한지 알고 싶습니다.",
        ),
        ("Slack 연동 가능 여부", "저희는 Slack을 메인 메신저로 씁니다. 하루 ERP의 Slack 연동 범위를 알려 주세요."),
    ],
    Category.QUOTE: [
        (
            "견적 요청드립니다",
            "사용자 150명 기준 연간 라이선스 견적을 부탁드립니다. 온프레미스 설치 비용도 함께 알려 주세요.",
        ),
        ("챗봇 구축 비용 문의", "고객센터용 챗봇 구축 견적을 받고 싶습니다. 월 상담 건수는 약 2만 건입니다."),
        ("교육 기관 할인 문의", "대학교 행정실에서 사용하려고 합니다. 교육 기관 할인이 있는지 궁금합니다."),
    ],
    Category.PARTNERSHIP: [
        ("리셀러 제휴 제안", "지방 중소기업 대상 SI 회사입니다. 하루 ERP 리셀러 제휴를 제안드립니다."),
        ("공동 마케팅 제안", "HR 솔루션 회사입니다. 웨비나 공동 개최 등 마케팅 제휴를 논의하고 싶습니다."),
    ],
    Category.DEMO: [
        ("챗봇 데모 요청", "다음 주 중 30분 정도 온라인 데모를 받아 볼 수 있을까요? 팀장 세 명이 참석합니다."),
        ("현장 시연 요청", "본사 회의실에서 임원 대상 시연을 요청드립니다. 가능한 날짜를 알려 주세요."),
    ],
    Category.SUPPORT: [
        ("로그인이 되지 않습니다", "어제부터 SSO 로그인 후 빈 화면이 나옵니다. 확인 부탁드립니다."),
        ("근태 엑셀 내보내기 오류", "월별 근태 내보내기에서 한글 이름이 깨져 보입니다. 해결 방법이 있을까요?"),
    ],
}
SPAM = [
    "최저가 보장 http://cheap-seo.example http://rank-up.example http://backlink.example http://casino.example",
    "Buy followers now!!! www.followers.example www.likes.example www.views.example www.subs.example",
]
UTM = [
    ("naver", "cpc", "winter_promo"),
    ("google", "cpc", "brand"),
    ("facebook", "social", "webinar_dec"),
    ("", "", ""),
]
TEMPLATES = [
    (
        "견적 안내",
        Category.QUOTE,
        "[{{ number }}] 견적 안내드립니다",
        "{{ name }}님, 안녕하세요. 하루 ERP 영업팀 {{ agent }}입니다.\n\n문의하신 내용의 견적서를 첨부해 드립니다. "
        "궁금한 점은 언제든 회신 주세요.\n\n감사합니다.",
    ),
    (
        "데모 일정 안내",
        Category.DEMO,
        "[{{ number }}] 데모 일정 안내",
        "{{ name }}님, 데모 요청 감사합니다.\n\n"
        "가능하신 날짜와 시간을 두세 개 알려 주시면 일정을 잡아 드리겠습니다.\n\n{{ agent }} 드림",
    ),
    (
        "접수 확인",
        "",
        "[{{ number }}] 문의가 접수되었습니다",
        "{{ name }}님, 문의 주셔서 감사합니다. 담당자가 확인 후 영업일 기준 하루 안에 연락드리겠습니다.",
    ),
]


def seed(stdout, *, now):
    site, _created = Site.objects.get_or_create(
        key=SITE_KEY,
        defaults={
            "name": "하루 ERP 홈페이지",
            "allowed_origins": "https://www.haru-erp.example\nhttps://haru-erp.example",
        },
    )
    for name, category, subject, body in TEMPLATES:
        AnswerTemplate.objects.get_or_create(
            name=name, defaults={"category": category, "subject": subject, "body": body}
        )
    if Inquiry.objects.filter(submission_id__startswith="demo-").exists():
        stdout.write(f"inquiries: {Inquiry.objects.count()} already there")
        return
    _route_to_sales()  # with the first seed only: a later `make run` keeps an admin's choices
    sales = list(Employee.objects.filter(department__code="sales").select_related("user"))
    rng = random.Random(11)
    moments = {}
    for index in range(COUNT):
        received = now - timedelta(days=DAYS_BACK * (COUNT - index) / COUNT, minutes=rng.randint(0, 600))
        moments[_one(rng, index, site, sales, age=now - received).pk] = received
    # Received moments go back only now: the intake's duplicate window saw them all as recent,
    # so the deliberate repeats are linked to their first inquiry.
    for pk, received in moments.items():
        Inquiry.objects.filter(pk=pk).update(received_at=received)
    stdout.write(f"inquiries: {Inquiry.objects.count()} (spam {Inquiry.objects.filter(status=Status.SPAM).count()})")


def _route_to_sales() -> None:
    """Cards go to the sales team's channel (the demo's Slack preview shows them), unless an
    admin has set up routing already."""
    channel = Department.objects.filter(code="sales").values_list("slack_channel_id", flat=True).first()
    if channel and not RoutingRule.objects.exists():
        RoutingRule.objects.create(name="영업팀 채널", channel=channel, order=100)


def _one(rng, index, site, sales, *, age):
    spam = index % 11 == 5
    category = rng.choice(list(TOPICS)) if not spam else Category.OTHER
    subject, message = rng.choice(TOPICS[category]) if not spam else ("협찬 문의", rng.choice(SPAM))
    name = rng.choice(FAMILY) + rng.choice(GIVEN)
    # Every 25th inquiry repeats an earlier customer (the duplicate link shows on both).
    customer = index - 1 if index % 25 == 24 else index
    source, utm = rng.choice(list(InquirySource)), rng.choice(UTM)
    data = {
        "name": name,
        "company": COMPANIES[customer % len(COMPANIES)],
        "email": f"customer{customer}@{'example.co.kr' if customer % 2 else 'example.com'}",
        "phone": f"010-{2000 + customer:04d}-{(customer * 37) % 10000:04d}" if customer % 3 else "",
        "subject": subject,
        "message": message,
        "category": category,
        "product": rng.choice(PRODUCTS),
        "consent": rng.random() < 0.8,
        "utm_source": utm[0],
        "utm_medium": utm[1],
        "utm_campaign": utm[2],
        "submission_id": f"demo-{index}",
    }
    if spam and index % 2:
        data["website"] = "http://bot.example"
    by = Actor(source=Source.WEB if source != InquirySource.API else Source.API, context={"site": site.key})
    inquiry = inquiry_receive(
        submission=clean_submission(data, site=site),
        source=source,
        site=site,
        visitor=Visitor(ip_address=f"203.0.113.{index % 250 + 1}", user_agent="Mozilla/5.0 (demo)"),
        by=by,
    )
    if not spam and sales:
        _progress(rng, inquiry, sales, age=age)
    return inquiry


def _progress(rng, inquiry, sales, *, age):
    """Older inquiries are further along; the newest are still new."""
    person = rng.choice(sales)
    by = Actor(user=person.user, source=Source.WEB)
    roll = rng.random()
    if age < timedelta(days=1) and roll < 0.7:
        return
    inquiry = inquiry_assign(inquiry=inquiry, assignee=person.user, by=by)
    if roll < 0.15:
        inquiry_add_note(inquiry=inquiry, body="고객과 통화함. 다음 주 화요일 재연락 예정.", by=by)
        return
    if inquiry.category == Category.SUPPORT and roll < 0.5:
        inquiry_convert_to_ticket(inquiry=inquiry, ticket_type="incident", by=by)
    if inquiry.category in (Category.PARTNERSHIP, Category.DEMO) and roll < 0.6:
        inquiry_share(inquiry=inquiry, by=by)
    if age > timedelta(days=3):
        inquiry = inquiry_change_status(inquiry=inquiry, status=Status.ANSWERED, by=by)
        if age > timedelta(days=20) and roll > 0.5:
            inquiry_change_status(inquiry=inquiry, status=Status.CLOSED, by=by)
