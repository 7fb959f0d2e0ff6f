"""Masking of personal data before it reaches Slack or a log line.

Korean privacy law (PIPA) treats mobile numbers, resident registration numbers, e-mail
addresses and card numbers as personal data; Slack channels are read by many people and
logs are kept long, so both get masked copies.
"""

import re

# 900101-1234567: keep the birth date part, hide the rest (the 7th digit encodes sex).
_RRN = re.compile(r"(?<![\d.])(\d{6})[-\s]?([1-8])\d{6}(?!\d)")
# Korean mobile numbers: 010-1234-5678, 01012345678, +82 10-1234-5678.
_MOBILE = re.compile(r"(?<![\d.])((?:\+?82[-\s]?)?0?1[016789])[-\s.]?(\d{3,4})[-\s.]?(\d{4})(?!\d)")
_EMAIL = re.compile(r"\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")
# 13-19 digit card numbers in groups of four (with spaces or dashes) or run together;
# never the digits of a decimal fraction such as a duration "0.0123456789012345s".
_CARD = re.compile(r"(?<![\d.])(?:\d{4}[-\s]?){3}\d{1,7}(?![\d])")


def _mask_card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if not 13 <= len(digits) <= 19:
        return match.group(0)
    return f"****-****-****-{digits[-4:]}"


def mask_pii(text: str) -> str:
    """Return ``text`` with personal data masked; safe to call on any string."""
    if not text:
        return text
    text = _RRN.sub(lambda m: f"{m.group(1)}-{m.group(2)}******", text)
    text = _CARD.sub(_mask_card, text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}-****-{m.group(3)}", text)
    text = _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
    return text
