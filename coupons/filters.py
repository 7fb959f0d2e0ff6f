"""The send-log filters shared by the list page, its exports and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Campaign, Client, Goods, PinStatus, SendLog
from .selectors import send_search_q

RESULT_CHOICES = (("ok", _("Succeeded")), ("failed", _("Failed")))


class SendLogFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    sent_from = django_filters.DateFilter(
        field_name="sent_at",
        lookup_expr="date__gte",
        label=_("Sent from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sent_to = django_filters.DateFilter(
        field_name="sent_at",
        lookup_expr="date__lte",
        label=_("Sent until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    client = django_filters.ModelChoiceFilter(queryset=Client.objects.all(), label=_("Client"))
    campaign = django_filters.ModelChoiceFilter(queryset=Campaign.objects.select_related("client"), label=_("Campaign"))
    goods = django_filters.ModelChoiceFilter(queryset=Goods.objects.all(), label=_("Goods"))
    result = django_filters.ChoiceFilter(choices=RESULT_CHOICES, method="by_result", label=_("Result"))
    pin_status = django_filters.ChoiceFilter(choices=[c for c in PinStatus.choices if c[0]], label=_("PIN status"))

    class Meta:
        model = SendLog
        fields = ["q", "sent_from", "sent_to", "client", "campaign", "goods", "result", "pin_status"]

    def search(self, queryset, name, value):
        return queryset.filter(send_search_q(value)) if value.strip() else queryset

    def by_result(self, queryset, name, value):
        return queryset.filter(succeeded=value == "ok")
