"""Aggregates of the send log, in SQL: campaign funnels and the daily summary's figures.

Nothing here reads a phone number: summaries go to Slack channels.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from erp.workcalendar.calendar import KST

from .models import BizmoneySnapshot, PinStatus, SendLog

TOP_REASONS = 3


def funnel(sends) -> dict:
    """sent → issued → delivered → used, and expired, for any queryset of sends."""
    return sends.aggregate(
        sent=Count("id"),
        issued=Count("id", filter=Q(succeeded=True)),
        delivered=Count("id", filter=Q(delivered=True)),
        used=Count("id", filter=Q(pin_status=PinStatus.USED)),
        expired=Count("id", filter=Q(pin_status=PinStatus.EXPIRED)),
        total_cost=Coalesce(Sum("sell_price", filter=Q(succeeded=True)), 0),
    )


def kst_span(first: date, last: date) -> tuple[datetime, datetime]:
    """[start of ``first``, start of the day after ``last``) in KST."""
    return datetime.combine(first, time.min, KST), datetime.combine(last + timedelta(days=1), time.min, KST)


@dataclass
class Breakdown:
    name: str
    sent: int
    failed: int
    cost: int


@dataclass
class PeriodFigures:
    first: date
    last: date
    sent: int = 0
    succeeded: int = 0
    failed: int = 0
    cost: int = 0
    used: int = 0
    top_failures: list[tuple[str, int]] = field(default_factory=list)
    by_client: list[Breakdown] = field(default_factory=list)
    by_campaign: list[Breakdown] = field(default_factory=list)
    by_goods: list[Breakdown] = field(default_factory=list)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def _breakdown(sends, key: str, label) -> list[Breakdown]:
    rows = (
        sends.values(key)
        .annotate(
            n_sent=Count("id"),
            n_failed=Count("id", filter=Q(succeeded=False)),
            n_cost=Coalesce(Sum("sell_price", filter=Q(succeeded=True)), 0),
        )
        .order_by("-n_sent", key)
    )
    return [Breakdown(label(row[key]), row["n_sent"], row["n_failed"], row["n_cost"]) for row in rows]


def period_figures(first: date, last: date, *, clients=None, detail: bool = True) -> PeriodFigures:
    """Figures of the sends made from ``first`` to ``last`` (KST days, inclusive), optionally of
    some clients only. ``used`` counts those coupons used by now ("used so far")."""
    start, end = kst_span(first, last)
    sends = SendLog.objects.filter(sent_at__gte=start, sent_at__lt=end)
    if clients is not None:
        sends = sends.filter(client__in=clients)
    totals = sends.aggregate(
        sent=Count("id"),
        ok=Count("id", filter=Q(succeeded=True)),
        total_cost=Coalesce(Sum("sell_price", filter=Q(succeeded=True)), 0),
        used_so_far=Count("id", filter=Q(pin_status=PinStatus.USED)),
    )
    # (Aggregate names differ from the field names: Django refuses "succeeded=Count(…succeeded…)".)
    figures = PeriodFigures(
        first=first,
        last=last,
        sent=totals["sent"],
        succeeded=totals["ok"],
        cost=totals["total_cost"],
        used=totals["used_so_far"],
    )
    figures.failed = figures.sent - figures.succeeded
    if not detail or not figures.sent:
        return figures
    failures = (
        sends.filter(succeeded=False)
        .values("result_code", "result_message")
        .annotate(n=Count("id"))
        .order_by("-n", "result_code")[:TOP_REASONS]
    )
    figures.top_failures = [
        (f"{row['result_code']} {row['result_message']}".strip() or "?", row["n"]) for row in failures
    ]
    names = _names(sends)
    figures.by_client = _breakdown(sends, "client_id", lambda pk: names["client"].get(pk, "?"))
    figures.by_campaign = _breakdown(sends, "campaign_id", lambda pk: names["campaign"].get(pk, "—"))
    figures.by_goods = _breakdown(sends, "goods_id", lambda pk: names["goods"].get(pk, "—"))
    return figures


def _names(sends) -> dict:
    from .models import Campaign, Client, Goods

    return {
        "client": dict(Client.objects.values_list("id", "name")),
        "campaign": {pk: name for pk, name in Campaign.objects.values_list("id", "name")},
        "goods": {g.pk: str(g) for g in Goods.objects.all()},
    }


def daily_average(last: date, *, days: int = 7, clients=None) -> tuple[float, float]:
    """(sends per day, cost per day) over the ``days`` calendar days ending with ``last``."""
    figures = period_figures(last - timedelta(days=days - 1), last, clients=clients, detail=False)
    return figures.sent / days, figures.cost / days


def latest_bizmoney() -> BizmoneySnapshot | None:
    return BizmoneySnapshot.objects.order_by("-checked_at").first()


def bizmoney_days_left(balance: int, cost_per_day: float) -> int | None:
    """How many days the balance lasts at ``cost_per_day`` (None when nothing is spent)."""
    if cost_per_day <= 0:
        return None
    return int(balance // cost_per_day)
