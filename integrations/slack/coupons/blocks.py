"""Coupon messages: pure Block Kit builders (figures in, dicts out, no queries).

No phone number ever appears here: the builders take counts, names and won amounts only (and
the outbox masks whatever it is given on top of that).
"""

from datetime import date

from django.utils.translation import gettext as _

from coupons.reports import Breakdown, PeriodFigures
from erp.core import dates
from integrations.slack.core.blocks import context, escape, fields_section, header, section, shows
from integrations.slack.core.privacy.classes import INTERNAL, PUBLIC

MAX_BREAKDOWN_LINES = 8


def won(amount) -> str:
    return _("%(amount)s KRW") % {"amount": f"{int(amount):,}"}


def day_label(day: date) -> str:
    return dates.day_label(day)


def period_label(first: date, last: date) -> str:
    if first == last:
        return day_label(first)
    return _("%(first)s to %(last)s") % {"first": day_label(first), "last": day_label(last)}


def _percent(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def _change(now: float, before: float) -> str:
    if not before:
        return "—"
    return f"{(now - before) * 100 / before:+.0f}%"


def _lines(rows: list[Breakdown]) -> str:
    shown = [
        _("• %(name)s: %(sent)s sent, %(failed)s failed, %(cost)s")
        % {"name": escape(row.name), "sent": f"{row.sent:,}", "failed": f"{row.failed:,}", "cost": won(row.cost)}
        for row in rows[:MAX_BREAKDOWN_LINES]
    ]
    if len(rows) > MAX_BREAKDOWN_LINES:
        shown.append(_("… and %(n)d more") % {"n": len(rows) - MAX_BREAKDOWN_LINES})
    return "\n".join(shown) or "—"


@shows(kinds=("coupons.daily_summary",), counts=PUBLIC, amounts=INTERNAL, clients=INTERNAL)
def daily_summary(
    *,
    team: str,
    figures: PeriodFigures,
    previous: PeriodFigures,
    average_per_day: float,
    balance: int | None,
    days_left: int | None,
) -> tuple[str, list[dict]]:
    """The 09:00 post: the period since the last working day's post (one day, or the days off)."""
    title = _("Coupons · %(team)s · %(period)s") % {"team": team, "period": period_label(figures.first, figures.last)}
    text = _("%(title)s: %(sent)s sent, %(ok)s succeeded, %(failed)s failed, cost %(cost)s") % {
        "title": title,
        "sent": f"{figures.sent:,}",
        "ok": f"{figures.succeeded:,}",
        "failed": f"{figures.failed:,}",
        "cost": won(figures.cost),
    }
    per_day = figures.sent / figures.days
    blocks = [
        header(title),
        fields_section(
            [
                (_("Sent"), f"{figures.sent:,}"),
                (_("Succeeded"), f"{figures.succeeded:,} ({_percent(figures.succeeded, figures.sent)})"),
                (_("Failed"), f"{figures.failed:,} ({_percent(figures.failed, figures.sent)})"),
                (_("Cost"), won(figures.cost)),
                (_("Used so far"), f"{figures.used:,} ({_percent(figures.used, figures.succeeded)})"),
                (
                    _("vs the period before"),
                    f"{previous.sent:,} → {figures.sent:,} ({_change(figures.sent, previous.sent)})",
                ),
                (
                    _("Per day vs 7-day average"),
                    f"{per_day:,.1f} / {average_per_day:,.1f} ({_change(per_day, average_per_day)})",
                ),
            ]
        ),
    ]
    if figures.top_failures:
        reasons = "\n".join(f"• {escape(reason)}: {count:,}" for reason, count in figures.top_failures)
        blocks.append(section(_("*Top failure reasons*") + "\n" + reasons))
    for label, rows in (
        (_("By client"), figures.by_client),
        (_("By campaign"), figures.by_campaign),
        (_("By goods"), figures.by_goods),
    ):
        if rows:
            blocks.append(section(f"*{label}*\n{_lines(rows)}"))
    if balance is not None:
        left = (
            _("%(n)d days at the current rate") % {"n": days_left} if days_left is not None else _("no spending lately")
        )
        blocks.append(context(_("Bizmoney balance: %(balance)s (%(left)s)") % {"balance": won(balance), "left": left}))
    return text, blocks


@shows(kinds=("coupons.failure_alert",), counts=PUBLIC, minutes=PUBLIC, reasons=INTERNAL)
def failure_alert(*, sent: int, failed: int, minutes: int, top: list[tuple[str, int]]) -> tuple[str, list[dict]]:
    text = _(
        ":rotating_light: Coupon failures: %(failed)d of %(sent)d sends in the last %(minutes)d minutes (%(rate)s)"
    ) % {
        "failed": failed,
        "sent": sent,
        "minutes": minutes,
        "rate": _percent(failed, sent),
    }
    reasons = "\n".join(f"• {escape(reason)}: {count:,}" for reason, count in top)
    return text, [section(text + ("\n" + reasons if reasons else ""))]


@shows(kinds=("coupons.batch_alert",), counts=PUBLIC, batch=INTERNAL)
def stalled_alert(
    *, batch_id: int, campaign: str, left: int, minutes: int, paused_note: str = ""
) -> tuple[str, list[dict]]:
    if paused_note:
        text = _(":warning: Coupon batch #%(id)d (%(campaign)s) is paused with %(left)d coupons unsent: %(note)s") % {
            "id": batch_id,
            "campaign": campaign,
            "left": left,
            "note": paused_note,
        }
    else:
        text = _(
            ":warning: Coupon batch #%(id)d (%(campaign)s) stalled for %(minutes)d minutes; %(left)d coupons unsent"
        ) % {
            "id": batch_id,
            "campaign": campaign,
            "minutes": minutes,
            "left": left,
        }
    return text, [section(escape(text))]


@shows(kinds=("coupons.bizmoney_alert",), days_left=PUBLIC, balance=INTERNAL, threshold=INTERNAL)
def bizmoney_alert(*, balance: int, threshold: int, days_left: int | None) -> tuple[str, list[dict]]:
    text = _(":money_with_wings: Bizmoney is low: %(balance)s (alert below %(threshold)s)") % {
        "balance": won(balance),
        "threshold": won(threshold),
    }
    if days_left is not None:
        text += " " + _("About %(n)d days left at the current rate.") % {"n": days_left}
    return text, [section(text)]


@shows(kinds=("coupons.weekly_expiring",), until=PUBLIC, counts=PUBLIC, client=INTERNAL, products=INTERNAL)
def expiring_list(*, client: str, rows: list[tuple[str, str, int]], until: date) -> tuple[str, list[dict]]:
    """Weekly: unused coupons of one client expiring by ``until``, per campaign and goods."""
    total = sum(n for _c, _g, n in rows)
    title = _("Coupons expiring by %(day)s, unused · %(client)s") % {"day": day_label(until), "client": client}
    text = _("%(title)s: %(n)s coupons") % {"title": title, "n": f"{total:,}"}
    lines = [f"• {escape(campaign)} · {escape(goods)}: {count:,}" for campaign, goods, count in rows[:40]]
    return text, [header(title), section("\n".join(lines) or "—")]
