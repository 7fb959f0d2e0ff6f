"""Turning what a form or API client sent into clean inquiry fields, with messages per field.

Used by the intake and by edits in the portal, so both refuse the same things: missing name
or message, neither e-mail nor phone, an invalid e-mail or phone, text over its limit, NUL
or other control characters, values of the wrong JSON type.
"""

import re
import unicodedata
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from ..conf import setting
from ..models import Category

SINGLE_LINE_LIMITS = {"customer_name": 100, "company": 150, "subject": 200, "product": 100}
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
URL_FIELDS = ("referrer", "landing_page")
# Field names a form or client may use, mapped to the model's (``name`` is what forms call it).
ALIASES = {"name": "customer_name", "consent": "consent_contact"}
PUBLIC_NAMES = {model: public for public, model in ALIASES.items()}
# Tab, line feed and carriage return are text; every other control character is refused.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PHONE_CHARS = re.compile(r"^\+?[\d\s().-]+$")
_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
TRUE_WORDS = {"1", "true", "on", "yes", "y", "동의"}
FALSE_WORDS = {"", "0", "false", "off", "no", "n"}


def phone_key(phone: str) -> str:
    """Digits only, a Korean +82 prefix turned back into the leading 0: what duplicates compare."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("82") and (phone or "").strip().startswith("+"):
        digits = "0" + digits[2:].lstrip("0")
    return digits


def email_key(email: str) -> str:
    return (email or "").strip().lower()


def count_links(*texts: str) -> int:
    return sum(len(_URL_IN_TEXT.findall(text or "")) for text in texts)


class Collector:
    """Gathers one message per field, so a form shows every problem at once."""

    def __init__(self):
        self.errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        # Errors are named as the form names its fields ("name", not "customer_name").
        self.errors.setdefault(PUBLIC_NAMES.get(field, field), message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def text_value(raw, field: str, errors: Collector, *, limit: int, single_line: bool) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        errors.add(field, _("Send this field as text."))
        return ""
    value = unicodedata.normalize("NFC", str(raw))
    if _CONTROL.search(value if not single_line else value.replace("\t", " ")):
        errors.add(field, _("Remove the control characters (such as NUL) from this field."))
        return ""
    value = " ".join(value.split()) if single_line else value.replace("\r\n", "\n").strip()
    if len(value) > limit:
        errors.add(field, _("Keep this field under %(limit)d characters.") % {"limit": limit})
        return ""
    return value


def bool_value(raw, field: str, errors: Collector) -> bool:
    if isinstance(raw, bool):
        return raw
    if raw is None:
        return False
    if isinstance(raw, str) and raw.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return raw.strip().lower() in TRUE_WORDS
    errors.add(field, _("Send true or false."))
    return False


def url_value(raw) -> str:
    """A referrer / landing page the browser reported: kept if it is an http(s) URL, else dropped
    (the visitor cannot correct it, so it never refuses an inquiry)."""
    if not isinstance(raw, str):
        return ""
    value = raw.strip()
    parts = urlsplit(value) if len(value) <= 500 and not _CONTROL.search(value) else None
    return value if parts and parts.scheme in ("http", "https") and parts.netloc else ""


def clean_email(value: str, errors: Collector) -> str:
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        errors.add("email", _("Enter a valid e-mail address, e.g. name@example.co.kr."))
        return ""
    return value


def clean_phone(value: str, errors: Collector) -> str:
    if not value:
        return ""
    digits = phone_key(value)
    if not _PHONE_CHARS.match(value) or not 9 <= len(digits) <= 15:
        errors.add("phone", _("Enter a valid phone number, e.g. 010-1234-5678."))
        return ""
    return value


def _labels(label) -> set[str]:
    """A choice's label in every language the portal speaks (a Korean form sends "견적 요청")."""
    found = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(str(label))
    return found


def clean_category(raw, errors: Collector, default: str) -> str:
    if raw in (None, ""):
        return default
    if isinstance(raw, str):
        value = raw.strip()
        for code, label in Category.choices:
            if value.lower() == code or value in _labels(label):
                return code
    errors.add("category", _("Choose one of: %(choices)s.") % {"choices": ", ".join(Category.values)})
    return default


def clean_fields(data: dict, errors: Collector, *, default_category: str, partial: bool = False) -> dict:
    """The model fields present in ``data``, cleaned; problems go to ``errors``.

    With ``partial`` (an edit) only the fields given are returned and checked.
    """
    data = {ALIASES.get(key, key): value for key, value in data.items()}
    cleaned = {}
    for field, limit in SINGLE_LINE_LIMITS.items():
        if not partial or field in data:
            cleaned[field] = text_value(data.get(field), field, errors, limit=limit, single_line=True)
    if not partial or "message" in data:
        cleaned["message"] = text_value(
            data.get("message"), "message", errors, limit=setting("INQUIRIES_MAX_MESSAGE_CHARS"), single_line=False
        )
    for field in ("email", "phone"):
        if not partial or field in data:
            limit = 254 if field == "email" else 30
            cleaned[field] = text_value(data.get(field), field, errors, limit=limit, single_line=True)
    if "email" in cleaned:
        cleaned["email"] = clean_email(cleaned["email"], errors)
    if "phone" in cleaned:
        cleaned["phone"] = clean_phone(cleaned["phone"], errors)
    if not partial or "category" in data:
        cleaned["category"] = clean_category(data.get("category"), errors, default_category)
    if not partial or "consent_contact" in data:
        cleaned["consent_contact"] = bool_value(data.get("consent_contact"), "consent", errors)
    return cleaned


def require_essentials(cleaned: dict, errors: Collector) -> None:
    if "customer_name" in cleaned and not cleaned["customer_name"]:
        errors.add("name", _("Enter your name."))
    if "message" in cleaned and not cleaned["message"]:
        errors.add("message", _("Enter your inquiry."))
    if not cleaned.get("email") and not cleaned.get("phone") and "email" not in errors.errors:
        if "phone" not in errors.errors:
            errors.add("email", _("Enter an e-mail address or a phone number so that we can answer."))


def subject_from(message: str) -> str:
    """A subject for an inquiry sent without one: its first line, shortened."""
    first = message.strip().splitlines()[0] if message.strip() else ""
    return first if len(first) <= 60 else first[:59] + "…"


def tracking_fields(data: dict) -> dict:
    """UTM parameters, referrer and landing page: clipped or dropped, never refused."""
    values = {}
    for field in UTM_FIELDS:
        raw = data.get(field)
        values[field] = " ".join(raw.split())[:100] if isinstance(raw, str) and not _CONTROL.search(raw) else ""
    for field in URL_FIELDS:
        values[field] = url_value(data.get(field))
    return values
