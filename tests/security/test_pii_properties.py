"""M4: masking across every shape of Korean personal data, with generated inputs (hypothesis).

Property: whatever text surrounds it (Hangul glued on, punctuation, a URL), the identifying
digits of a phone, resident, card or account number, and an e-mail's local part, never
survive ``mask_pii``.
"""

import re

import pytest
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from erp.core.pii import mask_pii

FULL_WIDTH = str.maketrans({str(i): chr(0xFF10 + i) for i in range(10)})
DASHES = st.sampled_from(["-", "–", "—", "－", "−", " ", ""])
# Text glued around the value: Hangul, spaces, punctuation, URL pieces; never ASCII
# letters or digits right next to it (those make a different token: an id, a float).
AROUND = st.text(alphabet="연락처주민번호카드계좌메일 :,()[]/?=&#'\"", max_size=8)
GLUE = st.sampled_from(["", " ", "연락처", "번호:", "tel=", "https://forms.example.com/?phone=", "(", "·"])


def digits(text: str) -> str:
    return re.sub(r"\D", "", text.translate({0xFF10 + i: str(i) for i in range(10)}))


def _shape(draw, parts, dash):
    return dash.join(parts)


@st.composite
def mobiles(draw):
    prefix = draw(st.sampled_from(["010", "011", "016", "017", "018", "019"]))
    middle = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    last = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    dash = draw(DASHES)
    wrap = draw(st.booleans())
    value = (f"({prefix})" if wrap else prefix) + dash + middle + dash + last
    return value, middle


@st.composite
def landlines(draw):
    area = draw(st.sampled_from(["02", "031", "032", "051", "053", "062", "064", "070"]))
    middle = draw(st.from_regex(r"[0-9]{3,4}", fullmatch=True))
    last = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    dash = draw(st.sampled_from(["-", "–", " ", "."]))
    return area + dash + middle + dash + last, middle


@st.composite
def resident_numbers(draw):
    birth = draw(st.from_regex(r"[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])", fullmatch=True))
    rest = draw(st.from_regex(r"[1-8][0-9]{6}", fullmatch=True))
    return birth + draw(st.sampled_from(["-", "–", "－", " ", ""])) + rest, rest[1:]


def _luhn_complete(body: str) -> str:
    for check in "0123456789":
        candidate = body + check
        total = sum(
            (int(c) * 2 - 9 if int(c) * 2 > 9 else int(c) * 2) if i % 2 else int(c)
            for i, c in enumerate(reversed(candidate))
        )
        if total % 10 == 0:
            return candidate
    raise AssertionError


@st.composite
def cards(draw):
    length = draw(st.sampled_from([15, 16]))
    number = _luhn_complete(draw(st.from_regex(rf"[3-6][0-9]{{{length - 2}}}", fullmatch=True)))
    if length == 15:
        groups = [number[:4], number[4:10], number[10:]]
    else:
        groups = [number[i : i + 4] for i in range(0, 16, 4)]
    value = draw(st.sampled_from(["-", " ", ".", ""])).join(groups)
    return value, number[:-4]


@st.composite
def accounts(draw):
    layout = draw(st.sampled_from([(3, 3, 6), (4, 3, 6), (6, 2, 6), (3, 4, 4, 2), (3, 6, 5)]))
    groups = [draw(st.from_regex(rf"[0-9]{{{n}}}", fullmatch=True)) for n in layout]
    number = "".join(groups)
    return "-".join(groups), number[:-4]


@st.composite
def emails(draw):
    local = draw(st.from_regex(r"[a-z][a-z0-9._]{3,12}[a-z0-9]", fullmatch=True))
    domain = draw(st.sampled_from(["naver.com", "gmail.com", "daum.net", "haru.co.kr"]))
    return f"{local}@{domain}", local


SHAPES = {
    "mobile": mobiles(),
    "landline": landlines(),
    "resident": resident_numbers(),
    "card": cards(),
    "account": accounts(),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_identifying_digits_never_survive(shape):
    @given(value=SHAPES[shape], before=GLUE, after=AROUND, full_width=st.booleans())
    @hypothesis_settings(max_examples=150, deadline=None)
    def check(value, before, after, full_width):
        raw, secret = value
        if full_width:
            raw = raw.translate(FULL_WIDTH)
        masked = mask_pii(before + raw + after)
        # The number cannot be read back, and at least the hidden part was starred out.
        assert digits(raw) not in digits(masked) and masked.count("*") >= min(len(secret), 4), (raw, masked)

    check()


@given(value=emails(), before=GLUE, after=AROUND)
@hypothesis_settings(max_examples=150, deadline=None)
@example(value=("hong.gildong@naver.com", "hong.gildong"), before="메일", after="")
def test_an_email_local_part_never_survives(value, before, after):
    raw, local = value
    masked = mask_pii(before + raw + after)
    assert local not in masked and local[1:] not in masked and "@" in masked


@given(text=st.text(max_size=200))
@hypothesis_settings(max_examples=300, deadline=None)
def test_masking_any_text_never_raises_and_is_idempotent(text):
    once = mask_pii(text)
    assert mask_pii(once) == once


@pytest.mark.parametrize(
    "innocent",
    [
        "2026-12-02 08:46:44,730 INFO django.request",
        "서버 10.0.0.1 장애, INC-123 참고",
        "uuid 123e4567-e89b-12d3-a456-426614174000",
        "message ts 1700000000.000100, permalink p1700000000000100",
        "succeeded in 0.0629470198787749s",
        "주문번호 2026-1121, 대표번호 1588-1234",
        "v2.13.4 released 2026-11-30",
    ],
)
def test_ordinary_numbers_are_left_alone(innocent):
    assert mask_pii(innocent) == innocent


@pytest.mark.parametrize(
    "raw, masked",
    [  # the review's misses (M4), one by one
        ("연락처010-1234-5678", "연락처010-****-5678"),
        ("주민번호900101-1234567", "주민번호900101-1******"),
        ("카드4111111111111111", "카드****-****-****-1111"),
        ("(010)1234-5678", "(010)-****-5678"),
        ("900101–1234567", "900101-1******"),
        ("4111.1111.1111.1111", "****-****-****-1111"),
        ("메일hong.gildong@naver.com", "메일h***@naver.com"),
        ("０１０-１２３４-５６７８", "010-****-5678"),
        ("https://x.example/?tel=010-1234-5678", "https://x.example/?tel=010-****-5678"),
        ("02-345-6789", "02-****-6789"),
        ("카드 3782 822463 10005", "카드 ****-****-****-0005"),
        ("계좌 110-123-456789", "계좌 ***-***-**6789"),
    ],
)
def test_the_reviews_examples(raw, masked):
    assert mask_pii(raw) == masked


def test_text_around_personal_data_keeps_its_own_characters():
    assert mask_pii("이서연 — 재택 · ０１０–１２３４–５６７８") == "이서연 — 재택 · 010-****-5678"
