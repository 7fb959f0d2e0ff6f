"""Korean mobile numbers as the send log keeps them: digits only, shown masked.

Stored as ``01012345678`` (Giftishow sends and returns numbers without ``-``), shown as
``010-****-5678``: the middle block is what identifies a person together with the last four,
and the last four are what a caller reads out on the phone ("끝자리 5678").
"""

_SEPARATORS = str.maketrans("", "", " -.()")


def normalize_phone(raw: str) -> str | None:
    """Digits of a Korean mobile number (010/011/016/017/018/019, 10–11 digits), or None.

    Accepts ``010-1234-5678``, ``010 1234 5678``, ``01012345678`` and ``+82 10-1234-5678``.
    """
    digits = raw.strip().translate(_SEPARATORS)
    if digits.startswith("+82"):
        digits = "0" + digits[3:].lstrip("0")
    if not digits.isdigit() or not 10 <= len(digits) <= 11 or digits[:2] != "01" or digits[2] not in "016789":
        return None
    if digits[2] == "0" and len(digits) != 11:
        return None  # 010 numbers always have 8 digits after the prefix
    return digits


def mask_phone(digits: str) -> str:
    """``010-****-5678``; empty for an anonymised number."""
    if not digits:
        return ""
    return f"{digits[:3]}-****-{digits[-4:]}"


def format_phone(digits: str) -> str:
    """``010-1234-5678``: the full number, for the few who may see it."""
    if not digits:
        return ""
    return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"
