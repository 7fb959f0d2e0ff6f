"""Demo data for every module, idempotent: running it twice changes nothing.

Each app may ship a ``demo.py`` with ``seed(stdout, *, now)``; they run in INSTALLED_APPS
order so later modules can build on the people and departments seeded first. ``now`` is
the one reference moment every module ages its history from: the real now here, so
``make run`` shows fresh data; tests call the seeds with a pinned moment instead.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone


def demo_modules():
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if find_spec(name) is not None:
            yield import_module(name)


class Command(BaseCommand):
    help = "Create realistic Korean demo data for every module (safe to run again)."

    def handle(self, *args, **options):
        # Demo users share a published password and include a superuser (review L9).
        if getattr(settings, "HARU_PRODUCTION", False):
            raise CommandError("seed_demo refuses to run with production settings: it creates known logins.")
        now = timezone.now()
        for module in demo_modules():
            with transaction.atomic():
                module.seed(self.stdout, now=now)
        self.stdout.write(self.style.SUCCESS("demo data ready"))
