"""The on-call roster moved from integrations to tickets without touching its rows."""

from datetime import date, datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from erp.workcalendar.calendar import KST
from tickets.models import OnCallMember, OnCallOverride, OnCallRotation
from tickets.oncall.selectors import on_call_now

# The schema of the release before the move.
BEFORE = [("tickets", "0006_sla_at_risk_label"), ("integrations", "0006_slackmessage_operation_open")]
MODELS = ("oncallrotation", "oncallmember", "oncalloverride")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_rows_permissions_and_history_survive_the_move(people, infra):
    try:
        old = migrate(BEFORE)
        # Migrating back relabelled the content types: as on a database of that release,
        # the roster's content types (and the permissions on them) are integrations'.
        assert not ContentType.objects.filter(app_label="tickets", model__in=MODELS).exists()
        rotation_type = ContentType.objects.get(app_label="integrations", model="oncallrotation")
        permission = Permission.objects.get(content_type=rotation_type, codename="change_oncallrotation")
        people["manager"].user_permissions.add(permission)
        Rotation = old.get_model("integrations", "OnCallRotation")
        rotation = Rotation.objects.create(group_id=infra.pk, anchor_date=date(2026, 9, 21))
        for position, key in enumerate(["agent", "agent2"]):
            old.get_model("integrations", "OnCallMember").objects.create(
                rotation_id=rotation.pk, employee_id=people[key].employee.pk, position=position
            )
        old.get_model("integrations", "OnCallOverride").objects.create(
            rotation_id=rotation.pk,
            employee_id=people["manager"].employee.pk,
            starts_at=datetime(2026, 9, 22, 18, tzinfo=KST),
            ends_at=datetime(2026, 9, 23, 9, tzinfo=KST),
        )

        migrate(latest())
        ContentType.objects.clear_cache()
        moved = OnCallRotation.objects.get()
        assert moved.pk == rotation.pk and moved.group == infra
        assert [m.employee.user for m in moved.members.all()] == [people["agent"], people["agent2"]]
        assert OnCallOverride.objects.get().employee.user == people["manager"]
        assert on_call_now(infra, datetime(2026, 9, 22, 20, tzinfo=KST)).user == people["manager"]
        # Same content type row, relabelled: permissions granted on the roster still apply.
        assert ContentType.objects.get_for_model(OnCallRotation).pk == rotation_type.pk
        manager = type(people["manager"]).objects.get(pk=people["manager"].pk)
        assert manager.has_perm("tickets.change_oncallrotation")
        # New rows still get ids from the tables' own sequences.
        OnCallMember.objects.create(rotation=moved, employee=people["manager"].employee, position=2)

        migrate(BEFORE)  # reversible, still without touching a row
        assert old.get_model("integrations", "OnCallMember").objects.count() == 3
        assert ContentType.objects.filter(pk=rotation_type.pk, app_label="integrations").exists()
    finally:
        migrate(latest())
        ContentType.objects.clear_cache()
