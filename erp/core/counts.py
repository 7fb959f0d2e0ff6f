"""Capped counts for lists and dashboards: "12", "999+", never an unbounded COUNT(*).

``COUNT(*)`` over ``LIMIT cap+1`` of the (indexed, narrowed) query: the database stops after
cap+1 rows however big the table is.
"""

COUNT_CAP = 999


def capped_count(queryset, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, capped): at most ``cap``; ``capped`` says there are more."""
    n = queryset.order_by()[: cap + 1].count()
    return min(n, cap), n > cap


def count_label(queryset, cap: int = COUNT_CAP) -> str:
    n, capped = capped_count(queryset, cap)
    return f"{n}+" if capped else str(n)
