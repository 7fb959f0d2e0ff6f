from django.conf import settings
from django.core.management.base import BaseCommand

from erp.people.demo import DEMO_ADMIN_PASSWORD, DEMO_ADMIN_USERNAME, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print where the portal runs and the demo logins (used by `make run`)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url, **options):
        slack = "configured" if settings.SLACK_BOT_TOKEN else "not configured (messages are kept for preview)"
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        lines = [
            "",
            "=" * 64,
            f"  Haru ERP portal:  {url}",
            f"  Admin:            {url}admin/",
            f"  API docs:         {url}api/docs/",
            f"  Demo admin login: {DEMO_ADMIN_USERNAME} / {DEMO_ADMIN_PASSWORD}",
            f"  Other demo users: e.g. seoyeon.lee (agent), yejun.yoon (staff) / {DEMO_PASSWORD}",
            f"  Database: {database}   Broker: {settings.CELERY_BROKER_URL.split('@')[-1]}   Slack: {slack}",
            "  Stop with Ctrl-C.",
            "=" * 64,
            "",
        ]
        self.stdout.write("\n".join(lines))
