"""Marking what matched: the found words in <mark>, around them a short snippet of the text."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_CHARS = 160


def _pattern(needles: list[str]) -> re.Pattern | None:
    # Longest first, so "사내 위키" is marked whole rather than as "사내".
    unique = sorted({n for n in needles if n}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in unique), re.IGNORECASE) if unique else None


def highlight(text: str, needles: list[str]) -> SafeString:
    """``text`` HTML-escaped, with every occurrence of a needle wrapped in <mark>."""
    text = text or ""
    pattern = _pattern(needles)
    if pattern is None:
        return mark_safe(escape(text))  # escaped just now
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # every piece escaped


def snippet(text: str, needles: list[str], width: int = SNIPPET_CHARS) -> str:
    """About ``width`` characters of ``text`` around its first match (its start when none)."""
    text = " ".join((text or "").split())
    pattern = _pattern(needles)
    match = pattern.search(text) if pattern else None
    if len(text) <= width:
        return text
    start = 0 if match is None else max(0, match.start() - width // 3)
    piece = text[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")
