"""Linking employees to Slack users by e-mail (users.lookupByEmail)."""

from dataclasses import dataclass, field

from slack_sdk.errors import SlackApiError

from erp.audit.actor import Actor
from erp.people.models import Employee
from erp.people.services import employee_link_slack
from integrations.slack.core.client import get_client


@dataclass
class LinkReport:
    linked: list[tuple[Employee, str]] = field(default_factory=list)
    not_found: list[Employee] = field(default_factory=list)
    skipped: list[tuple[Employee, str]] = field(default_factory=list)


def link_employees_by_email(*, employees=None, by=None, relink: bool = False) -> LinkReport:
    """Look each employee's e-mail up in Slack and store the user id.

    Skips employees already linked unless ``relink``; bots, deactivated accounts and
    guests (restricted users) are never linked. Raises SlackNotConfigured with no token.
    """
    client = get_client()
    by = by or Actor.system(reason="slack_link_employees")
    report = LinkReport()
    queryset = employees if employees is not None else Employee.objects.select_related("user")
    if not relink:
        queryset = queryset.filter(slack_user_id=None)
    for employee in queryset.filter(user__is_active=True).exclude(user__email=""):
        try:
            user = client.users_lookupByEmail(email=employee.user.email)["user"]
        except SlackApiError as exc:
            error = exc.response.get("error", "")
            if error == "users_not_found":
                report.not_found.append(employee)
                continue
            raise
        if user.get("deleted") or user.get("is_bot") or user.get("is_restricted") or user.get("is_ultra_restricted"):
            report.skipped.append((employee, user["id"]))
            continue
        employee_link_slack(employee=employee, slack_user_id=user["id"], by=by)
        report.linked.append((employee, user["id"]))
    return report
