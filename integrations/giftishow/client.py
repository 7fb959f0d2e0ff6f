"""The one Giftishow Biz API client (KT 기프티쇼 비즈): send (0204), coupon detail (0201), bizmoney (0301).

Every call is an HTTPS POST of a form body to ``{GIFTISHOW_BASE_URL}/<path>`` carrying
``api_code``, ``custom_auth_code``, ``custom_auth_token`` and ``dev_yn``; answers are JSON with
``code == "0000"`` for success (0204 is double-wrapped: ``result.code`` must be "0000" too).
Credentials come from the environment (or settings of the same name) when a call is made and are
never logged: log lines name the API code and the tr_id, never the body, and phone numbers only
masked. Tests point GIFTISHOW_BASE_URL at the local stand-in (tests/fakes/giftishow.py).
"""

import json
import logging
import os
from dataclasses import dataclass

import urllib3
from django.conf import settings

from erp.core.pii import mask_pii

logger = logging.getLogger(__name__)
DEFAULT_BASE_URL = "https://bizapi.giftishow.com/bizApi"
INSUFFICIENT_BIZMONEY = "E0010"
# Giftishow rejects a tr_id it has seen; which code it uses is not documented consistently
# (ERR0215 in one mock), so the message is checked as well.
DUPLICATE_CODES = frozenset({"ERR0215"})


def config(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    return str(value) if value not in (None, "") else os.environ.get(name, default)


class GiftishowError(Exception):
    """Giftishow answered with an error code (permanent for this request)."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message

    @property
    def insufficient_bizmoney(self) -> bool:
        return self.code == INSUFFICIENT_BIZMONEY

    @property
    def duplicate_tr_id(self) -> bool:
        return self.code in DUPLICATE_CODES or "duplicate" in self.message.lower() or "중복" in self.message


class GiftishowUnavailable(Exception):
    """No usable answer (timeout, connection refused, 5xx, not JSON): worth retrying later."""


@dataclass(frozen=True)
class CouponInfo:
    tr_id: str
    pin_status_code: str
    send_result_code: str
    send_result_message: str
    valid_until: str  # validPrdEndDt as sent (YYYYMMDD[HHMMSS])
    sell_price: int | None
    consumer_price: int | None


class Giftishow:
    def __init__(self, *, timeout: float | None = None):
        self.base_url = config("GIFTISHOW_BASE_URL", DEFAULT_BASE_URL).rstrip("/")
        seconds = timeout or float(config("GIFTISHOW_TIMEOUT_SECONDS", "10"))
        self.http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=min(seconds, 5), read=seconds), retries=False)

    def _call(self, api_code: str, path: str, fields: dict) -> dict:
        body = {
            "api_code": api_code,
            "custom_auth_code": config("GIFTISHOW_AUTH_CODE"),
            "custom_auth_token": config("GIFTISHOW_AUTH_TOKEN"),
            "dev_yn": "Y" if config("GIFTISHOW_DEV", "Y").upper() in ("Y", "1", "TRUE") else "N",
            **fields,
        }
        try:
            response = self.http.request_encode_body(
                "POST", f"{self.base_url}/{path}", fields=body, encode_multipart=False
            )
        except urllib3.exceptions.HTTPError as error:
            logger.warning("giftishow %s: no answer (%s)", api_code, type(error).__name__)
            raise GiftishowUnavailable(type(error).__name__)
        if response.status >= 500:
            logger.warning("giftishow %s: HTTP %s", api_code, response.status)
            raise GiftishowUnavailable(f"HTTP {response.status}")
        try:
            data = json.loads(response.data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise GiftishowUnavailable(f"HTTP {response.status}, not JSON")
        code = str(data.get("code", ""))
        if code != "0000":
            message = mask_pii(str(data.get("message") or ""))
            logger.info("giftishow %s: %s %s", api_code, code, message)
            raise GiftishowError(code, message)
        return data

    def send(self, *, goods_code: str, phone: str, tr_id: str, title: str, message: str, order_no: str = "") -> str:
        """0204: send one coupon by MMS (Giftishow sends it); returns Giftishow's order number."""
        fields = {
            "goods_code": goods_code,
            "phone_no": phone,
            "tr_id": tr_id,
            "user_id": config("GIFTISHOW_USER_ID"),
            "mms_title": title[:10],
            "mms_msg": message,
            "callback_no": config("GIFTISHOW_CALLBACK_NO"),
            "gubun": "N",
        }
        if order_no:
            fields["order_no"] = order_no
        data = self._call("0204", "send", fields)
        inner = data.get("result") or {}
        if str(inner.get("code", "0000")) != "0000":
            raise GiftishowError(str(inner.get("code")), mask_pii(str(inner.get("message") or "")))
        logger.info("giftishow 0204: sent %s", tr_id)
        return str((inner.get("result") or {}).get("orderNo") or "")

    def coupon(self, tr_id: str) -> CouponInfo | None:
        """0201: the coupon's current status, or None when Giftishow lists nothing for it."""
        data = self._call("0201", "coupons", {"tr_id": tr_id})
        result = data.get("result")
        infos = data.get("couponInfoList")  # some answers carry it at the top level
        if infos is None and isinstance(result, list) and result:
            infos = result[0].get("couponInfoList")
        if infos is None and isinstance(result, dict):
            infos = result.get("couponInfoList")
        if not infos:
            return None
        info = infos[0]

        def amount(key):
            value = str(info.get(key) or "").replace(",", "")
            return int(float(value)) if value else None

        return CouponInfo(
            tr_id=tr_id,
            pin_status_code=str(info.get("pinStatusCd") or ""),
            send_result_code=str(info.get("sendRstCd") or ""),
            send_result_message=str(info.get("sendRstMsg") or ""),
            valid_until=str(info.get("validPrdEndDt") or ""),
            sell_price=amount("sellPriceAmt"),
            consumer_price=amount("cnsmPriceAmt"),
        )

    def bizmoney(self) -> int:
        """0301: the prepaid balance in won."""
        data = self._call("0301", "bizmoney", {"user_id": config("GIFTISHOW_USER_ID")})
        return int(float(str((data.get("result") or {}).get("balance") or 0).replace(",", "")))
