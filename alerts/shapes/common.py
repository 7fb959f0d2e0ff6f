"""Helpers the shape parsers share: severity words, timestamps, stable ids."""

import hashlib
import json
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime

from ..models import Severity

SEVERITY_WORDS = {
    "critical": Severity.CRITICAL,
    "crit": Severity.CRITICAL,
    "page": Severity.CRITICAL,
    "p1": Severity.CRITICAL,
    "fatal": Severity.CRITICAL,
    "emergency": Severity.CRITICAL,
    "error": Severity.ERROR,
    "high": Severity.ERROR,
    "major": Severity.ERROR,
    "p2": Severity.ERROR,
    "warning": Severity.WARNING,
    "warn": Severity.WARNING,
    "medium": Severity.WARNING,
    "no severity": Severity.WARNING,
    "info": Severity.INFO,
    "low": Severity.INFO,
    "minor": Severity.INFO,
    "none": Severity.INFO,
}


class ShapeError(ValueError):
    """The body is JSON but not the shape the source expects; the message says what is missing."""


def severity_of(*words, default=Severity.WARNING) -> str:
    for word in words:
        if isinstance(word, str) and word.strip().lower() in SEVERITY_WORDS:
            return SEVERITY_WORDS[word.strip().lower()]
    return default


def moment(value) -> datetime | None:
    """An ISO 8601 string or epoch seconds → aware datetime; None for Go's zero time or garbage."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        if value.startswith("0001-01-01"):
            return None
        try:
            parsed = parse_datetime(value)
        except ValueError:
            return None
        if parsed is not None and parsed.tzinfo is not None and parsed.year > 1:
            return parsed
    return None


def digest(*parts) -> str:
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def text(value, limit: int = 2000) -> str:
    return value[:limit] if isinstance(value, str) else ""


def as_dict(value) -> dict:
    return value if isinstance(value, dict) else {}
