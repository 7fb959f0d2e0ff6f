from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from erp.audit.actor import Actor
from integrations.calendar.http import CalendarHTTPError
from integrations.calendar.rooms import import_rooms


class Command(BaseCommand):
    help = "Import the Workspace's meeting rooms from the Google Admin directory and sync their calendars."

    def handle(self, *args, **options):
        try:
            result = import_rooms(by=Actor.system(command="calendar_import_rooms"))
        except CalendarHTTPError as exc:
            raise CommandError(_("The Google room directory could not be read: %(error)s") % {"error": exc}) from exc
        for room in result.created:
            self.stdout.write(_("added: %(room)s (%(email)s)") % {"room": room, "email": room.google_resource_email})
        for room in result.updated:
            self.stdout.write(_("updated: %(room)s") % {"room": room})
        for name, why in result.skipped:
            self.stdout.write(_("skipped: %(name)s (%(why)s)") % {"name": name, "why": why})
        self.stdout.write(
            self.style.SUCCESS(
                _("%(created)d added, %(updated)d updated, %(unchanged)d unchanged")
                % {"created": len(result.created), "updated": len(result.updated), "unchanged": result.unchanged}
            )
        )
