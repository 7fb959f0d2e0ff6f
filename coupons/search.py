"""Coupons in the history search: sends found by phone (full or last four), tr_id, order
number, client or campaign name; campaigns by name. Hits show masked numbers only."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from erp.core.search import SearchSource

from .models import Campaign, SendLog
from .selectors import send_search_q, visible_campaigns, visible_sends


def _send_title(send: SendLog) -> str:
    return gettext("%(client)s · %(tr_id)s to %(phone)s") % {
        "client": send.client.name,
        "tr_id": send.tr_id,
        "phone": send.masked_phone or "—",
    }


def _send_summary(send: SendLog) -> str:
    return " · ".join(part for part in (send.campaign.name if send.campaign else "", str(send.goods or "")) if part)


SEND_SOURCE = SearchSource(
    key="coupon_sends",
    label=_("Coupon sends"),
    model=SendLog,
    fields=("tr_id",),
    for_user=visible_sends,
    matches=lambda user, text: send_search_q(text),
    title=_send_title,
    summary=_send_summary,
    url=lambda send: reverse("coupons:send-detail", args=[send.pk]),
    date_field="sent_at",
    select_related=("client", "campaign", "goods"),
    order=60,
)

CAMPAIGN_SOURCE = SearchSource(
    key="coupon_campaigns",
    label=_("Coupon campaigns"),
    model=Campaign,
    fields=("name",),
    for_user=visible_campaigns,
    title=lambda campaign: str(campaign),
    url=lambda campaign: reverse("coupons:campaign-detail", args=[campaign.pk]),
    date_field="created_at",
    select_related=("client",),
    order=61,
)
