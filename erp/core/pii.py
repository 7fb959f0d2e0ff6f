"""Masking of personal data before it reaches Slack or a log line.

Korean privacy law (PIPA) treats mobile and landline numbers, resident registration
numbers, e-mail addresses, card and bank account numbers as personal data; Slack channels
are read by many people and logs are kept long, so both get masked copies.

How the shapes are found (security review M4):

- Full-width digits and the dash look-alikes people paste (en dash, minus, ``－``) are
  read as ASCII first, so ``０１０–１２３４–５６７８`` is a phone number too.
- A number starts where no ASCII letter or digit is glued on. Hangul may be:
  ``연락처010-1234-5678`` is masked; ``p1700000000000100`` (a Slack permalink) and
  ``0.0123456789012345`` (a float) are not.
- Cards must pass the Luhn check (order ids do not); bank accounts are digit groups joined
  by hyphens with 10–14 digits (dates, ticket numbers and versions are shorter), or a digit
  run right after the word 계좌 / account.
- URLs are masked like any text (a phone number in a query string is still one).

``mask_pii`` is the public entry point; callers everywhere rely on its name.
"""

import re

# Full-width digits and punctuation → ASCII; every dash-like character → "-".
_NORMALIZE = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "\uff0d": "-",  # － full-width hyphen-minus
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",  # – en dash
        "\u2014": "-",  # — em dash
        "\u2212": "-",  # − minus sign
        "\u30fc": "-",
        "\uff08": "(",
        "\uff09": ")",
        "\uff20": "@",
        "\uff0e": ".",
        "\u3000": " ",
    }
)

_START = r"(?<![0-9A-Za-z])"  # no ASCII letter or digit glued on the left (Hangul may be)
_START_NUMBER = r"(?<![0-9A-Za-z.])"  # … nor a decimal point (floats, Slack timestamps)
_END = r"(?![0-9])(?!\.[0-9])"
_SEP = r"[-\s.]?"

# 900101-1234567: keep the birth date and the sex digit, hide the rest.
_RRN = re.compile(_START_NUMBER + r"(\d{6})\s?-?\s?([1-8])\d{6}" + _END)
# Korean mobile numbers: 010-1234-5678, 01012345678, (010)1234-5678, +82 10-1234-5678.
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z.+])(\(?(?:\+82[-\s]?\(?0?|0)1[016789]\)?)" + _SEP + r"(\d{3,4})" + _SEP + r"(\d{4})" + _END
)
# Landlines and internet phones: 02-345-6789, 031-123-4567, (02)345-6789, 070-1234-5678.
_LANDLINE = re.compile(
    r"(?<![0-9A-Za-z.+])(\(?(?:\+82[-\s]?\(?0?|0)(?:2|[3-6][1-5]|70|50[2-8])\)?)"
    + _SEP
    + r"(\d{3,4})"
    + _SEP
    + r"(\d{4})"
    + _END
)
# 13-19 digit cards: 4-4-4-x groups with one separator, American Express 4-6-5, or run together.
_CARD = re.compile(
    _START_NUMBER + r"(?:\d{4}([-\s.]?)\d{4}\1\d{4}\1\d{1,7}|\d{4}([-\s.]?)\d{6}\2\d{5}|\d{13,19})" + _END
)
# Bank accounts: 110-123-456789, 1002-123-456789, 123456-01-234567, 301-1234-5678-11.
_ACCOUNT = re.compile(_START_NUMBER + r"\d{2,6}(?:-\d{2,8}){1,3}" + _END)
_ACCOUNT_WORD = re.compile(r"((?:계좌(?:번호)?|account(?:\s+(?:no\.?|number))?)\s*[:：]?\s*)(\d{10,16})" + _END, re.I)
# The whole local part (never only its tail), also with the @ percent-encoded in a URL.
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]+)(@|%40)([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")


def _luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _keep_last_four(text: str) -> str:
    """Every digit but the last four becomes ``*``; separators stay where they were."""
    digits = sum(char.isdigit() for char in text)
    seen, out = 0, []
    for char in text:
        if char.isdigit():
            seen += 1
            out.append(char if seen > digits - 4 else "*")
        else:
            out.append(char)
    return "".join(out)


def _mask_card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    # Only real card numbers (length and Luhn checksum), not order or account ids.
    if not 13 <= len(digits) <= 19 or not _luhn_valid(digits):
        return match.group(0)
    return f"****-****-****-{digits[-4:]}"


def _mask_account(match: re.Match) -> str:
    digits = sum(char.isdigit() for char in match.group(0))
    return _keep_last_four(match.group(0)) if 10 <= digits <= 14 else match.group(0)


def _sub(pattern: re.Pattern, repl, original: str, normalized: str) -> tuple[str, str]:
    """Substitute matches found in ``normalized`` into both strings.

    The normalisation maps one character to one, so positions agree; text outside a
    masked match keeps its original characters (an em dash in a sentence stays one).
    """
    pieces_original, pieces_normalized, last = [], [], 0
    for match in pattern.finditer(normalized):
        replacement = repl(match)
        if replacement == match.group(0):
            continue
        pieces_original += [original[last : match.start()], replacement]
        pieces_normalized += [normalized[last : match.start()], replacement]
        last = match.end()
    if not pieces_original:
        return original, normalized
    return "".join([*pieces_original, original[last:]]), "".join([*pieces_normalized, normalized[last:]])


_RULES = (
    (_RRN, lambda m: f"{m.group(1)}-{m.group(2)}******"),
    (_CARD, _mask_card),
    (_MOBILE, lambda m: f"{m.group(1)}-****-{m.group(3)}"),
    (_LANDLINE, lambda m: f"{m.group(1)}-****-{m.group(3)}"),
    (_ACCOUNT_WORD, lambda m: m.group(1) + _keep_last_four(m.group(2))),
    (_ACCOUNT, _mask_account),
    (_EMAIL, lambda m: f"{m.group(1)[0]}***{m.group(2)}{m.group(3)}"),
)


# Identifiers people look up in logs (Celery task ids, request and event ids): 8-4-4-4-12 hex,
# never personal data. Their digit groups can take a bank account's shape (…-4fff-9123-45676732…
# masked to …-4fff-****-****6732…), which made task ids in log lines impossible to search for.
_UUID = re.compile(
    r"(?<![0-9A-Za-z-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9A-Za-z-])", re.I
)


# Every shape above that is masked holds at least this many digits (a landline: 02 + 3 + 4),
# or an e-mail's @ (or %40): text with fewer digits and no @ has nothing to mask. Most text
# Slack shows is such (titles, names, labels), and the seven patterns cost ~5 µs a string.
_MIN_MASKED_DIGITS = 9


def _may_hold_pii(normalized: str) -> bool:
    return "@" in normalized or "%40" in normalized or sum(map(str.isdecimal, normalized)) >= _MIN_MASKED_DIGITS


def mask_pii(text: str) -> str:
    """Return ``text`` with personal data masked; safe to call on any string."""
    if not text:
        return text
    original = str(text)
    normalized = original.translate(_NORMALIZE)
    if not _may_hold_pii(normalized):
        return original
    if "-" not in normalized or not _UUID.search(normalized):
        return _masked(original, normalized)
    # Mask around the UUIDs, leaving each one whole (the normalisation keeps positions).
    pieces, last = [], 0
    for match in _UUID.finditer(normalized):
        pieces += [_masked(original[last : match.start()], normalized[last : match.start()]), match.group(0)]
        last = match.end()
    return "".join([*pieces, _masked(original[last:], normalized[last:])])


def _masked(original: str, normalized: str) -> str:
    for pattern, repl in _RULES:
        original, normalized = _sub(pattern, repl, original, normalized)
    return original
