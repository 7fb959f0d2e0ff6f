from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from integrations.slack.core.client import SlackNotConfigured
from integrations.slack.core.people import link_employees_by_email


class Command(BaseCommand):
    help = "Link employees to Slack users by e-mail (Slack users.lookupByEmail)."

    def add_arguments(self, parser):
        parser.add_argument("--relink", action="store_true", help="Also re-check employees already linked.")

    def handle(self, *args, relink=False, **options):
        try:
            report = link_employees_by_email(relink=relink)
        except SlackNotConfigured as exc:
            raise CommandError(str(exc)) from exc
        for employee, user_id in report.linked:
            self.stdout.write(_("linked: %(name)s → %(id)s") % {"name": employee, "id": user_id})
        for employee in report.not_found:
            self.stdout.write(
                _("not found in Slack: %(name)s <%(email)s>") % {"name": employee, "email": employee.user.email}
            )
        for employee, user_id in report.skipped:
            self.stdout.write(
                _("skipped (bot, guest or deactivated): %(name)s (%(id)s)") % {"name": employee, "id": user_id}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("%(linked)d linked, %(missing)d not found, %(skipped)d skipped")
                % {"linked": len(report.linked), "missing": len(report.not_found), "skipped": len(report.skipped)}
            )
        )
