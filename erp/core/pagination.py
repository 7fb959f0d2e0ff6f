"""Keyset ("seek") paging, shared by every list: HTML pages and the REST API.

Why not Django's Paginator or OFFSET: both cost more the deeper the page (COUNT(*) over the
filtered table, OFFSET walking skipped rows); a keyset page is fetched as ``page_size + 1``
rows after (or before) the last row seen, along a (sort key, id) index, so every page costs
the same and no count is ever run.

Two front ends over the same idea:

* ``keyset_page(queryset, order=..., cursor=..., page_size=...)`` for HTML lists: the cursor
  is an opaque URL parameter; a malformed or crafted one shows the first page
  (``page.cursor_ignored`` lets the view say so) instead of an error page.
* ``SafeCursorPagination`` for DRF list endpoints: a malformed or crafted cursor is bad input,
  answered 400 with a message naming the parameter (DRF alone answers 404, or a 500 for a
  year-1 position that overflows converting to UTC).

Both check a cursor's values against the model field they sort on (``cursor_value``): only a
value a real row could hold gets into a query.
"""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from .bounds import EARLIEST_DATE, LATEST_DATE, MAX_ID, is_sane_id, is_sane_moment

# (field name, descending) pairs; the last one must be unique (the id) so the order is total.
Order = Sequence[tuple[str, bool]]


def cursor_value(model, name: str, value):
    """``value`` as the Python value of ``model.<name>``, or raise ValueError when no row
    could hold it (a garbage string, a naive or year-1 moment, an id beyond 64 bits)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if field is not None and field.is_relation:
        field = field.target_field
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(value) if isinstance(value, str) else None
        if not is_sane_moment(moment):
            raise ValueError(value)
        return moment
    if isinstance(field, models.DateField):
        day = parse_date(value) if isinstance(value, str) else None
        if day is None or not (EARLIEST_DATE <= day <= LATEST_DATE):
            raise ValueError(value)
        return day
    if isinstance(field, models.IntegerField):  # AutoField and BigAutoField included
        number = int(value)
        # get_field() also resolves an attname (group_id) to its foreign key, whose target is an id.
        valid = is_sane_id(number) if field.primary_key else -MAX_ID - 1 <= number <= MAX_ID
        if not valid:
            raise ValueError(value)
        return number
    return str(value)


def order_by_args(order: Order) -> list[str]:
    return [f"-{name}" if desc else name for name, desc in order]


# --- HTML lists ----------------------------------------------------------------------------
def encode_cursor(values, direction: str = "next") -> str:
    """The URL cursor for "rows after ``values``" (``next``) or "rows before" (``prev``).

    Public so a view can translate an older link style, e.g. ``?before=<id>`` is
    ``encode_cursor([id])`` for an ``[("id", True)]`` order.
    """
    plain = [v.isoformat() if isinstance(v, date | datetime) else v for v in values]
    raw = json.dumps({"v": plain, "d": direction}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, model, order: Order):
    """(values, direction), or None for a malformed or crafted cursor."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        values, direction = data["v"], data["d"]
        if direction not in ("next", "prev") or len(values) != len(order):
            return None
        parsed = [cursor_value(model, name, v) for (name, _desc), v in zip(order, values, strict=True)]
        return parsed, direction
    except (ValueError, TypeError, KeyError, OverflowError, binascii.Error, json.JSONDecodeError):
        return None


def _after(order: Order, values) -> Q:
    """Rows strictly after ``values`` in ``order`` (lexicographic)."""
    condition = Q(pk__in=[])
    equal = Q()
    for (name, desc), value in zip(order, values, strict=True):
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


def keyset_page(queryset, *, order: Order, cursor: str | None, page_size: int) -> KeysetPage:
    """One page of ``queryset`` in ``order``, after/before the row ``cursor`` points at.

    ``order`` names concrete columns (``group_id``, not ``group``) and ends with a unique
    one; an index on those columns in that order makes every page an index range scan.
    """
    decoded = decode_cursor(cursor, queryset.model, order) if cursor else None
    values_of = lambda obj: [getattr(obj, name) for name, _desc in order]  # noqa: E731
    if decoded is None:
        rows = list(queryset.order_by(*order_by_args(order))[: page_size + 1])
        has_more, has_before = len(rows) > page_size, False
        rows = rows[:page_size]
    elif decoded[1] == "next":
        rows = list(queryset.filter(_after(order, decoded[0])).order_by(*order_by_args(order))[: page_size + 1])
        has_more, has_before = len(rows) > page_size, True
        rows = rows[:page_size]
    else:
        reverse = [(name, not desc) for name, desc in order]
        rows = list(queryset.filter(_after(reverse, decoded[0])).order_by(*order_by_args(reverse))[: page_size + 1])
        has_before, has_more = len(rows) > page_size, True
        rows = list(reversed(rows[:page_size]))
    next_cursor = encode_cursor(values_of(rows[-1]), "next") if rows and has_more else None
    prev_cursor = encode_cursor(values_of(rows[0]), "prev") if rows and has_before else None
    return KeysetPage(rows, next_cursor, prev_cursor, cursor_ignored=bool(cursor) and decoded is None)


# --- REST API ------------------------------------------------------------------------------
class SafeCursorPagination(CursorPagination):
    """DRF cursor pages whose bad cursors are a 400 with a message, never a 404 or a 500.

    Subclasses set ``ordering`` (ending with a unique field) and may set page sizes and
    ``invalid_cursor_text``.
    """

    invalid_cursor_text = gettext_lazy("This page link is not valid; start again from the first page.")

    def paginate_queryset(self, queryset, request, view=None):
        # decode_cursor only gets the request; the position check needs the model.
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:  # undecodable, or an offset that is not a whole number
            cursor, valid = None, False
        else:
            valid = cursor is None or cursor.position is None or self._sane_position(cursor.position)
        if not valid:
            raise ValidationError({self.cursor_query_param: [str(self.invalid_cursor_text)]})
        return cursor

    def _sane_position(self, position: str) -> bool:
        """A position is the first ordering field's value (as text) of a row that was shown."""
        model = getattr(self, "_model", None)
        if model is None:
            return True
        name = self.ordering[0].lstrip("-")
        try:
            cursor_value(model, name, position)
        except (ValueError, TypeError, OverflowError):
            return False
        return True
