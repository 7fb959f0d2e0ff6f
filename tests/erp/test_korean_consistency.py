"""Consistency rules of the Korean catalog (review korean.md §2–§4), checked over every entry,
so a new string cannot bring back what was fixed: one word per concept, one register per
surface, one format for times and ranges."""

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from tests.erp.test_catalog import KOREAN_PO, ROOT, read_po

CATALOG = read_po(ROOT / KOREAN_PO)
TRANSLATED = {key: entry for key, entry in CATALOG.items() if entry.msgid and entry.msgstrs}


def _offending(pattern: str, *, allowed: tuple[str, ...] = ()) -> list[str]:
    rule = re.compile(pattern)
    return [
        f"{entry.msgid!r} → {text!r}"
        for entry in TRANSLATED.values()
        if entry.msgid not in allowed
        for text in entry.msgstrs
        if rule.search(text)
    ]


@pytest.mark.parametrize(
    ("rule", "pattern"),
    [
        # §2a: 님 after a name takes a space ("이서연 님"), after a placeholder too.
        ("honorific spacing", r"%\(\w+\)s님"),
        # §2a: manager is 팀장, admin is 관리자; 상급자 and 관리자(팀장) are gone.
        ("manager term", r"상급자|관리자\(팀장\)"),
        # §2a: 근무 시간 with a space, on the web and in Slack alike.
        ("근무 시간 spacing", r"근무시간"),
        # §1b: no particle fallbacks after a value.
        ("particle fallback", r"\((으)\)로|은\(는\)|을\(를\)|이\(가\)|와\(과\)"),
        # §2a: the on-call roster is 온콜.
        ("on-call term", r"당번"),
        # §2a: data changes are 변경, not 업데이트.
        ("update term", r"업데이트"),
        # §4: Korean ranges use ~, not the en dash.
        ("range sign", r"\d–\d|\)s – %\("),
        # §4: an attendance DM does not repeat "(KST)" after every time.
        ("KST after a time", r"%\(time\)s\(KST\)"),
        # §2a: ticket comments are 댓글 (답변 is a customer inquiry's answer).
        ("ticket comment term", r"요청자가 답변|답변을 추가|새 답변"),
        # §2a: the reason is 사유.
        ("reason term", r"하는 이유"),
    ],
)
def test_catalog_rule(rule, pattern):
    assert _offending(pattern) == [], rule


def test_created_is_deungnok_everywhere():
    """§2a: 등록 / 등록 일시 for the moment a record was made; 생성 only as a command word."""
    assert _offending(r"생성 일시|티켓 생성") == []


def test_buttons_are_noun_phrases():
    """§2b: buttons are bare nouns, -하기 only on the public site's contact call to action."""
    assert _offending(r"하기$", allowed=("Contact %(site)s",)) == []


def test_ui_names_in_sentences_use_single_quotes():
    """§2a: a button or field named inside a sentence is quoted ‘…’ (“…” is for what a person typed)."""
    assert _offending(r"“[^%“”{]*[가-힣][^%“”{]*”") == []


def test_the_bot_never_says_naege():
    """나에게 in a message from the bot reads as "to me, the bot" (korean.md #9)."""
    assert _offending(r"나에게") == []


def test_check_in_and_date_range_words_by_context():
    with translation.override("ko"):
        assert gettext("Check in") == "출근"
        assert pgettext("meeting", "Check in") == "체크인"
        assert pgettext("date range", "From") == "시작일"
        assert pgettext("date range", "To") == "종료일"
        assert pgettext("e-mail", "To") == "받는 사람"
        assert gettext("Assign to me") == "내가 담당"
        assert gettext("Assigned to me") == "내 담당 티켓"


@pytest.mark.parametrize(
    "path",
    ["attendance/filters.py", "attendance/admin/days.py", "erp/history/forms.py"],
)
def test_date_range_labels_carry_their_context(path):
    source = (ROOT / Path(path)).read_text(encoding="utf-8")
    assert '_("From")' not in source and '_("To")' not in source


@pytest.mark.parametrize(
    "msgid",
    [
        "Write something first.",  # a submit error
        "Choose a status.",  # a Slack modal error
        "Your Haru account is deactivated. Please contact IT.",  # a Slack refusal
        "Say why the ticket is escalated.",
    ],
)
def test_requests_in_messages_are_haejuseyo(msgid):
    """§2b: what a person must do after a refusal or a failed submit is asked with -해 주세요;
    -하세요 stays for form hints (help texts)."""
    entry = CATALOG.get((None, msgid))
    if entry is None:
        pytest.skip(f"{msgid!r} is not in the catalog any more")
    assert "주세요" in entry.msgstrs[0] and not re.search(r"[가-힣]세요", entry.msgstrs[0].replace("주세요", ""))
