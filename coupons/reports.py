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


def _rollup(groups: list[dict], key: str, label) -> list[Breakdown]:
    totals: dict = {}
    for group in groups:
        row = totals.setdefault(group[key], [0, 0, 0])
        row[0] += group["n"]
        row[1] += 0 if group["succeeded"] else group["n"]
        row[2] += group["n_cost"]
    rows = [Breakdown(label(pk), sent, failed, cost) for pk, (sent, failed, cost) in totals.items()]
    return sorted(rows, key=lambda row: (-row.sent, row.name))


def period_figures(first: date, last: date, *, clients=None, detail: bool = True) -> PeriodFigures:
    """Figures of the sends made from ``first`` to ``last`` (KST days, inclusive), optionally of
    some clients only. ``used`` counts those coupons used by now ("used so far").

    One GROUP BY over the period (client, campaign, goods, result): a day of a million sends has
    a few hundred such groups, and every total, breakdown and failure reason is a sum of them,
    so the big table is read once instead of once per figure.
    """
    start, end = kst_span(first, last)
    sends = SendLog.objects.filter(sent_at__gte=start, sent_at__lt=end)
    if clients is not None:
        sends = sends.filter(client__in=clients)
    keys = ("client_id", "campaign_id", "goods_id", "succeeded") + (("result_code", "result_message") if detail else ())
    groups = list(
        sends.values(*keys)
        .annotate(
            n=Count("id"),
            n_cost=Coalesce(Sum("sell_price", filter=Q(succeeded=True)), 0),
            n_used=Count("id", filter=Q(pin_status=PinStatus.USED)),
        )
        .order_by()
    )
    figures = PeriodFigures(first=first, last=last)
    for group in groups:
        figures.sent += group["n"]
        figures.succeeded += group["n"] if group["succeeded"] else 0
        figures.cost += group["n_cost"]
        figures.used += group["n_used"]
    figures.failed = figures.sent - figures.succeeded
    if not detail or not figures.sent:
        return figures
    reasons: dict[str, int] = {}
    for group in groups:
        if not group["succeeded"]:
            reason = f"{group['result_code']} {group['result_message']}".strip() or "?"
            reasons[reason] = reasons.get(reason, 0) + group["n"]
    figures.top_failures = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))[:TOP_REASONS]
    names = _names()
    figures.by_client = _rollup(groups, "client_id", lambda pk: names["client"].get(pk, "?"))
    figures.by_campaign = _rollup(groups, "campaign_id", lambda pk: names["campaign"].get(pk, "—"))
    figures.by_goods = _rollup(groups, "goods_id", lambda pk: names["goods"].get(pk, "—"))
    return figures


def _names() -> dict:
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
