"""The on-call roster moves from the integrations app to tickets (ITSM domain, DESIGN.md §2).

State only: the three tables stay where integrations 0003 created them (the models keep
``db_table``), so no row is copied or renamed and no lock is taken. Code of the previous
release, still running while a deploy rolls out, reads and writes the same tables.
integrations 0007 drops the models from the integrations state after this one.

The content types are re-labelled too, so the permissions granted on the roster, the
admin's change history and any audit events keep pointing at the moved models.
"""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("oncallrotation", "oncallmember", "oncalloverride")


def _relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        # Leave both alone if the target label exists already (remove_stale_contenttypes
        # tidies up): deleting a content type would cascade to its permissions.
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, "integrations", "tickets")


def backwards(apps, schema_editor):
    _relabel(apps, "tickets", "integrations")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("people", "0002_employee_language"),
        ("tickets", "0006_sla_at_risk_label"),
        # The tables were created there; a fresh database needs them before this state.
        ("integrations", "0003_alter_slackmessage_operation_oncallrotation_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="OnCallRotation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("anchor_date", models.DateField(help_text="The first member is on call from this day.", verbose_name="first week starts")),
                        ("handoff_time", models.TimeField(default="09:00", verbose_name="handoff time (KST)")),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                        ("group", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="on_call_rotation", to="people.department", verbose_name="agent group")),
                    ],
                    options={
                        "verbose_name": "on-call rotation",
                        "verbose_name_plural": "on-call rotations",
                        "db_table": "integrations_oncallrotation",
                    },
                ),
                migrations.CreateModel(
                    name="OnCallOverride",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("starts_at", models.DateTimeField(verbose_name="starts at")),
                        ("ends_at", models.DateTimeField(verbose_name="ends at")),
                        ("reason", models.CharField(blank=True, max_length=200, verbose_name="reason")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("employee", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="people.employee", verbose_name="on call")),
                        ("rotation", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="overrides", to="tickets.oncallrotation")),
                    ],
                    options={
                        "verbose_name": "on-call override",
                        "verbose_name_plural": "on-call overrides",
                        "db_table": "integrations_oncalloverride",
                        "ordering": ["-starts_at"],
                        "indexes": [models.Index(fields=["rotation", "starts_at", "ends_at"], name="oncall_override_period")],
                    },
                ),
                migrations.CreateModel(
                    name="OnCallMember",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("position", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                        ("employee", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="people.employee", verbose_name="employee")),
                        ("rotation", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="members", to="tickets.oncallrotation")),
                    ],
                    options={
                        "verbose_name": "rotation member",
                        "verbose_name_plural": "rotation members",
                        "db_table": "integrations_oncallmember",
                        "ordering": ["position", "id"],
                        "constraints": [models.UniqueConstraint(fields=("rotation", "employee"), name="oncall_member_once")],
                    },
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
