"""Sort orders of the ticket list page; the keyset paging itself is erp.core.pagination."""

from django.utils.translation import gettext_lazy as _

from erp.core import pagination
from erp.core.pagination import KeysetPage, order_by_args

__all__ = ["DEFAULT_SORT", "SORTS", "KeysetPage", "keyset_page", "order_by_args", "sort_fields"]

# name in the URL → (label, [(field, descending), ...]); the last field is always the unique id.
SORTS = {
    "-created": (_("Newest first"), [("created_at", True), ("id", True)]),
    "created": (_("Oldest first"), [("created_at", False), ("id", False)]),
    "-updated": (_("Recently updated"), [("updated_at", True), ("id", True)]),
    "updated": (_("Least recently updated"), [("updated_at", False), ("id", False)]),
    # Open work by how soon it is due (tickets without a due moment are left out of this order).
    "due": (_("Due soonest first"), [("resolution_due", False), ("id", False)]),
    "priority": (_("Priority (P1 first)"), [("priority", False), ("created_at", True), ("id", True)]),
    "-priority": (_("Priority (P4 first)"), [("priority", True), ("created_at", True), ("id", True)]),
}
DEFAULT_SORT = "-created"


def sort_fields(sort: str):
    return SORTS.get(sort, SORTS[DEFAULT_SORT])[1]


def keyset_page(queryset, *, sort: str, cursor: str | None, page_size: int) -> KeysetPage:
    return pagination.keyset_page(queryset, order=sort_fields(sort), cursor=cursor, page_size=page_size)
