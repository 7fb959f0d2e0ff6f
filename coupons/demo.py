"""Demo coupon sends: three clients, a dozen campaigns, 30 days of sends (≈ 20,000) with failures,
used and expired coupons, and a bizmoney balance. Idempotent (tr_ids are fixed: a re-run adds 0).

Stored through the import writer (COPY + upsert on PostgreSQL), like a Giftishow export would be.
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction

from erp.people.models import Department
from erp.workcalendar.calendar import KST

from .importing.writer import COLUMNS, Writer, update_columns
from .models import BizmoneySnapshot, Campaign, Client, Goods, PinStatus

DAYS = 30
CLIENTS = (("하루커피", "marketing"), ("한빛생명", "sales"), ("누리몰", "marketing"))
CAMPAIGNS = {
    "하루커피": ("겨울 신메뉴 출시 이벤트", "앱 리뷰 감사 쿠폰", "생일 축하 쿠폰", "단골 고객 감사제"),
    "한빛생명": ("보험 상담 완료 사은품", "가입 1주년 감사 선물", "설문 참여 경품", "지인 추천 이벤트"),
    "누리몰": ("블랙프라이데이 경품", "첫 구매 환영 쿠폰", "리뷰 작성 이벤트", "장바구니 알림 이벤트"),
}
# code, name, brand, sell price, consumer price, validity days
GOODS = (
    ("G00000182305", "아메리카노 T", "스타벅스", 4230, 4500, 30),
    ("G00000280811", "카페라떼 R", "투썸플레이스", 4700, 5000, 30),
    ("G00000193001", "바나나우유 240ml", "CU", 1600, 1700, 14),
    ("G00000350012", "모바일 상품권 1만원", "GS25", 9800, 10000, 30),
    ("G00000411107", "치킨 + 콜라 세트", "교촌치킨", 21150, 22500, 30),
    ("G00000120098", "파인트 아이스크림", "배스킨라빈스", 8930, 9500, 7),
)
FAILURES = (
    ("E0010", "비즈머니 잔액이 부족합니다."),
    ("E0101", "판매가 중지된 상품입니다."),
    ("ERR0817", "수신번호 오류"),
)


def seed(stdout, *, now: datetime) -> None:
    rng = random.Random(20261201)
    teams = {code: Department.objects.filter(code=code).first() for _name, code in CLIENTS}
    clients = {}
    for name, code in CLIENTS:
        clients[name], _ = Client.objects.get_or_create(name=name, defaults={"department": teams[code]})
    campaigns = [
        Campaign.objects.get_or_create(client=clients[client], name=name, defaults={"mms_title": name[:10]})[0]
        for client, names in CAMPAIGNS.items()
        for name in names
    ]
    goods = []
    for code, name, brand, price, consumer, validity in GOODS:
        item, _ = Goods.objects.get_or_create(
            code=code, defaults={"name": name, "brand": brand, "sell_price": price, "consumer_price": consumer}
        )
        goods.append((item, validity))
    today = now.astimezone(KST).date()
    rows = []
    for back in range(DAYS, 0, -1):
        day = today - timedelta(days=back)
        weekend = day.weekday() >= 5
        for campaign in campaigns:
            count = rng.randint(20, 90) // (3 if weekend else 1)
            item, validity = goods[(campaign.pk + back // 10) % len(goods)]
            for n in range(count):
                sent = datetime.combine(day, time(9, 0), KST) + timedelta(seconds=rng.randint(0, 11 * 3600))
                valid = datetime.combine(day + timedelta(days=validity), time(23, 59, 59), KST)
                failed = rng.random() < 0.03
                code, message = rng.choice(FAILURES) if failed else ("0000", "")
                if failed:
                    pin = ""
                elif valid < now:
                    pin = "02" if rng.random() < 0.55 else "08"
                else:
                    pin = "02" if rng.random() < min(0.6, back / 40) else "01"
                phone = f"010{rng.randint(2000, 9999)}{rng.randint(0, 9999):04d}"
                rows.append(
                    (
                        f"DEMO{day:%y%m%d}{campaign.pk:03d}{n:04d}",
                        campaign.client_id,
                        campaign.pk,
                        item.pk,
                        phone,
                        phone[-4:],
                        sent,
                        code,
                        message,
                        not failed,
                        not failed and rng.random() < 0.97,
                        "" if failed else f"2026{rng.randint(10**9, 10**10 - 1)}",
                        pin,
                        {"": "", "01": PinStatus.ISSUED, "02": PinStatus.USED, "08": PinStatus.EXPIRED}[pin],
                        valid if not failed else None,
                        item.sell_price if not failed else 0,
                        item.consumer_price if not failed else 0,
                    )
                )
    assert len(rows[0]) == len(COLUMNS)
    with transaction.atomic():
        writer = Writer(
            update_columns(
                (
                    "campaign",
                    "goods_code",
                    "result_code",
                    "order_no",
                    "pin_status_code",
                    "valid_until",
                    "sell_price",
                    "consumer_price",
                )
            ),
            now=now,
        )
        for start in range(0, len(rows), 5000):
            writer.add(rows[start : start + 5000])
        inserted, updated, _outcomes = writer.finish()
    if not BizmoneySnapshot.objects.exists():
        BizmoneySnapshot.objects.create(balance=3_250_000, checked_at=now - timedelta(hours=1))
    stdout.write(f"coupons: {len(clients)} clients, {len(campaigns)} campaigns, {len(rows)} sends ({inserted} new)")
