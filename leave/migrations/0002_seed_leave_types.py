"""The leave types every Korean company starts with; admins edit or add to them afterwards.

Sick leave is unpaid by default: the Labour Standards Act grants no paid sick leave, most
companies set their own rule (the admin flips ``is_paid``). 경조사 and 공가 are paid and do not
draw on annual leave (공가: 근로기준법 제10조, e.g. voting, reserve-forces training).
"""

from decimal import Decimal

from django.db import migrations

TYPES = [
    # code, name, English name, fraction, fixed part, paid, draws on annual leave
    ("annual", "연차", "Annual leave", "1", "", True, True),
    ("half_am", "반차(오전)", "Half day (morning)", "0.5", "am", True, True),
    ("half_pm", "반차(오후)", "Half day (afternoon)", "0.5", "pm", True, True),
    ("quarter", "반반차", "Quarter day", "0.25", "", True, True),
    ("sick", "병가", "Sick leave", "1", "", False, False),
    ("family_event", "경조사", "Family event leave", "1", "", True, False),
    ("public_duty", "공가", "Public duty leave", "1", "", True, False),
]


def seed(apps, schema_editor):
    LeaveType = apps.get_model("leave", "LeaveType")
    for order, (code, name, name_en, fraction, part, paid, deducts) in enumerate(TYPES, start=1):
        LeaveType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "day_fraction": Decimal(fraction),
                "part": part,
                "is_paid": paid,
                "deducts_annual": deducts,
                "order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("leave", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
