"""A local stand-in for the Giftishow Biz API over real HTTP (loopback), with fault injection.

Speaks the documented shapes: form-encoded POSTs to /bizApi/send (0204, double-wrapped answer),
/bizApi/coupons (0201, ``result[0].couponInfoList``), /bizApi/bizmoney (0301). Checks the auth
fields and the api_code of every call. Faults are queued per path and consumed one per call:
``"500"`` (HTTP 500), ``"timeout"`` (answers after the client gave up), ``"E0010"`` (bizmoney
insufficient), any other ``"E…"`` code (refused with it), ``None`` (no fault), ``"lost"``
(does the send, then answers 500: the client cannot know it worked).
A tr_id sent twice is refused as Giftishow does (ERR0215).
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

AUTH_CODE = "DEVtest-auth-code"
AUTH_TOKEN = "dGVzdC10b2tlbg=="
API_CODES = {"/bizApi/send": "0204", "/bizApi/coupons": "0201", "/bizApi/bizmoney": "0301"}


class FakeGiftishow:
    def __init__(self, *, balance: int = 1_000_000, price: int = 4230, timeout_delay: float = 1.5):
        self.balance = balance
        self.price = price
        self.timeout_delay = timeout_delay
        self.coupons: dict[str, dict] = {}
        self.faults: dict[str, list[str]] = {}
        self.calls: list[dict] = []
        self.raw_bodies: list[bytes] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/bizApi"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def fail(self, path: str, *faults: str) -> None:
        self.faults.setdefault(path, []).extend(faults)

    def set_status(self, tr_id: str, pin_status: str, send_result: str = "1000") -> None:
        self.coupons[tr_id].update(pinStatusCd=pin_status, sendRstCd=send_result)

    def _answer(self, path: str, form: dict) -> tuple[int, dict]:
        if form.get("custom_auth_code") != AUTH_CODE or form.get("custom_auth_token") != AUTH_TOKEN:
            return 200, {"code": "E0006", "message": "인증 정보가 올바르지 않습니다."}
        if form.get("api_code") != API_CODES.get(path):
            return 200, {"code": "E0001", "message": "api_code mismatch"}
        fault = self.faults.get(path, []).pop(0) if self.faults.get(path) else None
        if fault == "500":
            return 500, {"message": "Internal Server Error"}
        if fault == "timeout":
            time.sleep(self.timeout_delay)
        if fault == "E0010":
            return 200, {"code": "E0010", "message": "비즈머니 잔액이 부족합니다."}
        if fault and fault.startswith("E"):
            return 200, {"code": fault, "message": "판매가 중지된 상품입니다."}
        if path == "/bizApi/send":
            tr_id = form.get("tr_id", "")
            if len(tr_id) > 20:
                return 200, {"code": "E0002", "message": "TRID is longer than 20 characters"}
            if tr_id in self.coupons:
                return 200, {"code": "ERR0215", "message": "중복된 TR_ID 입니다."}
            if self.balance < self.price:
                return 200, {"code": "E0010", "message": "비즈머니 잔액이 부족합니다."}
            self.balance -= self.price
            order = f"2026{len(self.coupons) + 1:010d}"
            self.coupons[tr_id] = {
                "goodsCd": form.get("goods_code"),
                "pinStatusCd": "01",
                "sendRstCd": "1000",  # the MMS went out at once
                "sendRstMsg": "Success",
                "validPrdEndDt": "20261231235959",
                "sellPriceAmt": str(self.price),
                "cnsmPriceAmt": "4500",
                "recverTelNo": form.get("phone_no"),
                "orderNo": order,
            }
            if fault == "lost":
                return 500, {"message": "upstream reset"}
            return 200, {
                "code": "0000",
                "message": None,
                "result": {"code": "0000", "message": None, "result": {"orderNo": order}},
            }
        if path == "/bizApi/coupons":
            info = self.coupons.get(form.get("tr_id", ""))
            listed = [] if info is None else [{k: v for k, v in info.items() if k != "orderNo"}]
            return 200, {
                "code": "0000",
                "message": None,
                "result": [{"couponInfoList": listed, "resCode": "0000", "resMsg": "정상"}],
            }
        if path == "/bizApi/bizmoney":
            return 200, {"code": "0000", "message": None, "result": {"balance": str(self.balance)}}
        return 404, {"message": "not found"}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8")).items()}
                with fake._lock:
                    fake.raw_bodies.append(raw)
                    fake.calls.append(
                        {"path": self.path, **{k: v for k, v in form.items() if not k.startswith("custom_")}}
                    )
                    status, body = fake._answer(self.path, form)
                payload = json.dumps(body, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and went away

            def log_message(self, *args):
                pass

        return Handler
