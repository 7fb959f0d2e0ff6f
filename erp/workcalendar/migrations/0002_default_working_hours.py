"""Default business hours: Monday to Friday, 09:00–18:00 KST (admin-editable)."""

from datetime import time

from django.db import migrations


def create_defaults(apps, schema_editor):
    WorkingHours = apps.get_model("workcalendar", "WorkingHours")
    for weekday in range(5):
        WorkingHours.objects.get_or_create(weekday=weekday, defaults={"start": time(9), "end": time(18)})


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
