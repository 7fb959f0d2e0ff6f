"""Who sees which inquiries.

- the sales team (members of INQUIRIES_SALES_DEPARTMENTS, holders of
  ``inquiries.handle_inquiry``) and the company / module admins: every inquiry, spam included;
- marketing (INQUIRIES_MARKETING_DEPARTMENTS, ``inquiries.view_shared_inquiry``): only the
  inquiries shared with them, never the quarantine, never IP / user agent or internal notes,
  contact details only where the customer consented to be contacted; plus aggregate counts;
- everyone else: nothing.
"""

from django.db.models import Count, QuerySet

from erp.people.roles import is_module_admin
from erp.people.selectors import employee_of

from ..conf import setting
from ..models import Inquiry, Status


def _in_departments(user, setting_name: str) -> bool:
    employee = employee_of(user)
    department = employee.department if employee else None
    return bool(department and department.is_active and department.code in setting(setting_name))


def can_handle(user) -> bool:
    """Sales rights: see, edit, answer, assign, convert and share every inquiry."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_module_admin(user, "inquiries"):
        return True
    return _in_departments(user, "INQUIRIES_SALES_DEPARTMENTS") or user.has_perm("inquiries.handle_inquiry")


def is_marketing(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return _in_departments(user, "INQUIRIES_MARKETING_DEPARTMENTS") or user.has_perm("inquiries.view_shared_inquiry")


def sees_inquiries(user) -> bool:
    """Whether the inquiries pages (list, counts) are for this user at all."""
    return can_handle(user) or is_marketing(user)


def visible_inquiries(user) -> QuerySet:
    if can_handle(user):
        return Inquiry.objects.all()
    if is_marketing(user):
        return Inquiry.objects.filter(shared_with_marketing=True).exclude(status=Status.SPAM)
    return Inquiry.objects.none()


def inquiry_for(user, pk) -> Inquiry:
    """The inquiry ``pk`` if ``user`` may see it; Inquiry.DoesNotExist otherwise (also for bad ids)."""
    try:
        pk = int(str(pk).removeprefix("INQ-"))
    except (TypeError, ValueError):
        raise Inquiry.DoesNotExist() from None
    return visible_inquiries(user).select_related("assignee", "site", "duplicate_of").get(pk=pk)


def can_see_abuse_data(user) -> bool:
    """IP address and user agent: for the people who handle abuse, i.e. sales and admins."""
    return can_handle(user)


def can_see_contact(user, inquiry: Inquiry) -> bool:
    return can_handle(user) or (inquiry.consent_contact and is_marketing(user))


def inquiry_counts(user, *, since=None, until=None) -> dict:
    """Aggregate counts by category, source and status (spam excluded), in SQL.

    Marketing sees the counts of every inquiry (not only the shared ones): figures carry no
    personal data. Others get empty counts.
    """
    if not sees_inquiries(user):
        return {"total": 0, "by_category": {}, "by_source": {}, "by_status": {}}
    rows = Inquiry.objects.exclude(status=Status.SPAM)
    if since is not None:
        rows = rows.filter(received_at__gte=since)
    if until is not None:
        rows = rows.filter(received_at__lt=until)

    def by(field):
        return {row[field]: row["n"] for row in rows.values(field).annotate(n=Count("id")).order_by(field)}

    by_status = by("status")
    return {
        "total": sum(by_status.values()),
        "by_category": by("category"),
        "by_source": by("source"),
        "by_status": by_status,
    }
