"""The columns an import understands, how a file's header maps onto them, and one row's checks.

Headers are matched case-insensitively, ignoring spaces and underscores, against English
names, Giftishow's API field names (``recverTelNo``, ``pinStatusCd`` …) and the Korean names of
the Giftishow admin export and the company's own sheets. A person can override the mapping on
the preview page. Dates come in three shapes, all read as KST unless they carry an offset:
``2026-11-30 14:05:00`` (ISO, ``T`` or seconds optional), ``20261130140500`` (Giftishow) and
``2026.11.30 14:05`` or ``2026/11/30`` (Korean Excel).
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.workcalendar.calendar import KST

from ..phones import normalize_phone
from .reading import WHOLE_ROW


@dataclass(frozen=True)
class Field:
    key: str
    label: object
    aliases: tuple[str, ...]
    required: bool = False


FIELDS = (
    Field("tr_id", gettext_lazy("Transaction id"), ("trid", "거래번호", "거래id", "트랜잭션id", "tr번호"), True),
    Field(
        "client", gettext_lazy("Client"), ("client", "clientname", "고객사", "고객사명", "거래처", "클라이언트"), True
    ),
    Field("campaign", gettext_lazy("Campaign"), ("campaign", "event", "캠페인", "캠페인명", "이벤트", "이벤트명")),
    Field("goods_code", gettext_lazy("Goods code"), ("goodscode", "goodscd", "상품코드")),
    Field("goods_name", gettext_lazy("Goods name"), ("goodsname", "goodsnm", "goods", "상품명")),
    Field("brand", gettext_lazy("Brand"), ("brand", "brandname", "brandnm", "브랜드", "브랜드명")),
    Field(
        "phone",
        gettext_lazy("Recipient phone"),
        ("phone", "phoneno", "recvertelno", "recipient", "수신번호", "수신자번호", "휴대폰", "휴대폰번호", "전화번호"),
        True,
    ),
    Field("sent_at", gettext_lazy("Sent at"), ("sentat", "senddate", "senddt", "발송일시", "발송일", "발송시각"), True),
    Field("result_code", gettext_lazy("Result code"), ("resultcode", "sendrstcd", "결과코드", "발송결과코드")),
    Field("result_message", gettext_lazy("Result message"), ("resultmessage", "sendrstmsg", "결과메시지", "발송결과")),
    Field("order_no", gettext_lazy("Order number"), ("orderno", "ordernumber", "주문번호")),
    Field(
        "pin_status_code",
        gettext_lazy("PIN status code"),
        ("pinstatuscode", "pinstatuscd", "핀상태코드", "쿠폰상태코드"),
    ),
    Field(
        "valid_until",
        gettext_lazy("Valid until"),
        ("validuntil", "validprdenddt", "유효기간", "유효기간만료일", "만료일"),
    ),
    Field("sell_price", gettext_lazy("Sell price"), ("sellprice", "sellpriceamt", "판매가", "실판매단가", "판매단가")),
    Field(
        "consumer_price",
        gettext_lazy("Consumer price"),
        ("consumerprice", "cnsmpriceamt", "정상가", "소비자가", "정상판매단가"),
    ),
)
FIELD_KEYS = tuple(field.key for field in FIELDS)
REQUIRED = tuple(field.key for field in FIELDS if field.required)
LABELS = {field.key: field.label for field in FIELDS} | {"line": gettext_lazy("Whole line")}


def _norm(name: str) -> str:
    return str(name).strip().lower().replace(" ", "").replace("_", "").replace("-", "")


def auto_mapping(header: list[str]) -> dict[str, int]:
    """{field key: column index} for the columns recognised in ``header``."""
    names = [_norm(h) for h in header]
    mapping = {}
    for field in FIELDS:
        for alias in (_norm(field.key), *field.aliases):
            if alias in names:
                mapping[field.key] = names.index(alias)
                break
    return mapping


def missing_required(mapping: dict[str, int], *, client_given: bool = False) -> list[str]:
    return [key for key in REQUIRED if key not in mapping and not (key == "client" and client_given)]


class RowError(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


def parse_moment(value, *, end_of_day: bool = False) -> datetime:
    """A KST-aware datetime from one of the three date shapes (or an XLSX date cell)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time.max if end_of_day else time.min)
    else:
        text = value.strip()
        if text.isdigit() and len(text) in (8, 12, 14):
            parts = [int(text[0:4]), int(text[4:6]), int(text[6:8])]
            if len(text) == 8:
                moment = datetime(*parts, 23, 59, 59) if end_of_day else datetime(*parts)
            else:
                moment = datetime(*parts, int(text[8:10]), int(text[10:12]), int(text[12:14] or 0))
        else:
            if "." in text[:10] or "/" in text[:10]:
                day, _sep, clock = text.partition(" ")
                pieces = day.replace("/", ".").rstrip(".").split(".")
                if len(pieces) != 3:
                    raise ValueError(text)
                text = f"{int(pieces[0]):04d}-{int(pieces[1]):02d}-{int(pieces[2]):02d}" + (
                    f" {clock.strip()}" if clock.strip() else ""
                )
            moment = datetime.fromisoformat(text)
            if end_of_day and len(text) == 10:
                moment = datetime.combine(moment.date(), time(23, 59, 59))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=KST)
    return moment


# The largest price the send log stores (a PostgreSQL integer): more is a typo, not a coupon.
MAX_AMOUNT = 2_147_483_647


def _price(value) -> int:
    text = str(value).strip().replace(",", "").replace("원", "")
    if not text:
        return 0
    number = float(text)
    if number < 0 or number != int(number):
        raise ValueError(text)
    return int(number)


@dataclass(slots=True)
class CleanRow:
    tr_id: str
    client: str
    campaign: str
    goods_code: str
    goods_name: str
    brand: str
    phone: str
    sent_at: datetime
    result_code: str
    result_message: str
    order_no: str
    pin_status_code: str
    valid_until: datetime | None
    sell_price: int | None
    consumer_price: int | None


class RowParser:
    """Turns a row's cells into a CleanRow, raising RowError for the first bad cell.

    The hot loop of a million-row import: cells are picked by precomputed positions and the
    common shapes (``010-1234-5678``, ``2026-11-30 14:05:00``) take short paths.
    """

    def __init__(self, mapping: dict[str, int], *, client: str = ""):
        self.mapping = mapping
        self.default_client = client
        self.columns = {index: key for key, index in mapping.items()}
        self.positions = tuple(mapping.get(key, -1) for key in FIELD_KEYS)
        self.width = max(mapping.values()) + 1 if mapping else 0
        self.has_prices = ("sell_price" in mapping, "consumer_price" in mapping)

    def parse(self, cells: list, cell_errors: dict[int, str]) -> CleanRow:
        if cell_errors:
            index, reason = next(iter(cell_errors.items()))
            raise RowError("line" if index == WHOLE_ROW else self.columns.get(index, str(index + 1)), reason)
        if len(cells) < self.width:
            cells = [*cells, *([""] * (self.width - len(cells)))]
        values = [cells[i] if i >= 0 else "" for i in self.positions]
        values = [v.strip() if v.__class__ is str else ("" if v is None else v) for v in values]
        (tr_id, client, campaign, goods_code, goods_name, brand, phone_raw, raw_sent, code, message, order_no, pin,
         raw_valid, sell, consumer) = values  # fmt: skip
        if tr_id.__class__ is not str:
            tr_id = str(tr_id)
        if not tr_id:
            raise RowError("tr_id", _("The transaction id is empty."))
        if len(tr_id) > 40:
            raise RowError("tr_id", _("The transaction id is longer than 40 characters."))
        client = str(client) or self.default_client
        if not client:
            raise RowError("client", _("The client is empty."))
        phone_raw = str(phone_raw)
        if len(phone_raw) == 13 and phone_raw[3] == "-" and phone_raw[8] == "-" and phone_raw.startswith("010"):
            phone = phone_raw[:3] + phone_raw[4:8] + phone_raw[9:]
            phone = phone if phone.isdigit() else None
        elif len(phone_raw) == 11 and phone_raw.startswith("010") and phone_raw.isdigit():
            phone = phone_raw
        else:
            phone = normalize_phone(phone_raw)
        if phone is None:
            raise RowError("phone", _("Not a Korean mobile number."))
        if raw_sent == "":
            raise RowError("sent_at", _("The send time is empty."))
        try:
            if raw_sent.__class__ is str and len(raw_sent) == 19 and raw_sent[10] == " " and raw_sent[4] == "-":
                sent_at = datetime.fromisoformat(raw_sent).replace(tzinfo=KST)
            else:
                sent_at = parse_moment(raw_sent)
        except (ValueError, TypeError):
            raise RowError(
                "sent_at", _("Not a date and time (use 2026-11-30 14:05, 20261130140500 or 2026.11.30 14:05).")
            )
        try:
            valid_until = parse_moment(raw_valid, end_of_day=True) if raw_valid != "" else None
        except (ValueError, TypeError):
            raise RowError("valid_until", _("Not a date (use 2026-12-30, 20261230 or 2026.12.30)."))
        prices = []
        for present, key, value in (
            (self.has_prices[0], "sell_price", sell),
            (self.has_prices[1], "consumer_price", consumer),
        ):
            if not present:
                prices.append(None)
                continue
            try:
                amount = int(value) if value.__class__ is str and value.isdigit() else _price(value)
            except ValueError:
                amount = None
            if amount is None or amount > MAX_AMOUNT:
                raise RowError(key, _("Not an amount in won."))
            prices.append(amount)
        pin = str(pin)
        if pin and (not pin.isdigit() or len(pin) > 2):
            raise RowError("pin_status_code", _("A PIN status code is two digits (01–24)."))
        return CleanRow(
            tr_id,
            client[:100],
            str(campaign)[:150],
            str(goods_code)[:20],
            str(goods_name)[:200],
            str(brand)[:100],
            phone,
            sent_at,
            str(code)[:10],
            str(message)[:200],
            str(order_no)[:40],
            pin.zfill(2) if pin else "",
            valid_until,
            prices[0],
            prices[1],
        )
