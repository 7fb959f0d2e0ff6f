"""Re-derive work days from the punch ledger, e.g. after changing ATTENDANCE_BREAKS or the cut-off hour.

    manage.py attendance_rederive --from 2026-01-01 [--to 2026-12-31] [--employee H2020001]

Idempotent (the same punches give the same days); corrections and leave flags are kept.
Works per employee and month so one transaction never holds many locks for long.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from attendance.derivation import local_date
from attendance.models import Punch, WorkDay
from attendance.services import rederive
from erp.audit.actor import Actor


class Command(BaseCommand):
    help = "Re-derive attendance work days from the punches (keeps corrections and leave)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", type=date.fromisoformat, required=True)
        parser.add_argument("--to", dest="end", type=date.fromisoformat, default=None)
        parser.add_argument("--employee", dest="employee_no", default=None, help="employee number")

    def handle(self, *args, start, end, employee_no, **options):
        end = end or timezone.localdate()
        if end < start:
            raise CommandError("--to is before --from")
        punches = Punch.objects.exclude(employee=None).filter(
            at__date__gte=start - timedelta(days=1), at__date__lte=end + timedelta(days=1)
        )
        days = WorkDay.objects.filter(date__gte=start, date__lte=end)
        if employee_no:
            punches = punches.filter(employee__employee_no=employee_no)
            days = days.filter(employee__employee_no=employee_no)
        targets: dict[tuple[int, str], set[date]] = defaultdict(set)
        for employee_id, at in punches.values_list("employee_id", "at").iterator():
            day = local_date(at)
            if start <= day <= end:
                targets[(employee_id, f"{day:%Y-%m}")].add(day)
        for employee_id, day in days.values_list("employee_id", "date").iterator():
            targets[(employee_id, f"{day:%Y-%m}")].add(day)
        actor = Actor.system(job="attendance_rederive")
        changed = 0
        for (employee_id, _month), dates in sorted(targets.items()):
            with transaction.atomic():
                changed += len(rederive({employee_id: dates}, by=actor))
        self.stdout.write(f"re-derived {len(targets)} employee-months, {changed} days changed")
