"""Reads of inquiries, each taking the acting user (DESIGN.md §3.2)."""

from .access import (
    can_handle,
    can_see_abuse_data,
    can_see_contact,
    inquiry_counts,
    inquiry_for,
    is_marketing,
    sees_inquiries,
    visible_inquiries,
)
from .report import Report, Week, inquiry_report
from .search import INQUIRY_SOURCE, INQUIRY_TEXT

__all__ = [
    "INQUIRY_SOURCE",
    "INQUIRY_TEXT",
    "Report",
    "Week",
    "can_handle",
    "can_see_abuse_data",
    "can_see_contact",
    "inquiry_counts",
    "inquiry_for",
    "inquiry_report",
    "is_marketing",
    "sees_inquiries",
    "visible_inquiries",
]
