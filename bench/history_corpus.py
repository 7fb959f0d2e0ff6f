"""The history search bench's corpus beyond tickets: inquiries, coupon sends, bookings, alerts.

Every table is loaded by COPY (psycopg 3 ``cursor.copy``) with its secondary indexes dropped
first and rebuilt after (from their own ``pg_indexes`` definitions, so nothing here restates a
migration), then VACUUM (ANALYZE)d. The columns a loader does not name get the Django field's
default, so a new model field with a default does not break the bench.

The three search terms are planted so their counts are known whatever the scale:

- 장애 (frequent): a few per cent of every module's text (see each loader's FREQUENT_EVERY);
- 감염 (rare): exactly RARE_COUNT rows per module, at fixed fractions of its history
  (old, middle, recent); in coupon sends: one campaign holding exactly RARE_COUNT sends;
- 누수 (absent): in no row at all (no template below holds it; ``check_absent`` verifies).
"""

import json
import random
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")
FREQUENT, RARE, ABSENT = "장애", "감염", "누수"
RARE_AT = (0.05, 0.5, 0.95)
RARE_COUNT = len(RARE_AT)
BASE = datetime(2026, 11, 30, 18, 0, tzinfo=KST)

SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["민준", "서연", "도윤", "하은", "지호", "수아", "예준", "지우", "현우", "채원", "준서", "다은"]
COMPANY_WORDS = ["한빛", "푸른", "새봄", "동해", "미래", "하나", "누리", "가온", "다올", "세움"]
COMPANY_KINDS = ["상사", "테크", "유통", "물산", "솔루션", "커머스", "건설", "제약"]
INQUIRY_SUBJECTS = ["챗봇 도입 문의", "견적 요청드립니다", "제휴 제안", "데모 신청", "요금제 문의", "계약 갱신 문의",
                    "기능 추가 요청", "API 연동 문의"]  # fmt: skip
INQUIRY_FREQUENT_SUBJECT = "서비스 장애 관련 문의"
INQUIRY_MESSAGES = ["안녕하세요. 자세한 안내 부탁드립니다.", "담당자 연락 부탁드립니다.",
                    "도입 일정과 비용이 궁금합니다.", "기존 시스템과 연동이 가능한지 알고 싶습니다.",
                    "다음 주 중 미팅 가능할까요?"]  # fmt: skip
INQUIRY_RARE_MESSAGE = "사내 PC 바이러스 감염 이후 보안 솔루션 도입을 검토하고 있습니다."
NOTE_BODIES = ["고객에게 회신 완료", "견적서 발송함", "다음 주 재연락 예정", "담당 영업에게 전달"]
NOTE_FREQUENT_BODY = "고객사 장애 이력 확인 필요"
CAMPAIGN_THEMES = ["신규 가입", "생일 축하", "이벤트 당첨", "설문 참여", "구매 감사", "재방문"]
CAMPAIGN_FREQUENT_THEME = "서비스 장애 보상"
CAMPAIGN_RARE_NAME = "감염병 예방 캠페인 기념품"
BOOKING_TITLES = ["주간 회의", "1:1 면담", "고객사 미팅", "채용 인터뷰", "스프린트 계획", "분기 리뷰", "교육"]
BOOKING_FREQUENT_TITLE = "장애 회고"
BOOKING_RARE_TITLE = "감염 예방 교육"
HOSTS = ["web-01", "web-02", "db-01", "db-02", "batch-01", "api-gw", "redis-01", "mq-01"]
ALERT_PROBLEMS = ["CPU 사용률 높음", "디스크 사용량 경고", "응답 시간 지연", "메모리 부족", "인증서 만료 임박",
                  "백업 실패", "큐 적체"]  # fmt: skip
ALERT_FREQUENT_PROBLEM = "서비스 장애"
ALERT_RARE_PROBLEM = "악성코드 감염 탐지"


def _name(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _company(rng):
    return f"(주){rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_KINDS)}"


def _rare_indexes(count):
    return {min(count - 1, int(count * at)) for at in RARE_AT}


# --- COPY with defaults, indexes dropped and rebuilt ---------------------------------------------
def _defaults(model, given):
    """(column names, default values) of the concrete fields the loader does not give."""
    from django.db.models import JSONField

    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in given:
            continue
        value = field.get_default()
        if isinstance(field, JSONField):
            value = json.dumps(value if value is not None else {})
        elif value is None and not field.null:
            value = False if field.get_internal_type() == "BooleanField" else BASE
        columns.append(field.column)
        values.append(value)
    return columns, tuple(values)


def copy_rows(model, given, rows):
    """COPY ``rows`` (tuples of the ``given`` attnames) into the model's table; returns the count."""
    from django.db import connection

    rest, defaults = _defaults(model, given)
    columns = ", ".join(f'"{c}"' for c in [*given, *rest])
    written = 0
    with connection.connection.cursor() as cursor:
        with cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row, *defaults))
                written += 1
    return written


def _secondary_indexes(table):
    """Definitions of the table's indexes that no constraint owns (those can be dropped)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [table],
        )
        return cursor.fetchall()


def loading(tables, load, *, truncate=True):
    """Run ``load()`` with the tables emptied (unless ``truncate`` is false) and their secondary
    indexes dropped, then rebuild the indexes (one build is much faster than a GIN insert per row)."""
    from django.db import connection

    began = time.perf_counter()
    saved = [definition for table in tables for definition in _secondary_indexes(table)]
    with connection.cursor() as cursor:
        if truncate:
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        for name, _definition in saved:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    counts = load()
    copied = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for _index, definition in saved:
            cursor.execute(definition)
        for table in tables:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    print(f"  {', '.join(f'{n:,} {t}' for t, n in counts.items())}: COPY {copied:.1f} s, "
          f"{len(saved)} indexes + VACUUM {time.perf_counter() - began - copied:.1f} s")  # fmt: skip


# --- the modules ---------------------------------------------------------------------------
FREQUENT_EVERY = 16  # about 6 % of the rows of each module carry 장애


def load_inquiries(count):
    from inquiries.models import Inquiry, Note

    rng = random.Random(14)
    rare = _rare_indexes(count)
    minutes = max(1, 3 * 365 * 24 * 60 // count)  # three years of inquiries

    def inquiries():
        for i in range(count):
            subject = INQUIRY_FREQUENT_SUBJECT if i % FREQUENT_EVERY == 3 else rng.choice(INQUIRY_SUBJECTS)
            message = INQUIRY_RARE_MESSAGE if i in rare else rng.choice(INQUIRY_MESSAGES)
            received = BASE - timedelta(minutes=(count - i) * minutes)
            status = rng.choices(["new", "in_progress", "answered", "closed", "spam"], [5, 5, 30, 55, 5])[0]
            yield ("web", received, _name(rng), _company(rng), subject, message, "adoption", status,
                   rng.random() < 0.3, received, f"bench-{i}")  # fmt: skip

    def notes():  # one note on every tenth inquiry
        for i in range(1, count + 1, 10):
            body = NOTE_FREQUENT_BODY if i % (FREQUENT_EVERY * 10) == 1 else rng.choice(NOTE_BODIES)
            yield i, body, BASE

    def load():
        given = ("source", "received_at", "customer_name", "company", "subject", "message", "category", "status",
                 "shared_with_marketing", "updated_at", "submission_id")  # fmt: skip
        return {
            "inquiries": copy_rows(Inquiry, given, inquiries()),
            "notes": copy_rows(Note, ("inquiry_id", "body", "created_at"), notes()),
        }

    loading(["inquiries_inquiry", "inquiries_note"], load)


def load_sends(count):
    from django.db import connection

    from coupons.models import Campaign, Client, SendLog

    with connection.cursor() as cursor:  # a previous corpus's clients and campaigns go too
        cursor.execute("TRUNCATE coupons_sendlog, coupons_campaign, coupons_client RESTART IDENTITY CASCADE")
    rng = random.Random(15)
    clients = [Client(name=f"{w}{k}", created_at=BASE) for w in COMPANY_WORDS for k in COMPANY_KINDS[:4]]
    Client.objects.bulk_create(clients)
    campaigns = []
    for n in range(400):
        theme = CAMPAIGN_FREQUENT_THEME if n % FREQUENT_EVERY == 5 else rng.choice(CAMPAIGN_THEMES)
        campaigns.append(
            Campaign(client=clients[n % len(clients)], name=f"{n // 12 + 1}월 {theme} {n}", created_at=BASE)
        )
    rare_campaign = Campaign(client=clients[0], name=CAMPAIGN_RARE_NAME, created_at=BASE)
    Campaign.objects.bulk_create([*campaigns, rare_campaign])
    rare = _rare_indexes(count)
    seconds = max(1, 2 * 365 * 24 * 3600 // count)  # two years of sends

    def sends():
        for i in range(count):
            campaign = rare_campaign if i in rare else campaigns[rng.randrange(len(campaigns))]
            phone = f"010{rng.randrange(10**8):08d}"
            sent = BASE - timedelta(seconds=(count - i) * seconds)
            yield (f"TR{i:010d}", phone, phone[-4:], sent, "0000", "발송 성공", True, True, f"ORD{i:010d}",
                   campaign.client_id, campaign.pk, sent)  # fmt: skip

    def load():
        given = ("tr_id", "phone", "phone_last4", "sent_at", "result_code", "result_message", "succeeded", "delivered",
                 "order_no", "client_id", "campaign_id", "updated_at")  # fmt: skip
        return {"coupon sends": copy_rows(SendLog, given, sends())}

    loading(["coupons_sendlog"], load)


def load_bookings(count):
    from erp.people.models import Employee
    from meetings.models import Booking, Room

    rng = random.Random(16)
    rooms = [Room.objects.get_or_create(name=f"벤치 회의실 {n + 1}", defaults={"capacity": 8})[0] for n in range(20)]
    organizers = list(Employee.objects.values_list("pk", flat=True))
    rare = _rare_indexes(count)
    slots = count // len(rooms) + 1

    def bookings():
        for i in range(count):
            title = BOOKING_RARE_TITLE if i in rare else (
                BOOKING_FREQUENT_TITLE if i % FREQUENT_EVERY == 7 else rng.choice(BOOKING_TITLES))  # fmt: skip
            start = BASE - timedelta(hours=slots - i // len(rooms))  # one hour after another in each room
            yield (rooms[i % len(rooms)].pk, title, rng.choice(organizers), start, start + timedelta(minutes=50),
                   "confirmed", "web", rng.random() < 0.1, start, start)  # fmt: skip

    def load():
        given = ("room_id", "title", "organizer_id", "start", "end", "status", "source", "is_private",
                 "created_at", "updated_at")  # fmt: skip
        return {"bookings": copy_rows(Booking, given, bookings())}

    loading(["meetings_booking"], load)


ITEMS_PER_GROUP = 5


def load_alerts(items):
    from alerts.models import AlertGroup, Item, Source

    rng = random.Random(17)
    sources = [
        Source.objects.get_or_create(name=f"벤치 모니터링 {n + 1}", defaults={"kind": "webhook", "token": f"bench{n}"})[
            0
        ]
        for n in range(8)
    ]
    count = max(1, items // ITEMS_PER_GROUP)
    rare = _rare_indexes(count)
    minutes = max(1, 2 * 365 * 24 * 60 // count)
    titles = {}

    def groups():
        for i in range(count):
            problem = ALERT_RARE_PROBLEM if i in rare else (
                ALERT_FREQUENT_PROBLEM if i % FREQUENT_EVERY == 9 else rng.choice(ALERT_PROBLEMS))  # fmt: skip
            host = rng.choice(HOSTS)
            title = titles[i] = f"[{host}] {problem}"
            seen = BASE - timedelta(minutes=(count - i) * minutes)
            yield (sources[i % len(sources)].pk, f"{host}/{i}", title, "resolved" if rng.random() < 0.9 else "firing",
                   "error", seen - timedelta(minutes=30), seen, ITEMS_PER_GROUP, f"{host}: {problem}")  # fmt: skip

    def item_rows():
        for i in range(count * ITEMS_PER_GROUP):
            group = i // ITEMS_PER_GROUP
            received = BASE - timedelta(minutes=(count - group) * minutes) + timedelta(seconds=i % ITEMS_PER_GROUP)
            yield (sources[group % len(sources)].pk, group + 1, "alert", f"bench-{i}", titles[group], "firing",
                   "error", received)  # fmt: skip

    def load():
        given = ("source_id", "key", "title", "state", "severity", "first_seen", "last_seen", "count", "summary")
        done = {"alert groups": copy_rows(AlertGroup, given, groups())}
        item_given = ("source_id", "group_id", "kind", "external_id", "title", "status", "severity", "received_at")
        done["alert items"] = copy_rows(Item, item_given, item_rows())
        return done

    loading(["alerts_alertgroup", "alerts_item"], load)


def check_absent():
    """The absent term must be in no searched column of any table (a LIKE scan of each, once)."""
    from erp.core.search import RelatedText, search_sources

    for source in search_sources():
        for field in source.fields:
            if isinstance(field, RelatedText):
                rows = field.model._default_manager.filter(**{f"{field.field}__contains": ABSENT})
            else:
                rows = source.model._default_manager.filter(**{f"{field}__contains": ABSENT})
            if rows.exists():
                raise SystemExit(f"{ABSENT} was meant to be absent but is in {source.key}.{field}")
