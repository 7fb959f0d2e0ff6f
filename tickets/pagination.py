"""Keyset ("seek") pagination for the ticket list page.

Why not Django's Paginator: it runs COUNT(*) over the filtered table and pages with
OFFSET, both of which grow with the table (200,000+ tickets). Here a page is fetched as
``page_size + 1`` rows after (or before) the last row seen, using the (sort key, id)
indexes, so every page costs the same and no count is ever run.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp.core.bounds import is_sane_id, is_sane_moment

# name in the URL → (label, [(field, descending), ...]); the last field is always the unique id.
SORTS = {
    "-created": (_("Newest first"), [("created_at", True), ("id", True)]),
    "created": (_("Oldest first"), [("created_at", False), ("id", False)]),
    "-updated": (_("Recently updated"), [("updated_at", True), ("id", True)]),
    "updated": (_("Least recently updated"), [("updated_at", False), ("id", False)]),
    "priority": (_("Priority (P1 first)"), [("priority", False), ("created_at", True), ("id", True)]),
    "-priority": (_("Priority (P4 first)"), [("priority", True), ("created_at", True), ("id", True)]),
}
DEFAULT_SORT = "-created"


def sort_fields(sort: str):
    return SORTS.get(sort, SORTS[DEFAULT_SORT])[1]


def order_by_args(fields) -> list[str]:
    return [f"-{name}" if desc else name for name, desc in fields]


def _encode(values, direction: str) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    raw = json.dumps({"v": plain, "d": direction}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_value(name: str, value):
    """One cursor value, or raise ValueError when it could not have come from a real row."""
    if name.endswith("_at"):
        moment = datetime.fromisoformat(value)
        # A crafted year-1 (or naive) moment would overflow converting to UTC in the query.
        if not is_sane_moment(moment):
            raise ValueError(value)
        return moment
    if name == "id":
        number = int(value)
        if not is_sane_id(number):
            raise ValueError(value)
        return number
    return str(value)


def _decode(cursor: str, fields):
    """(values, direction) or None for a malformed or crafted cursor (treated as the first page)."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        values, direction = data["v"], data["d"]
        if direction not in ("next", "prev") or len(values) != len(fields):
            return None
        parsed = [_decode_value(name, v) for (name, _desc), v in zip(fields, values, strict=True)]
        return parsed, direction
    except (ValueError, TypeError, KeyError, OverflowError, binascii.Error, json.JSONDecodeError):
        return None


def _after(fields, values) -> Q:
    """Rows strictly after ``values`` in the ordering ``fields`` (lexicographic)."""
    condition = Q(pk__in=[])
    equal = Q()
    for (name, desc), value in zip(fields, values, strict=True):
        condition |= equal & Q(**{f"{name}__{'lt' if desc else 'gt'}": value})
        equal &= Q(**{name: value})
    return condition


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    prev_cursor: str | None
    # True when a cursor was given but could not be read: the first page was shown instead.
    cursor_ignored: bool = False

    @property
    def has_next(self):
        return self.next_cursor is not None

    @property
    def has_previous(self):
        return self.prev_cursor is not None


def keyset_page(queryset, *, sort: str, cursor: str | None, page_size: int) -> KeysetPage:
    fields = sort_fields(sort)
    decoded = _decode(cursor, fields) if cursor else None
    values_of = lambda obj: [getattr(obj, name) for name, _desc in fields]  # noqa: E731
    if decoded is None:
        rows = list(queryset.order_by(*order_by_args(fields))[: page_size + 1])
        has_more, has_before = len(rows) > page_size, False
        rows = rows[:page_size]
    elif decoded[1] == "next":
        rows = list(queryset.filter(_after(fields, decoded[0])).order_by(*order_by_args(fields))[: page_size + 1])
        has_more, has_before = len(rows) > page_size, True
        rows = rows[:page_size]
    else:
        reversed_fields = [(name, not desc) for name, desc in fields]
        rows = list(
            queryset.filter(_after(reversed_fields, decoded[0])).order_by(*order_by_args(reversed_fields))[
                : page_size + 1
            ]
        )
        has_before, has_more = len(rows) > page_size, True
        rows = list(reversed(rows[:page_size]))
    next_cursor = _encode(values_of(rows[-1]), "next") if rows and has_more else None
    prev_cursor = _encode(values_of(rows[0]), "prev") if rows and has_before else None
    return KeysetPage(rows, next_cursor, prev_cursor, cursor_ignored=bool(cursor) and decoded is None)
