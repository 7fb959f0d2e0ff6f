"""Masking of personal data before it reaches Slack or a log line.

Korean privacy law (PIPA) treats mobile numbers, resident registration numbers, e-mail
addresses and card numbers as personal data; Slack channels are read by many people and
logs are kept long, so both get masked copies.

URLs are left alone (a Slack permalink's ``p1700000000000100`` is not a card number and a
masked link is a broken link); everything around them, including a link's label, is masked.
"""

import re

# http(s) URLs up to whitespace or the end of a Slack link target (``<url|label>``).
_URL = re.compile(r"https?://[^\s|>]+")
# 900101-1234567: keep the birth date part, hide the rest (the 7th digit encodes sex).
_RRN = re.compile(r"(?<![\w.])(\d{6})[-\s]?([1-8])\d{6}(?![\d])")
# Korean mobile numbers: 010-1234-5678, 01012345678, +82 10-1234-5678 (the leading 0 is
# dropped only after the country code).
_MOBILE = re.compile(r"(?<![\w.+])((?:\+82[-\s]?0?|0)1[016789])[-\s.]?(\d{3,4})[-\s.]?(\d{4})(?!\.?\d)")
_EMAIL = re.compile(r"\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")
# 13-19 digit card numbers in groups of four (with spaces or dashes) or run together;
# never digits glued to letters or a decimal point ("0.0123456789012345s", "p17000…").
_CARD = re.compile(r"(?<![\w.])(?:\d{4}[-\s]?){3}\d{1,7}(?![\d])")


def _luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _mask_card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    # Only real card numbers (length and Luhn checksum), not order or account ids.
    if not 13 <= len(digits) <= 19 or not _luhn_valid(digits):
        return match.group(0)
    return f"****-****-****-{digits[-4:]}"


def _mask_plain(text: str) -> str:
    text = _RRN.sub(lambda m: f"{m.group(1)}-{m.group(2)}******", text)
    text = _CARD.sub(_mask_card, text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}-****-{m.group(3)}", text)
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)


def mask_pii(text: str) -> str:
    """Return ``text`` with personal data masked; safe to call on any string."""
    if not text:
        return text
    pieces, last = [], 0
    for url in _URL.finditer(text):
        pieces.append(_mask_plain(text[last : url.start()]))
        pieces.append(url.group(0))
        last = url.end()
    pieces.append(_mask_plain(text[last:]))
    return "".join(pieces)
