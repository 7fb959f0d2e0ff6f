from datetime import date

from .models import CompanyDayOff

DAYS_OFF = [
    (date(2026, 12, 4), "창립기념일"),
    (date(2026, 12, 31), "연말 휴무"),
]


def seed(stdout, *, now=None):
    """Fixed days off of the demo year; ``now`` (the seed_demo contract) is not needed."""
    for day, name in DAYS_OFF:
        CompanyDayOff.objects.get_or_create(date=day, defaults={"name": name})
    stdout.write(f"calendar: {CompanyDayOff.objects.count()} company days off")
