"""Writes to people records; each is audited."""

from django.db import transaction

from erp.audit.services import audit_record

from .models import Employee


@transaction.atomic
def employee_link_slack(*, employee: Employee, slack_user_id: str, by) -> Employee:
    """Store the Slack user id of ``employee`` (idempotent: no event when unchanged)."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    old = employee.slack_user_id
    if old == slack_user_id:
        return employee
    employee.slack_user_id = slack_user_id
    employee.save(update_fields=["slack_user_id"])
    audit_record(employee, "slack_linked", by=by, changes={"slack_user_id": [old, slack_user_id]})
    return employee


def employee_set_language(*, employee: Employee, language: str, by) -> Employee:
    """Remember the person's language (no audit event: a preference, not a record change)."""
    if employee.language != language:
        employee.language = language
        employee.save(update_fields=["language"])
    return employee
