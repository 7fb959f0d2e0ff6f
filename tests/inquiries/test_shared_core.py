"""The tag normalisation and the date-range filter live once in erp/core; tickets and inquiries use them."""

import pytest
from django.core.exceptions import ValidationError

from erp.core import filters as core_filters
from erp.core.tags import normalize_tags, tag_lookup
from inquiries import filters as inquiry_filters
from inquiries.services import normalize_tags as inquiry_normalize
from tickets import filters as ticket_filters
from tickets.services import normalize_tags as ticket_normalize


def test_one_normaliser_for_both_modules():
    assert inquiry_normalize is normalize_tags is ticket_normalize
    assert normalize_tags("견적, 대기업 ,견적 #VPN") == ",견적,대기업,vpn,"
    assert normalize_tags(["A", "a", ""]) == ",a,"
    assert normalize_tags("") == ""
    with pytest.raises(ValidationError):
        normalize_tags([f"tag{i:02d}-long-enough" for i in range(40)])


def test_tag_lookup_matches_one_whole_tag():
    assert tag_lookup(" #VPN ") == ",vpn,"
    assert tag_lookup("  ") == ""


def test_one_date_range_filter_for_both_modules():
    assert inquiry_filters.InquiryFilter.base_filters["received"].__class__ is core_filters.SaneDateRangeFilter
    assert ticket_filters.TicketFilter.base_filters["created"].__class__ is core_filters.SaneDateRangeFilter
    assert isinstance(inquiry_filters.InquiryFilter.base_filters["tag"], core_filters.TagFilter)
    assert isinstance(ticket_filters.TicketFilter.base_filters["tag"], core_filters.TagFilter)


@pytest.mark.django_db
def test_absurd_dates_are_form_errors():
    from inquiries.models import Inquiry

    form = inquiry_filters.InquiryFilter({"received_after": "0001-01-01"}, queryset=Inquiry.objects.all())
    assert not form.is_valid() and "received" in form.errors
